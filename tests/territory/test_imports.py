"""Population and adjacency imports: preview, row errors, all-or-nothing, scope."""

from chongdich.territory.models import Adjacency, AdminUnit
from tests.helpers import run_job, xlsx_bytes

POP_HEADER = ["Mã đơn vị", "Tên đơn vị", "Dân số", "0-17", "18-49", "50-64", "65+", "Ngày số liệu", "Biên giới"]


def test_population_import_updates_units(world, personas):
    content = xlsx_bytes(
        [
            POP_HEADER,
            ["25228", "Xã Đức Hạnh", 9100, 2600, 4200, 1500, 800, "01/04/2021", "Không"],
            ["25229", "Xã Phú Văn", "7.900", 2000, 3900, 1300, 700, "01/04/2021", "Có"],
        ],
        title="DÂN SỐ THEO ĐỘ TUỔI — HUYỆN BÙ GIA MẬP",
    )
    job = run_job(personas["district"], "territory.population", world.district, "danso.xlsx", content)
    assert job.status == "done", job.message or job.errors
    assert job.summary["update"] == 2
    phu_van = AdminUnit.objects.get(code="25229")
    assert phu_van.population_total == 7900 and phu_van.is_border and str(phu_van.population_as_of) == "2021-04-01"
    assert phu_van.history.first().history_user == personas["district"]


def test_one_bad_row_saves_nothing(world, personas):
    content = xlsx_bytes(
        [
            POP_HEADER,
            ["25228", "", 9100, 2600, 4200, 1500, 800, "", ""],
            ["99999", "", 100, 25, 50, 15, 10, "", ""],  # unknown code
            ["25229", "", 100, 1, 1, 1, 1, "", ""],
        ]  # bands do not add up
    )
    job = run_job(personas["district"], "territory.population", world.district, "danso.xlsx", content, confirm=False)
    assert job.status == "failed" and "2" in job.message  # the check already says nothing can be saved
    assert job.summary["invalid"] == 2
    messages = " ".join(e["message"] for e in job.errors)
    assert "99999" in messages and job.errors[0]["row"] == 3
    assert AdminUnit.objects.get(code="25228").population_total == 9000  # unchanged by the check
    # Even when the import is forced past the preview, the good row is not saved alone.
    from chongdich.core import imports

    imports.execute(job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.status == "failed" and "2" in job.message
    assert AdminUnit.objects.get(code="25228").population_total == 9000


def test_population_outside_scope_is_rejected(world, personas):
    content = xlsx_bytes([POP_HEADER, ["25229", "", 100, 25, 50, 15, 10, "", ""]])
    job = run_job(personas["commune"], "territory.population", world.commune, "danso.xlsx", content, confirm=False)
    assert job.summary["invalid"] == 1
    assert AdminUnit.objects.get(code="25229").population_total == 7800


def test_adjacency_import_replaces_derived_pairs(world, personas):
    from chongdich.territory.actions import derive_adjacency

    derive_adjacency()
    assert Adjacency.objects.filter(derived=True).exists()
    content = xlsx_bytes([["Mã đơn vị", "Mã giáp ranh"], ["25228", "25229"], ["25229", "25222"]])
    job = run_job(personas["district"], "territory.adjacency", world.district, "giapranh.xlsx", content)
    assert job.status == "done", job.errors
    pairs = set(Adjacency.objects.values_list("unit__code", "neighbour__code", "derived"))
    assert pairs == {
        ("25228", "25229", False),
        ("25229", "25228", False),
        ("25229", "25222", False),
        ("25222", "25229", False),
    }


def test_adjacency_to_itself_is_an_error(world, personas):
    content = xlsx_bytes([["Mã đơn vị", "Mã giáp ranh"], ["25228", "25228"]])
    job = run_job(personas["district"], "territory.adjacency", world.district, "giapranh.xlsx", content, confirm=False)
    assert job.summary["invalid"] == 1 and not Adjacency.objects.exists()


def test_wrong_columns_explain_what_is_needed(world, personas):
    content = xlsx_bytes([["Họ tên", "Tuổi"], ["A", 3]])
    job = run_job(personas["district"], "territory.population", world.district, "sai.xlsx", content)
    assert job.status == "failed"
    assert "Mã đơn vị" in job.message or "Unit code" in job.message
