"""The import pages: upload, background dry run with progress, confirm, rejected-rows download."""

from django.urls import reverse

from chongdich.core.models import ImportJob
from chongdich.people.models import Person
from tests.conftest import valid_cccd
from tests.helpers import read_xlsx, upload, xlsx_bytes

HEADER = ["Họ và tên", "Giới tính", "Năm sinh", "Số CCCD", "Thôn"]


def test_upload_check_confirm(client_of, world, django_capture_on_commit_callbacks):
    client = client_of("commune")
    content = xlsx_bytes(
        [HEADER, ["Mai Văn Lực", "Nam", 1970, valid_cccd("M", 1970), "Thôn 1"], ["Sai Tên 1", "X", 1970, "", "Thôn 1"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("desk:import_new", args=["people.persons"]),
            {"file": upload("ds.xlsx", content), "unit": world.commune.code},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("desk:import_detail", args=[job.pk])
    assert job.status == "checked" and job.summary["new"] == 1 and job.summary["invalid"] == 1
    assert Person.objects.count() == 0
    status = client.get(reverse("desk:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"progress" in status.content and b"hx-trigger" not in status.content  # finished: no more polling
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Person.objects.count() == 1
    rejected = client.get(reverse("desk:import_rejected", args=[job.pk]))
    rows = read_xlsx(b"".join(rejected.streaming_content))
    assert rows[-1][1] == "Sai Tên 1" and rows[-1][-1]


def test_a_running_job_polls(client_of, world, personas):
    job = ImportJob.objects.create(
        kind="people.persons",
        created_by=personas["commune"],
        unit=world.commune,
        unit_path=world.commune.path,
        original_name="x.xlsx",
        status="importing",
        total_rows=1000,
        processed_rows=250,
    )
    page = client_of("commune").get(reverse("desk:import_detail", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in page.content and b"25%" in page.content


def test_other_commune_cannot_see_the_job(client_of, world, personas):
    job = ImportJob.objects.create(
        kind="people.persons",
        created_by=personas["commune"],
        unit=world.commune,
        unit_path=world.commune.path,
        original_name="x.xlsx",
    )
    assert client_of("other_commune").get(reverse("desk:import_detail", args=[job.pk])).status_code == 404
    assert client_of("district").get(reverse("desk:import_detail", args=[job.pk])).status_code == 200


def test_wrong_file_type(client_of, world):
    response = client_of("commune").post(
        reverse("desk:import_new", args=["people.persons"]),
        {"file": upload("ds.docx", b"word"), "unit": world.commune.code},
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_template_download(client_of):
    response = client_of("commune").get(reverse("desk:import_template", args=["territory.population"]))
    header = read_xlsx(response.content)[0]
    assert len(header) == 10


def test_a_file_whose_every_row_is_rejected_offers_no_confirmation(
    client_of, world, django_capture_on_commit_callbacks
):
    client = client_of("commune")
    content = xlsx_bytes([HEADER, ["Sai Tên 1", "X", 1970, "", "Thôn 1"], ["Sai Tên 2", "Y", 1971, "", "Thôn 1"]])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("desk:import_new", args=["people.persons"]),
            {"file": upload("ds.xlsx", content), "unit": world.commune.code},
        )
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.summary["invalid"] == 2 and job.importable == 0
    page = client.get(reverse("desk:import_detail", args=[job.pk])).content.decode()
    assert "Xác nhận và nhập" not in page and "alert-success" not in page
    assert "Không có dòng nào nhập được: cả 2 dòng đều có lỗi" in page
    assert reverse("desk:import_rejected", args=[job.pk]) in page  # the rows come back with their reasons
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:import_confirm", args=[job.pk]))  # a forged confirmation starts nothing
    job.refresh_from_db()
    assert job.status == "failed" and Person.objects.count() == 0


def test_a_file_already_imported_ends_without_a_success(client_of, world, django_capture_on_commit_callbacks):
    client = client_of("commune")
    content = xlsx_bytes([HEADER, ["Mai Văn Lực", "Nam", 1970, valid_cccd("M", 1970), "Thôn 1"]])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("desk:import_new", args=["people.persons"]),
                {"file": upload("ds.xlsx", content), "unit": world.commune.code},
            )
        job = ImportJob.objects.order_by("-pk").first()
        if job.status == "checked":
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("desk:import_confirm", args=[job.pk]))
            page = client.get(reverse("desk:import_detail", args=[job.pk])).content.decode()
            assert "alert-success" in page and "Đã nhập xong: đã lưu 1 dòng." in page
    job.refresh_from_db()
    assert job.status == "done" and job.summary["skip"] == 1 and Person.objects.count() == 1
    page = client.get(reverse("desk:import_detail", args=[job.pk])).content.decode()
    assert "Xác nhận và nhập" not in page and "alert-success" not in page
    assert "Không có gì để nhập: các dòng này đã có trong hệ thống" in page


def test_the_rejected_rows_download_is_audited(client_of, world, personas, django_capture_on_commit_callbacks):
    from chongdich.core.models import AuditEvent

    client = client_of("commune")
    content = xlsx_bytes([HEADER, ["Mai Văn Lực", "Nam", 1970, "", "Thôn 1"], ["Sai Tên 1", "X", 1970, "", "Thôn 1"]])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("desk:import_new", args=["people.persons"]),
            {"file": upload("ds.xlsx", content), "unit": world.commune.code},
        )
    job = ImportJob.objects.get()
    response = client_of("district").get(reverse("desk:import_rejected", args=[job.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="export", object_type="core.importjob")
    assert (event.actor, event.object_id, event.unit_path) == (personas["district"], str(job.pk), world.commune.path)
    assert event.detail["rows"] == 1
    assert client_of("other_commune").get(reverse("desk:import_rejected", args=[job.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="export").count() == 1  # a refused download is no read
