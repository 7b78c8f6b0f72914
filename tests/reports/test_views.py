"""Report pages: read in scope (404 outside), written by committees (viewer 403, another commune
404), the figures-changed notice, and the page without JavaScript (plain forms)."""

import pytest

from chongdich.reports.models import DailyReport, ReportStatus
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db
URL = "/reports/25228/2021-08-20/"


def test_index_opens_the_users_area(outbreak, client_of):
    response = client_of("district").get("/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Huyện Bù Gia Mập" in html and 'id="children-reports"' in html
    assert html.count("/reports/25228/2021-08-20/") >= 1


def test_index_form_redirects_to_the_report(outbreak, client_of):
    response = client_of("commune").get("/reports/", {"unit": "25228", "date": "2021-08-19"})
    assert response.status_code == 302 and response["Location"] == "/reports/25228/2021-08-19/"
    assert client_of("commune").get("/reports/", {"unit": "25229"}).status_code == 404
    assert client_of("commune").get("/reports/25228/").status_code == 302


@pytest.mark.parametrize(
    "persona,status",
    [
        ("commune", 200),
        ("district", 200),
        ("province", 200),
        ("national", 200),
        ("viewer", 200),
        ("health", 200),
        ("other_commune", 404),
        ("community", 404),
    ],
)
def test_reading_in_scope(outbreak, client_of, persona, status):
    assert client_of(persona).get(URL).status_code == status


def test_anonymous_is_sent_to_login(outbreak, client_of):
    response = client_of(None).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_future_and_bad_days_are_not_found(outbreak, client_of):
    client = client_of("commune")
    assert client.get("/reports/25228/2021-08-21/").status_code == 404
    assert client.get("/reports/25228/yesterday/").status_code == 404
    assert client.get("/reports/25228-01/2021-08-20/").status_code == 404  # villages have no report


@pytest.mark.parametrize("persona,status", [("viewer", 403), ("health", 403), ("other_commune", 404)])
def test_writing_refused(outbreak, client_of, persona, status):
    response = client_of(persona).post(URL, {"action": "send", "cut_off": "18:00", "comments": "x"})
    assert response.status_code == status
    assert not DailyReport.objects.exists()


def test_save_then_send_then_figures_changed(outbreak, client_of, tally):
    client = client_of("commune")
    page = client.get(URL).content.decode()
    assert 'id="report-form"' in page and 'id="section-arrivals"' in page
    response = client.post(URL, {"action": "save", "cut_off": "18:00", "comments": "Dự thảo", "number": "12/BC-BCĐ"})
    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert report.status == ReportStatus.DRAFT and report.number == "12/BC-BCĐ"
    client.post(URL, {"action": "send", "cut_off": "18:00", "comments": "Đã gửi huyện"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT and report.comments == "Đã gửi huyện"

    page = client.get(URL).content.decode()
    assert 'id="figures-changed"' not in page and 'id="report-form"' not in page
    assert 'id="reopen-form"' in page
    tally(outbreak.commune, DAY, tests_done=4, tests_positive=1)  # results entered after sending
    page = client.get(URL).content.decode()
    assert 'id="figures-changed"' in page


def test_errors_are_shown_with_the_form(outbreak, client_of):
    response = client_of("commune").post(URL, {"action": "save", "cut_off": "25:99"})
    assert response.status_code == 200
    assert 'id="id_cut_off_error"' in response.content.decode()


def test_reopen(outbreak, client_of):
    client = client_of("commune")
    client.post(URL, {"action": "send", "cut_off": "18:00"})
    assert client_of("viewer").post(URL + "reopen/", {"reason": "Sửa số liệu"}).status_code == 403
    assert client_of("other_commune").post(URL + "reopen/", {"reason": "Sửa số liệu"}).status_code == 404
    client.post(URL + "reopen/", {"reason": "Sửa số liệu xét nghiệm"})
    assert DailyReport.objects.get().status == ReportStatus.DRAFT


def test_cut_off_settings(outbreak, client_of):
    assert client_of("district").get("/reports/settings/70/").status_code == 404
    assert client_of("viewer").get("/reports/settings/70/").status_code == 403
    client = client_of("province")
    assert client.get("/reports/settings/70/").status_code == 200
    assert client.post("/reports/settings/70/", {"cut_off": "17:30"}).status_code == 302
    client.post(URL, {"action": "save", "cut_off": "17:30"})
    assert str(DailyReport.objects.get().cut_off) == "17:30:00"


def test_district_report_lists_each_commune(assessed, client_of):
    page = client_of("district").get("/reports/691/2021-08-20/").content.decode()
    assert 'id="report-children"' in page
    for name in ("Xã Bù Gia Mập", "Xã Đức Hạnh", "Xã Phú Văn"):
        assert name in page
    assert "Phường Tân Định" not in page


def test_query_count_of_the_district_page(assessed, client_of, django_assert_max_num_queries):
    client = client_of("district")
    client.get("/reports/691/2021-08-20/")
    with django_assert_max_num_queries(30):
        assert client.get("/reports/691/2021-08-20/").status_code == 200


def test_a_village_team_sees_no_commune_report(outbreak, client_of):
    html = client_of("community").get("/reports/").content.decode()
    assert 'id="own-report"' not in html and "Xã Đức Hạnh" not in html


def test_index_for_the_whole_country(outbreak, client_of, personas):
    from chongdich.reports.actions import do_send_report

    do_send_report(personas["commune"], outbreak.commune, DAY)
    html = client_of("national").get("/reports/").content.decode()
    assert 'id="recent-reports"' in html and "Xã Đức Hạnh" in html
