"""Testing pages through the Django test client: scope (404), capability (403), forms, exports, no N+1."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from chongdich.surveillance.models import Case
from chongdich.testing.actions import do_add_targets, do_create_campaign, do_record_result, do_register_pool
from chongdich.testing.models import Campaign, Lab, Sample
from chongdich.testing.selectors import coverage, samples_of_person
from tests.helpers import read_xlsx

ALL = ["national", "province", "district", "commune", "other_commune", "health", "checkpoint", "community", "viewer"]
NO_TESTS = {"community", "viewer"}  # roles without tests.view / tests.edit
IN_SCOPE = {"national", "province", "district", "commune", "health"}  # of Thôn 1, Xã Đức Hạnh


def expect(ok: set[str], ok_status: int = 200) -> dict:
    """ok → ok_status; roles without the function → 403; everyone else (outside the area) → 404."""
    return {None: 302} | {p: ok_status if p in ok else 403 if p in NO_TESTS else 404 for p in ALL}


@pytest.fixture
def target(make_sample, lab, world, personas, today):
    sample = make_sample()
    campaign, _ = do_create_campaign(
        personas["national"],
        unit=world.commune,
        data={"name": "Sàng lọc chợ Đức Hạnh", "start": today - timedelta(days=3), "sample_kind": "rt_pcr"},
    )
    return {"sample": sample, "campaign": campaign, "lab": lab}


EVERY_TESTER = set(ALL) - NO_TESTS
CASES = {
    "overview": (lambda t: reverse("testing:index"), expect(EVERY_TESTER)),
    "samples list": (lambda t: reverse("testing:samples"), expect(EVERY_TESTER)),
    "samples export": (lambda t: reverse("testing:samples_export"), expect(EVERY_TESTER)),
    "sample detail": (lambda t: reverse("testing:sample", args=[t["sample"].pk]), expect(IN_SCOPE)),
    "result form": (lambda t: reverse("testing:sample_result", args=[t["sample"].pk]), expect(IN_SCOPE)),
    "register: choose person": (lambda t: reverse("testing:sample_create"), expect(EVERY_TESTER)),
    "register: form": (
        lambda t: reverse("testing:sample_create") + f"?person={t['sample'].person_id}",
        expect(IN_SCOPE),
    ),
    "pool builder": (lambda t: reverse("testing:pool_create"), expect(EVERY_TESTER)),
    "result entry": (lambda t: reverse("testing:result_entry"), expect(EVERY_TESTER)),
    "pending": (lambda t: reverse("testing:pending"), expect(EVERY_TESTER)),
    "positives": (lambda t: reverse("testing:positives"), expect(EVERY_TESTER)),
    "capacity": (lambda t: reverse("testing:capacity"), expect(EVERY_TESTER)),
    "labs": (lambda t: reverse("testing:labs"), expect(EVERY_TESTER)),
    "lab (provincial)": (lambda t: reverse("testing:lab", args=[t["lab"].pk]), expect({"national", "province"})),
    "lab edit": (lambda t: reverse("testing:lab_edit", args=[t["lab"].pk]), expect({"national", "province"})),
    "campaigns": (lambda t: reverse("testing:campaigns"), expect(EVERY_TESTER)),
    "campaign": (lambda t: reverse("testing:campaign", args=[t["campaign"].pk]), expect(IN_SCOPE)),
    "campaign targets": (lambda t: reverse("testing:campaign_targets", args=[t["campaign"].pk]), expect(IN_SCOPE)),
    "untested export": (
        lambda t: reverse("testing:campaign_untested_export", args=[t["campaign"].pk]),
        expect(IN_SCOPE),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("persona", [None, *ALL])
def test_matrix(case, persona, target, client_of):
    url_of, expected = CASES[case]
    response = client_of(persona).get(url_of(target))
    assert response.status_code == expected[persona], f"{case} as {persona}: {response.status_code}"


def sample_form(**extra):
    return {"kind": "rt_pcr", "reason": "f1", "taken_on": "", "lab": "", "client_id": "form-1", **extra}


def test_register_a_sample_and_resend(client_of, make_person, lab, today):
    person = make_person()
    client = client_of("health")
    data = sample_form(person=person.pk, taken_on=today.isoformat(), lab=lab.pk)
    response = client.post(reverse("testing:sample_create"), data)
    sample = Sample.objects.get()
    assert response.status_code == 302 and response.url == reverse("testing:sample", args=[sample.pk])
    assert client.post(reverse("testing:sample_create"), data).status_code == 302  # double tap
    assert Sample.objects.count() == 1


def test_register_form_explains_and_saves_nothing(client_of, make_person, lab, today):
    person = make_person()
    response = client_of("health").post(
        reverse("testing:sample_create"),
        sample_form(person=person.pk, taken_on=(today + timedelta(days=2)).isoformat(), result="positive"),
    )
    assert response.status_code == 200
    assert "taken_on" in response.context["form"].errors
    assert Sample.objects.count() == 0


def test_refused_for_a_person_outside_the_area(client_of, make_person, world, today):
    stranger = make_person(unit=world.other_village)
    response = client_of("health").post(
        reverse("testing:sample_create"), sample_form(person=stranger.pk, taken_on=today.isoformat())
    )
    assert response.status_code == 404 and Sample.objects.count() == 0


def test_enter_a_result_by_form_and_by_code(client_of, make_sample, today, no_drift):
    first, second = make_sample(), make_sample()
    client = client_of("health")
    response = client.post(
        reverse("testing:sample_result", args=[first.pk]),
        {"status": "positive", "ct_value": "22.5", "result_on": today.isoformat()},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "positive" and str(first.ct_value) == "22.5"
    bad = client.post(
        reverse("testing:result_entry"),
        {"code": second.code, "status": "negative", "ct_value": "50", "result_on": today.isoformat()},
    )
    assert bad.status_code == 200 and "ct_value" in bad.context["form"].errors
    unknown = client.post(
        reverse("testing:result_entry"), {"code": "NO-SUCH", "status": "negative", "result_on": today.isoformat()}
    )
    assert "NO-SUCH" in unknown.context["form"].errors["code"][0]
    good = client.post(
        reverse("testing:result_entry"),
        {"code": second.code.lower(), "status": "negative", "result_on": today.isoformat()},
    )
    assert good.status_code == 302
    second.refresh_from_db()
    assert second.status == "negative"
    no_drift()


def test_pool_builder(client_of, make_person, lab, today, no_drift):
    members = [make_person(full_name=f"Trần Văn Gộp {i}", cccd=None) for i in range(3)]
    client = client_of("health")
    page = client.get(reverse("testing:pool_create"), {"m": [members[0].pk], "q": "tran van gop"})
    assert [p.pk for p, _url in page.context["candidates"]] == [members[1].pk, members[2].pk]
    data = {
        "m": [m.pk for m in members],
        "reason": "screening",
        "taken_on": today.isoformat(),
        "lab": lab.pk,
        "limit": 10,
        "client_id": "pool-1",
    }
    response = client.post(reverse("testing:pool_create"), data)
    pool = Sample.objects.get(kind="pooled_rt_pcr")
    assert response.status_code == 302 and pool.members.count() == 3
    too_small = client.post(reverse("testing:pool_create"), {**data, "limit": 2, "client_id": "pool-2"})
    assert too_small.status_code == 200 and Sample.objects.count() == 1
    no_drift()


def test_sample_detail_shows_history_and_is_audited(client_of, make_sample, personas, today):
    sample = make_sample()
    do_record_result(personas["health"], sample, status="negative", result_on=today)
    response = client_of("commune").get(reverse("testing:sample", args=[sample.pk]))
    assert len(response.context["changes"]) == 2
    assert AuditEvent.objects.filter(action="view", actor=personas["commune"], object_type="testing.sample").exists()


def test_export_is_audited_and_scoped(client_of, make_sample, make_person, world, personas):
    make_sample()
    make_sample(person=make_person(unit=world.other_village, full_name="Lý Thị Xa", cccd=None))
    response = client_of("other_commune").get(reverse("testing:samples_export") + "?status=pending")
    rows = read_xlsx(response.content)
    assert [row[2] for row in rows[1:]] == ["Lý Thị Xa"]
    event = AuditEvent.objects.get(action="export", actor=personas["other_commune"])
    assert event.detail["rows"] == 1 and event.detail["filters"] == {"status": "pending"}
    assert event.detail["people"] == [Person.objects.get(full_name="Lý Thị Xa").pk]


def test_list_filters_and_search(client_of, make_sample, make_person, today):
    wanted = make_sample(person=make_person(full_name="Đinh Thị Mẫu", sex="F", cccd=None), reason="fever_cough")
    make_sample(days_ago=5)
    client = client_of("commune")
    by_name = client.get(reverse("testing:samples"), {"q": "dinh thi mau"})
    assert [s.pk for s in by_name.context["table"].data] == [wanted.pk]
    by_code = client.get(reverse("testing:samples"), {"q": wanted.code.lower()})
    assert [s.pk for s in by_code.context["table"].data] == [wanted.pk]
    by_filters = client.get(
        reverse("testing:samples"), {"reason": "fever_cough", "taken_from": (today - timedelta(days=2)).isoformat()}
    )
    assert [s.pk for s in by_filters.context["table"].data] == [wanted.pk]
    partial = client.get(reverse("testing:samples"), {"q": "dinh"}, HTTP_HX_REQUEST="true")
    assert "Đinh Thị Mẫu" in partial.content.decode() and "<nav" not in partial.content.decode()


def test_list_query_count_does_not_grow_with_rows(client_of, make_sample, make_person, lab, personas, today):
    client = client_of("commune")
    make_sample()
    do_register_pool(
        personas["health"],
        members=[make_person(cccd=None), make_person(cccd=None)],
        reason="screening",
        taken_on=today,
        lab=lab,
    )
    client.get(reverse("testing:samples"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("testing:samples"))
    for _ in range(25):
        make_sample()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("testing:samples"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_positives_without_case(client_of, make_sample, personas, today):

    waiting, handled, negative = make_sample(), make_sample(), make_sample()
    for sample in (waiting, handled):
        do_record_result(personas["health"], sample, status="positive", result_on=today)
    do_record_result(personas["health"], negative, status="negative", result_on=today)
    case = Case(person=handled.person, case_number="BP-1", confirmed_on=today)
    case.place_in(handled.person.unit)
    case.save()
    response = client_of("health").get(reverse("testing:positives"))
    assert [s.pk for s in response.context["table"].data] == [waiting.pk]
    assert reverse("people:detail", args=[waiting.person_id]).encode() in response.content


def test_pending_work_list_by_lab_and_age(client_of, make_sample, lab):
    make_sample(days_ago=0), make_sample(days_ago=2), make_sample(days_ago=6), make_sample(days_ago=1, lab=None)
    response = client_of("commune").get(reverse("testing:pending"))
    summary = {row["lab_id"]: row for row in response.context["summary"]}
    assert summary[lab.pk]["total"] == 3 and summary[lab.pk]["buckets"] == [1, 1, 1]
    assert summary[None]["total"] == 1
    codes = [s.taken_on for s in response.context["table"].data]
    assert codes == sorted(codes)  # oldest first


def test_lab_pages(client_of, world, make_sample, today):
    client = client_of("district")
    response = client.post(
        reverse("testing:lab_create"),
        {
            "name": "TTYT huyện",
            "code": "ttyt-bgm",
            "unit": world.district.code,
            "daily_capacity": 2,
            "antigen_capacity": 100,
            "active": "on",
            "client_id": "l1",
        },
    )
    lab = Lab.objects.get(code="TTYT-BGM")
    assert response.status_code == 302
    make_sample(lab=lab, days_ago=0), make_sample(lab=lab, days_ago=0), make_sample(lab=lab, days_ago=0)
    page = client.get(reverse("testing:lab", args=[lab.pk]))
    today_row = page.context["days"][0]
    assert today_row["day"] == today and today_row["pcr"].demand == 3 and today_row["pcr"].over
    duplicate = client.post(
        reverse("testing:lab_create"),
        {
            "name": "Khác",
            "code": "TTYT-BGM",
            "unit": world.district.code,
            "daily_capacity": 0,
            "antigen_capacity": 0,
            "client_id": "l2",
        },
    )
    assert duplicate.status_code == 200 and "code" in duplicate.context["form"].errors


def test_capacity_page_reads_tallies(client_of, make_sample, lab, world, today):
    make_sample(days_ago=0), make_sample(days_ago=0)
    response = client_of("province").get(reverse("testing:capacity"))
    assert response.context["unit"] == world.province
    today_load = response.context["days"][0]
    assert (today_load.day, today_load.demand, today_load.capacity) == (today, 2, 1300)
    children = {unit.code: load for unit, load in response.context["children"]}
    assert children["691"].demand == 2 and children["691"].capacity == 0
    assert client_of("commune").get(reverse("testing:capacity"), {"unit": "25229"}).status_code == 404


def test_campaign_pages(client_of, world, make_person, make_sample, personas, today):
    client = client_of("commune")
    response = client.post(
        reverse("testing:campaign_create"),
        {
            "name": "Sàng lọc thôn 1",
            "unit": world.commune.code,
            "start": today.isoformat(),
            "sample_kind": "rt_pcr",
            "client_id": "c1",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    adults = [make_person(full_name=f"Người Lớn {i}", birth_year=1980, cccd=None) for i in range(3)]
    make_person(full_name="Em Bé", birth_year=today.year - 3, cccd=None)
    url = reverse("testing:campaign_targets", args=[campaign.pk])
    preview = client.get(url, {"age_from": 18, "age_to": 60})
    assert preview.context["count"] == 3 and Campaign.targets.through.objects.count() == 0  # shown before adding
    client.post(url, {"age_from": 18, "age_to": 60})
    assert set(campaign.targets.values_list("pk", flat=True)) == {p.pk for p in adults}
    make_sample(person=adults[0], days_ago=0)
    page = client.get(reverse("testing:campaign", args=[campaign.pk]))
    coverage = page.context["campaign"].coverage
    assert (coverage.targets, coverage.tested, coverage.percent) == (3, 1, 33)
    assert {p.pk for p in page.context["untested"]} == {adults[1].pk, adults[2].pk}
    rows = read_xlsx(client.get(reverse("testing:campaign_untested_export", args=[campaign.pk])).content)
    assert sorted(row[1] for row in rows[1:]) == ["Người Lớn 1", "Người Lớn 2"]
    client.post(reverse("testing:campaign_remove", args=[campaign.pk]), {"person": adults[2].pk})
    assert campaign.targets.count() == 2


def test_campaign_coverage_counts_pools_and_not_invalid(world, make_person, make_sample, personas, lab, today):

    campaign, _ = do_create_campaign(
        personas["national"],
        unit=world.commune,
        data={"name": "C", "start": today - timedelta(days=5), "sample_kind": "pooled_rt_pcr"},
    )
    pooled, invalid, before, untested = (make_person(cccd=None) for _ in range(4))
    do_add_targets(personas["national"], campaign, [pooled, invalid, before, untested])
    do_register_pool(
        personas["national"], members=[pooled, make_person(cccd=None)], reason="screening", taken_on=today, lab=lab
    )
    bad = make_sample(person=invalid, days_ago=1)
    do_record_result(personas["national"], bad, status="invalid", result_on=today)
    make_sample(person=before, days_ago=9)  # before the campaign started
    assert coverage(campaign, today) == type(coverage(campaign, today))(targets=4, tested=1)


def test_import_template_download(client_of):
    response = client_of("health").get(reverse("desk:import_template", args=["testing.lab_results"]))
    assert response.status_code == 200 and read_xlsx(response.content)[0][1]


@pytest.mark.parametrize(
    "url_name", ["testing:pending", "testing:positives", "testing:labs", "testing:campaigns", "testing:index"]
)
def test_other_lists_do_not_grow_queries_with_rows(url_name, client_of, make_sample, personas, world, today):
    client = client_of("commune")

    def more():
        for _ in range(8):
            sample = make_sample()
            do_record_result(personas["health"], make_sample(), status="positive", result_on=today)
            do_create_campaign(
                personas["national"], unit=world.commune, data={"name": "C", "start": today, "sample_kind": "rt_pcr"}
            )
            do_add_targets(personas["national"], Campaign.objects.last(), [sample.person])

    more()
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    more()
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_samples_of_a_person_include_pools(personas, make_person, make_sample, lab, today):

    person = make_person()
    own = make_sample(person=person)
    pool, _ = do_register_pool(
        personas["health"], members=[person, make_person(cccd=None)], reason="screening", taken_on=today, lab=lab
    )
    make_sample()
    assert [s.pk for s in samples_of_person(personas["commune"], person)] == [pool.pk, own.pk]
    assert list(samples_of_person(personas["other_commune"], person)) == []


def test_the_sample_list_filters_by_result_day_and_unit(world, personas, client_of, make_sample, make_person, today):
    """What the dashboard's tests tiles link to: results of a day (not samples taken that day), in a unit."""
    taken_earlier = make_sample(make_person(unit=world.commune, cccd=None), days_ago=3)
    do_record_result(personas["national"], taken_earlier, status="positive", ct=Decimal("24"), result_on=today)
    taken_today = make_sample(make_person(unit=world.commune, cccd=None), days_ago=0)  # pending: no result yet
    elsewhere = make_sample(make_person(unit=world.other_commune, cccd=None), days_ago=2)
    do_record_result(personas["national"], elsewhere, status="negative", result_on=today)
    client = client_of("district")

    def listed(query: str, client=client) -> set[int]:
        return {row.record.pk for row in client.get("/testing/samples/?" + query).context["table"].paginated_rows}

    day = today.isoformat()
    assert listed(f"result_from={day}&result_to={day}") == {taken_earlier.pk, elsewhere.pk}
    assert listed(f"result_from={day}&result_to={day}&unit={world.commune.code}") == {taken_earlier.pk}
    assert listed(f"taken_from={day}&taken_to={day}") == {taken_today.pk}
    assert listed("unit=nowhere") == set()
    assert listed(f"unit={world.other_commune.code}", client_of("commune")) == set()  # a code never widens the scope
