"""The import pages: upload, background dry run with progress, confirm, rejected-rows download."""

from django.urls import reverse

from chongdich.core.models import ImportJob
from chongdich.people.models import Person
from tests.conftest import valid_cccd
from tests.helpers import read_xlsx, upload, xlsx_bytes

HEADER = ["Họ và tên", "Giới tính", "Năm sinh", "Số CCCD", "Thôn"]


def test_upload_check_confirm(client_of, world, django_capture_on_commit_callbacks):
    client = client_of("commune")
    content = xlsx_bytes([HEADER, ["Mai Văn Lực", "Nam", 1970, valid_cccd("M", 1970), "Thôn 1"],
                          ["Sai Tên 1", "X", 1970, "", "Thôn 1"]])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_new", args=["people.persons"]),
                               {"file": upload("ds.xlsx", content), "unit": world.commune.code})  # fmt: skip
    job = ImportJob.objects.get()
    assert response.url == reverse("core:import_detail", args=[job.pk])
    assert job.status == "checked" and job.summary["new"] == 1 and job.summary["invalid"] == 1
    assert Person.objects.count() == 0
    status = client.get(reverse("core:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"progress" in status.content and b"hx-trigger" not in status.content  # finished: no more polling
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Person.objects.count() == 1
    rejected = client.get(reverse("core:import_rejected", args=[job.pk]))
    rows = read_xlsx(b"".join(rejected.streaming_content))
    assert rows[-1][1] == "Sai Tên 1" and rows[-1][-1]


def test_a_running_job_polls(client_of, world, personas):
    job = ImportJob.objects.create(kind="people.persons", created_by=personas["commune"], unit=world.commune,
                                   unit_path=world.commune.path, original_name="x.xlsx", status="importing",
                                   total_rows=1000, processed_rows=250)  # fmt: skip
    page = client_of("commune").get(reverse("core:import_detail", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in page.content and b"25%" in page.content


def test_other_commune_cannot_see_the_job(client_of, world, personas):
    job = ImportJob.objects.create(kind="people.persons", created_by=personas["commune"], unit=world.commune,
                                   unit_path=world.commune.path, original_name="x.xlsx")  # fmt: skip
    assert client_of("other_commune").get(reverse("core:import_detail", args=[job.pk])).status_code == 404
    assert client_of("district").get(reverse("core:import_detail", args=[job.pk])).status_code == 200


def test_wrong_file_type(client_of, world):
    response = client_of("commune").post(reverse("core:import_new", args=["people.persons"]),
                                         {"file": upload("ds.docx", b"word"), "unit": world.commune.code})  # fmt: skip
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_template_download(client_of):
    response = client_of("commune").get(reverse("core:import_template", args=["territory.population"]))
    header = read_xlsx(response.content)[0]
    assert len(header) == 10
