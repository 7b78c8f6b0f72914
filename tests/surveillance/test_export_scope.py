"""The contact exports name the F1 an F2 came through ("Thông qua") only when the user may see that F1
(issue 8 §1), like the tracing pages."""

import pytest
from django.urls import reverse

from chongdich.surveillance.models import Contact
from tests.helpers import read_xlsx


@pytest.fixture
def f2_elsewhere(world, make_person, confirm, expose):
    """A case and its F1 in Đức Hạnh; an F2 of that F1 who lives in Phú Văn."""
    case = confirm(make_person(full_name="Trần Văn Nguồn", cccd=None))
    f1 = make_person(full_name="Đỗ Thị Trung", cccd=None)
    f2 = make_person(unit=world.other_village, full_name="Lý Văn Xa", cccd=None)
    expose(case.person, f1)
    expose(f1, f2)
    assert Contact.objects.get(person=f2).via == f1
    return {"case": case, "f1": f1, "f2": f2}


def _through(rows, name):
    header = rows[0]
    return [row[len(header) - 1] for row in rows[1:] if name in row]


def test_tracing_export_hides_the_through_person_of_another_area(client_of, f2_elsewhere):
    rows = read_xlsx(
        client_of("other_commune").get(reverse("surveillance:worklist_export"), {"status": "open"}).content
    )
    assert rows[0][-1] == "Thông qua"
    assert _through(rows, "Lý Văn Xa") == ["một người ở địa bàn khác"]
    assert not any("Đỗ Thị Trung" in str(cell) for row in rows for cell in row)


def test_tracing_export_names_the_through_person_in_scope(client_of, f2_elsewhere):
    rows = read_xlsx(client_of("district").get(reverse("surveillance:worklist_export"), {"status": "open"}).content)
    assert _through(rows, "Lý Văn Xa") == ["Đỗ Thị Trung"]
