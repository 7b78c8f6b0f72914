"""The forecast API: scoped like the pages, paged by cursor, null Rt where there are too few cases."""

from __future__ import annotations

import pytest

from tests.forecast import pages_data
from tests.forecast.pages_data import D


@pytest.fixture
def data(world):
    return pages_data.build(world)


def _all(client, url, **params):
    rows, cursor = [], None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        answer = client.get(url, query)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows += body["items"]
        cursor = body["next"]
        if not cursor:
            return rows


def test_estimates_of_a_district_page_by_page(client_of, data):
    rows = _all(client_of("district"), "/api/v1/forecast/estimates", unit="691", date=D.isoformat())
    assert sorted(row["unit"] for row in rows) == ["25222", "25228", "25229", "691"]
    unsure = next(row for row in rows if row["unit"] == "25222")
    assert unsure["reliable"] is False and unsure["rt_mean"] is None and unsure["rt_lo"] is None
    sure = next(row for row in rows if row["unit"] == "25228")
    assert sure["rt_mean"] == pytest.approx(1.0) and sure["growth_wow"] == pytest.approx(1.0)
    communes = _all(client_of("district"), "/api/v1/forecast/estimates", unit="691", date=D.isoformat(), tier="commune")
    assert len(communes) == 3


def test_runouts_of_the_callers_area(client_of, data):
    rows = _all(client_of("commune"), "/api/v1/forecast/runouts", date=D.isoformat())
    assert sorted(row["subject"] for row in rows) == ["Cách ly Đức Hạnh", "Trạm Y tế Đức Hạnh: giường điều trị"]
    rows = _all(client_of("national"), "/api/v1/forecast/runouts", unit="VN", date=D.isoformat(), kind="beds")
    assert sorted(row["subject"] for row in rows) == ["Bệnh viện xa", "Trạm Y tế Đức Hạnh: giường điều trị"]


@pytest.mark.parametrize("unit", ["79", "25229", "VN", "nope"])
def test_outside_the_area_is_404(client_of, data, unit):
    for path in ("/api/v1/forecast/estimates", "/api/v1/forecast/runouts"):
        assert client_of("commune").get(path, {"unit": unit}).status_code == 404


def test_refusals(client_of, data):
    assert client_of("community").get("/api/v1/forecast/estimates").status_code == 403
    assert client_of(None).get("/api/v1/forecast/estimates").status_code == 401
    for path, query in (
        ("runouts", {"limit": 1000}),
        ("runouts", {"cursor": "x"}),
        ("runouts", {"date": "2021-02-30"}),
        ("runouts", {"kind": "x"}),
        ("estimates", {"tier": "planet"}),
        ("estimates", {"unit": "x" * 50}),
    ):
        answer = client_of("district").get(f"/api/v1/forecast/{path}", query)
        assert answer.status_code == 422, query
