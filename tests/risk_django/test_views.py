"""Risk pages: who may see and do what (levels are public, decisions belong to the committee in
scope), what the unit page shows, and forms that refuse with an explanation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chongdich.risk.assess import assess_day
from chongdich.risk.models import CapacityReadiness, ProvinceRiskSetting, RiskOverride, Task
from tests.risk_django.conftest import DAY

pytestmark = pytest.mark.django_db
ALL = ["national", "province", "district", "commune", "other_commune", "health", "checkpoint", "community", "viewer"]
NOT_COMMITTEE = {"health", "checkpoint", "community", "viewer"}
REASON = "Quyết định số 123/QĐ-UBND ngày 20/8/2021"


def expect(ok: set[str], ok_status: int, *, forbidden: set[str], anonymous: int = 302) -> dict:
    result = {None: anonymous}
    for persona in ALL:
        result[persona] = ok_status if persona in ok else 403 if persona in forbidden else 404
    return result


@pytest.fixture
def assessed(outbreak, tally):
    tally(outbreak.commune, DAY - timedelta(days=1), active_home=3)  # a scenario for Bù Gia Mập district
    assess_day(DAY)
    return outbreak


def task_pk(world):
    return Task.objects.filter(unit=world.district).values_list("pk", flat=True).first()


CASES = {
    "overview": ("get", lambda w: reverse("risk:overview"), None, expect(set(ALL), 200, forbidden=set())),
    "unit page": ("get", lambda w: reverse("risk:unit", args=["25228"]), None, expect(set(ALL), 200, forbidden=set())),
    "nation page": ("get", lambda w: reverse("risk:unit", args=["VN"]), None, expect(set(ALL), 200, forbidden=set())),
    "measures": ("get", lambda w: reverse("risk:measures"), None, expect(set(ALL), 200, forbidden=set())),
    "scenario": ("get", lambda w: reverse("risk:scenario", args=["691"]), None, expect(set(ALL), 200, forbidden=set())),
    "override form": (
        "get",
        lambda w: reverse("risk:override", args=["25228"]),
        None,
        expect({"national", "province", "district", "commune"}, 200, forbidden=NOT_COMMITTEE),
    ),
    "override": (
        "post",
        lambda w: reverse("risk:override", args=["25228"]),
        {"level": "3", "reason": REASON, "valid_from": DAY.isoformat()},
        expect({"national", "province", "district", "commune"}, 302, forbidden=NOT_COMMITTEE),
    ),
    "readiness": (
        "post",
        lambda w: reverse("risk:readiness", args=["691"]),
        {"ready": "yes", "effective_from": DAY.isoformat(), "note": "Oxy đủ 100% trạm y tế"},
        expect({"national", "province", "district"}, 302, forbidden=NOT_COMMITTEE),
    ),
    "settings form": (
        "get",
        lambda w: reverse("risk:settings", args=["70"]),
        None,
        expect({"national", "province"}, 200, forbidden=NOT_COMMITTEE),
    ),
    "task status": (
        "post",
        lambda w: reverse("risk:task_status", args=[task_pk(w)]),
        {"status": "done"},
        expect({"national", "province", "district"}, 302, forbidden=NOT_COMMITTEE),
    ),
    "API levels": (
        "get",
        lambda w: "/api/v1/risk/levels?unit=691",
        None,
        expect(set(ALL), 200, forbidden=set(), anonymous=401),
    ),
    "API assess": (
        "api-post",
        lambda w: "/api/v1/risk/assess?as_of=2021-08-20",
        [{"code": "1", "name": "Xã A", "level": "commune", "clusters": [], "neighbours": []}],
        expect(set(ALL), 200, forbidden=set(), anonymous=401),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("persona", [None, *ALL])
def test_matrix(case, persona, assessed, personas, client_of):
    method, url_of, data, expected = CASES[case]
    client = client_of(persona)
    overrides, flags = RiskOverride.objects.count(), CapacityReadiness.objects.count()
    url = url_of(assessed)
    if method == "get":
        response = client.get(url)
    elif method == "post":
        response = client.post(url, data)
    else:
        response = client.post(url, json.dumps(data), content_type="application/json")
    assert response.status_code == expected[persona], f"{case} as {persona}: {response.status_code}"
    if method == "post" and response.status_code != 302:  # a refused write leaves nothing
        assert (RiskOverride.objects.count(), CapacityReadiness.objects.count()) == (overrides, flags)
        assert set(Task.objects.values_list("status", flat=True)) == {"open"}


def test_the_unit_page_shows_the_level_why_measures_and_history(assessed, client_of):
    page = client_of("viewer").get(reverse("risk:unit", args=["25228"])).content.decode()
    assert 'data-colour="orange"' in page and "Cam · Nguy cơ cao" in page  # colour with its name
    assert "1 ca bệnh không rõ nguồn lây trong 14 ngày → Cam" in page  # why, in Vietnamese
    assert 'id="risk-measures"' in page and "Dừng sự kiện tập trung trên 30 người" in page
    assert 'id="risk-history"' in page
    assert 'id="override-link"' not in page  # a viewer decides nothing
    figures = page.split('id="risk-inputs"', 1)[1].split("</table>", 1)[0]
    assert "Năng lực điều trị sẵn sàng" not in figures  # not an input of QĐ 2686: never shown as missing


def test_reasons_and_measures_follow_the_language(assessed, client_of):
    client = client_of("commune")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("risk:unit", args=["25228"])).content.decode()
    assert "Commune factors: 1 case(s) with unknown source in 14 days → orange" in page and "R-10" not in page
    assert "Orange · High risk" in page
    assert "Events of more than 30 people stopped" in page


def test_an_announced_change_is_shown_before_it_takes_effect(assessed, client_of, tally):
    tally(assessed.border_commune, DAY, cases_new_community=2, cases_new_community_unknown_source=2)
    from chongdich.risk.models import RiskAssessment

    RiskAssessment.objects.filter(day=DAY).delete()
    assess_day(DAY - timedelta(days=1))  # yesterday: Bù Gia Mập orange (borders red), in force
    assess_day(DAY)  # today: the province raises nothing; Bù Gia Mập stays orange…
    ProvinceRiskSetting.objects.create(province=assessed.province, effective_from=DAY, raise_border_by=1)
    assess_day(DAY)  # …now raised to red: announced, in force 48 h later
    page = client_of("viewer").get(reverse("risk:unit", args=["25222"])).content.decode()
    assert 'id="risk-announced"' in page and "Đỏ" in page
    assert 'id="risk-pending-measures"' in page


def test_missing_inputs_are_named(assessed, client_of):
    page = client_of("viewer").get(reverse("risk:unit", args=["26734"])).content.decode()
    assert 'id="risk-missing"' in page and "danh sách đơn vị giáp ranh" in page and "neighbours" not in page


def test_the_overview_opens_on_the_users_district(assessed, client_of):
    response = client_of("commune").get(reverse("risk:overview"))
    assert response.context["parent"] == assessed.district
    assert [row.code for row in response.context["rows"]] == ["25229", "25222", "25228"]  # red first, then by name
    assert dict(response.context["counts"])["orange"] == 2
    whole = client_of("national").get(reverse("risk:overview"))
    assert [row.code for row in whole.context["rows"]] == ["70", "79"]  # red first; the nation is the header
    assert whole.context["parent_level"].code == "VN"
    assert [row.code for row in client_of("viewer").get(reverse("risk:unit", args=["691"])).context["children"]] == [
        "25222",
        "25228",
        "25229",
    ]  # sub-units by name: Đức Hạnh with the Ds


def test_the_overview_costs_the_same_queries_for_more_units(assessed, client_of):
    from chongdich.territory.models import AdminUnit

    client = client_of("district")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("risk:overview") + "?unit=691").status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        AdminUnit(code=f"2599{n:02d}", name=f"Xã Thử {n}", level="commune", kind="xa", parent=assessed.district).save()
    assess_day(DAY)
    assert count() == few


def test_a_weaker_override_is_refused_on_the_form(assessed, client_of):
    response = client_of("commune").post(
        reverse("risk:override", args=["25228"]), {"level": "1", "reason": REASON, "valid_from": DAY.isoformat()}
    )
    assert response.status_code == 200
    assert "thấp hơn cấp độ đánh giá Cam" in response.content.decode()
    assert not RiskOverride.objects.exists()


def test_settings_and_readiness_forms_save(assessed, client_of, django_capture_on_commit_callbacks):
    client = client_of("province")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("risk:settings", args=["70"]),
            {
                "effective_from": DAY.isoformat(),
                "framework": "",
                "raise_border_by": "1",
                "raise_next_to_higher_by": "0",
                "notice_hours": "48",
                "scenario_tier": "district",
                "scenario_2_from": "100",
                "scenario_3_above": "500",
                "note": "Quyết định của UBND tỉnh",
            },
        )
    assert response.status_code == 302
    assert ProvinceRiskSetting.objects.get(province=assessed.province).raise_border_by == 1
    from chongdich.risk.models import RiskAssessment

    assert RiskAssessment.objects.get(code="25222", day=DAY).applied_level == 3  # re-assessed: border raised
    bad = client.post(
        reverse("risk:settings", args=["70"]),
        {
            "effective_from": DAY.isoformat(),
            "framework": "218",
            "raise_border_by": "0",
            "raise_next_to_higher_by": "0",
            "notice_hours": "48",
            "scenario_tier": "district",
            "scenario_2_from": "600",
            "scenario_3_above": "500",
        },
    )
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"framework", "scenario_3_above"}
    response = client_of("district").post(
        reverse("risk:readiness", args=["691"]), {"ready": "no", "effective_from": DAY.isoformat(), "note": ""}
    )
    assert response.status_code == 302 and CapacityReadiness.objects.get(unit=assessed.district).ready is False


def test_the_readiness_page_counts_the_facilities_care_registers(world, personas, client_of):
    """The figures come from care's provider in ``tallies.registry.area_figures`` (risk reads no care)."""
    from chongdich.care.actions import do_create_facility

    opened = DAY - timedelta(days=30)
    for name, unit, ready in (("Khu cách ly A", world.commune, True), ("Khu cách ly B", world.other_commune, False)):
        do_create_facility(
            personas["district"],
            unit=unit,
            capacity={"quarantine": 5},
            data={"name": name, "kind": "concentrated_quarantine", "opened_on": opened, "ready_within_24h": ready},
        )
    response = client_of("district").get(reverse("risk:readiness", args=["691"]))
    assert (response.context["facilities"], response.context["ready_24h"]) == (2, 1)
    response = client_of("province").get(reverse("risk:readiness", args=["25228"]))
    assert (response.context["facilities"], response.context["ready_24h"]) == (1, 1)


def test_the_scenario_page_lists_the_tasks(assessed, client_of):
    page = client_of("viewer").get(reverse("risk:scenario", args=["691"])).content.decode()
    assert 'id="scenario-tasks"' in page and "Công an huyện" in page
    assert 'name="status"' not in page  # a viewer cannot change them


def test_the_measures_catalogue(assessed, client_of):
    page = client_of("viewer").get(reverse("risk:measures") + "?framework=4800&date=2021-08-20").content.decode()
    assert page.count('class="mb-4" id="level-') == 4 and "cấp 4" in page.lower()
