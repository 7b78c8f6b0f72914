"""The forecast pages through the test client: scope (out of area = 404), figures equal their lists,
odd parameters never a server error, the exports, the settings form and the runs."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.forecast import actions
from chongdich.forecast.models import ForecastSetting, Run, RunStatus
from tests.forecast import pages_data
from tests.forecast.pages_data import D

DAY = {"day": D.isoformat()}


@pytest.fixture
def data(world):
    return pages_data.build(world)


def _rows(response, table_id: str) -> int:
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    body = html[start : html.index("</table>", start)]
    return body.count("<tr") - 1  # the header row


def test_overview_ranks_the_districts_communes_by_growth(client_of, data):
    response = client_of("district").get(reverse("forecast:overview"), DAY)
    assert response.status_code == 200
    page = response.content.decode()
    ranking = response.context["ranking_table"]
    names = [row.record.unit.name for row in ranking.page]
    # Bù Gia Mập (+200%) and Đức Hạnh (+100%) grow, Phú Văn falls: growth, not size, orders them.
    assert names == ["Xã Bù Gia Mập", "Xã Đức Hạnh", "Xã Phú Văn"]
    assert "not enough cases" in page or "không đủ ca" in page
    assert response.context["ranking_count"] == len(names) == _rows(response, "ranking-table")
    # What runs out first: the district's thresholds, soonest first; never the far province's.
    runouts = [row.record.subject for row in response.context["runout_table"].page]
    assert runouts == [
        "Cách ly Đức Hạnh",
        "Trạm Y tế Đức Hạnh: giường điều trị",
        "Bù Gia Mập: 100 ca",
        "Xét nghiệm Phú Văn",
    ]
    assert response.context["runout_count"] == 4 == _rows(response, "runout-table")
    assert "Bệnh viện xa" not in page


def test_overview_by_rt_puts_reliable_estimates_first(client_of, data):
    response = client_of("district").get(reverse("forecast:overview"), {**DAY, "by": "rt"})
    names = [row.record.unit.name for row in response.context["ranking_table"].page]
    assert names == ["Xã Đức Hạnh", "Xã Phú Văn", "Xã Bù Gia Mập"]


def test_overview_filters_and_counts_agree(client_of, data):
    response = client_of("district").get(reverse("forecast:overview"), {**DAY, "reliable": "yes", "kind": "beds"})
    assert response.context["ranking_count"] == 2 == _rows(response, "ranking-table")
    assert response.context["runout_count"] == 1 == _rows(response, "runout-table")


def test_overview_of_the_nation_ranks_provinces(client_of, data):
    response = client_of("national").get(reverse("forecast:overview"), {**DAY, "unit": "VN"})
    assert response.status_code == 200
    names = [row.record.unit.name for row in response.context["ranking_table"].page]
    assert names == ["Tỉnh Bình Phước"]  # the far province has no province-level row in this data


def test_a_commune_officer_sees_only_the_commune(client_of, data):
    response = client_of("commune").get(reverse("forecast:overview"), DAY)
    assert response.status_code == 200
    assert response.context["place"].code == "25228"
    subjects = [row.record.subject for row in response.context["runout_table"].page]
    assert subjects == ["Cách ly Đức Hạnh", "Trạm Y tế Đức Hạnh: giường điều trị"]


@pytest.mark.parametrize(
    "url_name,args,query",
    [
        ("forecast:overview", [], {"unit": "79"}),
        ("forecast:overview", [], {"unit": "25229"}),
        ("forecast:overview", [], {"unit": "VN"}),
        ("forecast:ranking_export", [], {"unit": "26734"}),
        ("forecast:runout_export", [], {"unit": "691"}),
        ("forecast:unit", ["25229"], {}),
        ("forecast:unit", ["26734"], {}),
        ("forecast:unit", ["nope"], {}),
    ],
)
def test_out_of_area_is_404(client_of, data, url_name, args, query):
    response = client_of("commune").get(reverse(url_name, args=args), {**DAY, **query})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"day": "2021-13-40"},
        {"day": "9999-12-31"},
        {"day": "0001-01-01"},
        {"by": "size"},
        {"r-page": "abc", "o-page": "99999"},
        {"reliable": "maybe", "kind": "x", "within": "1000"},
        {"q": "x" * 500},
        {"unit": "x" * 500},
    ],
)
def test_odd_parameters_never_fail(client_of, data, query):
    for name in ("forecast:overview", "forecast:ranking_export", "forecast:runout_export"):
        response = client_of("district").get(reverse(name), query)
        assert response.status_code in (200, 404), (name, query)
    response = client_of("district").get(reverse("forecast:unit", args=["25228"]), query)
    assert response.status_code == 200


def test_exports_equal_the_lists(client_of, data):
    client = client_of("district")
    page = client.get(reverse("forecast:overview"), DAY)
    for name, count in (("forecast:ranking_export", page.context["ranking_count"]), ("forecast:runout_export", 4)):
        response = client.get(reverse(name), DAY)
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "STT"  # Vietnamese headers
        assert len(rows) - 1 == count
        assert not any("Bệnh viện xa" in str(cell) for row in rows for cell in row)
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_unit_page_shows_rt_projection_demand_and_accuracy(client_of, data):
    response = client_of("district").get(reverse("forecast:unit", args=["25228"]), DAY)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="rt-chart"' in page and 'id="fan-chart"' in page
    assert len(response.context["series"]) == 60
    assert len(response.context["fan_rows"]) == 28
    labels = [label for label, _cells in response.context["demand"]]
    assert len(labels) == 5 and labels[0] == "Giường điều trị" and "ICU" in labels[2]
    accuracy = {lead: verdict for lead, _m, verdict in response.context["accuracy"]}
    assert accuracy == {7: "better", 14: "better"}
    assert "Tốt hơn dự báo đơn giản" in page or "Better than the naive forecast" in page
    for _lead, methods, _verdict in response.context["accuracy"]:
        assert methods["renewal"].scored == 28 and methods["naive"].scored == 28
        assert methods["renewal"].mae == pytest.approx(2.0)
        assert methods["renewal"].in_90 == pytest.approx(1.0)
    assert "forecast 2021.1" in page


def test_unit_page_without_enough_cases_says_so(client_of, data):
    response = client_of("district").get(reverse("forecast:unit", args=["25222"]), DAY)
    assert response.status_code == 200
    assert response.context["estimate"].reliable is False
    page = response.content.decode()
    assert 'id="fc-rt"' in page
    assert "không đủ ca" in page or "not enough cases" in page


def test_unit_page_of_a_unit_without_forecasts(client_of, world):
    response = client_of("district").get(reverse("forecast:unit", args=["25228"]))
    assert response.status_code == 200
    assert response.context["projection"] is None


# -- settings -------------------------------------------------------------------------------------


def _settings_post(**values):
    data = {"province": "70"}
    data.update({key: str(value) for key, value in values.items()})
    return data


def test_province_committee_saves_settings_audited_with_history(client_of, world, personas):
    client = client_of("province")
    url = reverse("forecast:settings")
    assert client.get(url).status_code == 200
    response = client.post(
        url, _settings_post(si_mean=4.5, window=10, imported="local", share_treatment=0.62, share_icu=0.08, stay_icu=20)
    )
    assert response.status_code == 302, response.context["form"].errors
    setting = ForecastSetting.objects.get(unit=world.province)
    assert setting.overrides == {
        "si_mean": 4.5,
        "window": 10,
        "imported": "local",
        "shares": {"treatment": 0.62, "icu": 0.08},
        "stay_days": {"icu": 20},
    }
    assert setting.updated_by == personas["province"]
    assert AuditEvent.objects.filter(object_type__icontains="forecastsetting").exists()
    page = client.get(url).content.decode()
    assert 'id="fc-settings-history"' in page
    assert "si_mean" not in page.split('id="fc-settings-history"')[1]
    # The unit page now says imported cases count as local.
    unit_page = client.get(reverse("forecast:unit", args=["25228"])).content.decode()
    assert "được tính là ca trong cộng đồng" in unit_page or "counted as local cases" in unit_page


def test_settings_refused_by_the_rules_keep_what_was_typed(client_of, world):
    client = client_of("province")
    response = client.post(
        reverse("forecast:settings"),
        _settings_post(share_treatment=0.9, share_oxygen=0.5, si_mean="abc", window=0),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "si_mean" in form.errors and "window" in form.errors
    assert 'value="0.9"' in response.content.decode()
    assert not ForecastSetting.objects.exists()
    response = client.post(reverse("forecast:settings"), _settings_post(share_treatment=0.9, share_oxygen=0.5))
    assert response.status_code == 200
    assert response.context["form"].errors["share_treatment"]
    assert not ForecastSetting.objects.exists()


def test_settings_are_the_provinces_own(client_of, world):
    # A district committee holds forecast.edit, but not on the province: no province to set.
    assert client_of("district").get(reverse("forecast:settings")).status_code == 404
    assert client_of("viewer").get(reverse("forecast:settings")).status_code == 403
    response = client_of("province").get(reverse("forecast:settings"), {"province": "79"})
    assert response.status_code == 404
    response = client_of("province").post(reverse("forecast:settings"), {"province": "79", "window": "9"})
    assert response.status_code == 404
    assert not ForecastSetting.objects.exists()


def test_do_save_settings_refuses_outside_the_province(world, personas):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        actions.do_save_settings(personas["province"], world.far_province, {"window": 9})
    with pytest.raises(ValidationError):
        actions.do_save_settings(personas["province"], world.district, {"window": 9})
    with pytest.raises(ValidationError):
        actions.do_save_settings(personas["province"], world.province, {"window": 0})


# -- runs --------------------------------------------------------------------------------------------


def test_runs_list_and_page_with_progress(client_of, world):
    run = Run.objects.create(day=D, status=RunStatus.RUNNING, step="estimates", done=400, total=1000)
    client = client_of("viewer")
    assert client.get(reverse("forecast:runs")).status_code == 200
    response = client.get(reverse("forecast:run", args=[run.pk]))
    page = response.content.decode()
    assert 'hx-trigger="every 2s"' in page and "40%" in page
    fragment = client.get(reverse("forecast:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith("<div") or 'id="fc-run-status"' in fragment.content.decode()
    run.status, run.done, run.figures = RunStatus.DONE, 1000, {"estimates": 1000, "timings": {"rt": 1.5}}
    run.save()
    page = client.get(reverse("forecast:run", args=[run.pk])).content.decode()
    assert "hx-trigger" not in page
    assert client.get(reverse("forecast:run", args=[run.pk + 999])).status_code == 404


def test_run_now_calls_the_nightly_start(client_of, world, monkeypatch):
    started = []

    def fake_start(actor, day):
        started.append((actor.username, day))
        return Run.objects.create(day=day, started_by=actor)

    monkeypatch.setattr(actions, "do_start_run", fake_start, raising=False)
    client = client_of("district")
    page = client.get(reverse("forecast:runs")).content.decode()
    assert 'id="fc-run-now"' in page
    response = client.post(reverse("forecast:run_start"), {"day": "2021-08-20"})
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert started == [("district", date(2021, 8, 20))]
    # A day in the future or not a date: refused with a message, nothing started.
    for day in ("9999-01-01", "abc", ""):
        response = client.post(reverse("forecast:run_start"), {"day": day})
        assert response.status_code == 302
    assert len(started) == 1
    # Viewers read runs but cannot start one.
    assert client_of("viewer").post(reverse("forecast:run_start"), {"day": "2021-08-20"}).status_code == 403
