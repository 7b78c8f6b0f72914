"""API: POST /api/v1/risk/assess (the CLI's schema and output) and GET /api/v1/risk/levels."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from chongdich.risk.assess import assess_day
from tests.risk_django.conftest import DAY

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "risk"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_assess_answers_like_the_cli(world, personas, client_of):
    units = json.loads((DOCS / "example-input.json").read_text(encoding="utf-8"))
    expected = json.loads((DOCS / "example-output.json").read_text(encoding="utf-8"))
    response = post(client_of("viewer"), "/api/v1/risk/assess?as_of=2021-08-20&details=true", units)
    assert response.status_code == 200
    assert response.json() == expected


def test_assess_in_english_and_another_framework(world, personas, client_of):
    units = json.loads((DOCS / "example-input.json").read_text(encoding="utf-8"))
    rows = post(client_of("viewer"), "/api/v1/risk/assess?as_of=2021-11-15&framework=4800&lang=en", units).json()
    assert {row["framework"] for row in rows} == {"4800"} and "indicators" not in rows[0]
    assert all(
        not reason.startswith("R-") or "→" in reason or ":" in reason for row in rows for reason in row["reasons"]
    )


def test_invalid_units_are_named(world, personas, client_of):
    units = [{"code": "1", "name": "Xã A", "level": "commune", "population": -5, "popluation": 3}]
    response = post(client_of("viewer"), "/api/v1/risk/assess?as_of=2021-08-20", units)
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"1 (Xã A).population", "1 (Xã A).popluation"}
    assert "không được âm" in body["errors"]["1 (Xã A).population"][0]
    response = post(client_of("viewer"), "/api/v1/risk/assess?as_of=2021-05-01", [])
    assert response.status_code == 422 and "15/16/19" in response.json()["detail"]
    assert post(client_of("viewer"), "/api/v1/risk/assess?lang=fr", []).status_code == 422


def test_published_levels_by_unit_and_date(outbreak, personas, client_of):
    assess_day(DAY - timedelta(days=1))
    assess_day(DAY)
    client = client_of("viewer")
    rows = client.get("/api/v1/risk/levels?unit=691").json()
    assert [row["code"] for row in rows] == ["691", "25222", "25228", "25229"]
    district = rows[0]
    # Yesterday orange (one cluster case), today red: announced, in force 48 hours later.
    assert (district["level"], district["colour"], district["parent"], district["framework"]) == (
        2,
        "orange",
        "70",
        "2686",
    )
    assert (district["applied_level"], district["announced_level"], district["announced_colour"]) == (3, 3, "red")
    assert district["announced_from"] is not None and district["level_name"] == "Nguy cơ cao"
    assert district["day"] == DAY.isoformat()
    assert district["reasons"][0].startswith("R-11: ")
    english = client.get("/api/v1/risk/levels?unit=25228&lang=en").json()[0]
    assert "unknown source" in " ".join(english["reasons"]) and english["level_name"] == "High risk"
    yesterday = client.get(f"/api/v1/risk/levels?unit=25228&date={(DAY - timedelta(days=1)).isoformat()}").json()[0]
    assert yesterday["day"] == (DAY - timedelta(days=1)).isoformat()
    top = client.get("/api/v1/risk/levels").json()
    assert [row["code"] for row in top] == ["VN", "79", "70"] and top[0]["parent"] is None  # by name
    assert top[1]["level"] is None and top[1]["missing"] == ["26734.neighbours"]
    assert client.get("/api/v1/risk/levels?unit=99999").status_code == 404
    assert client.get("/api/v1/risk/levels?unit=25228-01").status_code == 404  # villages are not assessed
