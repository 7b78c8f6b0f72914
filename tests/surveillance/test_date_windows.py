"""A mistyped year on the case and contact forms and in the case and F1 lists: a clear Vietnamese message
on the field, what the user typed kept, nothing saved — never a server error (``NoRuleInForce`` was a
500).  Two layers: the plausible date windows (``core.dates``) and, behind them, "no rule in force on
that day" as a validation error at the service level (``RuleNotInForce``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

import chongdich.surveillance.imports  # noqa: F401 - registers the importers
from chongdich.core.versioning import NoRuleInForce
from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Exposure
from tests.helpers import run_job, xlsx_bytes

# The windows opened wide: only the rules' own limit (no rule before 2020) stands.
NO_WINDOWS = override_settings(CHONGDICH_EPIDEMIC_START="1800-01-01")


def case_form(**extra):
    return {
        "confirmed_on": "2021-07-12",
        "test_type": "rt_pcr",
        "detected_in": "community",
        "source_known": "0",
        "severity": "mild",
        "treatment_place": "home",
        "client_id": "form-1",
        **extra,
    }


def exposure_form(**extra):
    return {
        "direction": "forward",
        "kind": "household",
        "start_date": "2021-07-09",
        "masked": "",
        "client_id": "e-1",
        **extra,
    }


@pytest.fixture
def person(make_person):
    return make_person(full_name="Trần Văn Gõ", cccd=None)


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("confirmed_on", "2012-06-01", "trước khi dịch xuất hiện ở Việt Nam (23/01/2020)"),
        ("confirmed_on", "1900-01-01", "kiểm tra lại năm"),
        ("confirmed_on", "2020-01-15", "23/01/2020"),  # before Viet Nam's first case
        ("confirmed_on", "2999-07-12", "sau ngày hôm nay"),
        ("onset_date", "2012-07-10", "kiểm tra lại năm"),
    ],
)
def test_case_form_mistyped_year_is_explained_and_kept(client_of, person, field, typed, says):
    response = client_of("health").post(
        f"{reverse('surveillance:confirm')}?person={person.pk}", case_form(**{field: typed})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert says in " ".join(errors[field]), errors
    assert f'value="{typed}"' in response.content.decode()  # what the user typed is still there
    assert not Case.objects.exists()


def test_case_form_date_inputs_carry_the_window(client_of, person):
    page = client_of("health").get(reverse("surveillance:confirm"), {"person": person.pk}).content.decode()
    assert 'min="2020-01-23"' in page and 'min="2020-01-09"' in page  # confirmation; onset (14 days earlier)


@pytest.mark.parametrize("typed", ["2012-07-09", "1900-01-01"])
def test_contact_form_mistyped_year_is_explained_and_kept(client_of, world, confirm, person, make_person, typed):
    index = confirm(person)
    other = make_person(full_name="Võ Thị Gần", sex="F", cccd=None)
    response = client_of("health").post(
        reverse("surveillance:exposure_create", args=[index.person_id]), exposure_form(other=other.pk, start_date=typed)
    )
    assert response.status_code == 200 and "kiểm tra lại năm" in " ".join(response.context["form"].errors["start_date"])
    assert f'value="{typed}"' in response.content.decode() and not Exposure.objects.exists()


# -- behind the windows: no rule in force is a validation error at the service level ------------


@NO_WINDOWS
def test_no_rule_in_force_is_a_validation_error_of_the_service(personas, person):
    from datetime import date

    from chongdich.surveillance.actions import do_confirm_case

    with pytest.raises(ValidationError) as refused:
        do_confirm_case(personas["health"], person, confirmed_on=date(2012, 6, 1))
    assert isinstance(refused.value, NoRuleInForce)  # code that handles NoRuleInForce still does
    assert refused.value.messages == [
        "Không có quy định nào áp dụng cho ngày 01/06/2012: có thể ngày đã bị nhập nhầm. Kiểm tra lại năm."
    ]
    assert not Case.objects.exists()


@NO_WINDOWS
def test_no_rule_in_force_on_the_case_form_is_a_message_not_a_500(client_of, person):
    response = client_of("health").post(
        f"{reverse('surveillance:confirm')}?person={person.pk}", case_form(confirmed_on="2012-06-01")
    )
    assert response.status_code == 200
    assert "Không có quy định nào áp dụng cho ngày 01/06/2012" in " ".join(response.context["form"].non_field_errors())
    assert 'value="2012-06-01"' in response.content.decode() and not Case.objects.exists()


@NO_WINDOWS
def test_no_rule_in_force_on_the_contact_form_is_a_message_not_a_500(client_of, confirm, person, make_person):
    index = confirm(person)
    other = make_person(full_name="Võ Thị Gần", sex="F", cccd=None)
    response = client_of("health").post(
        reverse("surveillance:exposure_create", args=[index.person_id]),
        exposure_form(other=other.pk, start_date="2012-07-09"),
    )
    assert response.status_code == 200 and not Exposure.objects.exists()
    assert "Không có quy định nào áp dụng" in " ".join(response.context["form"].non_field_errors())


CASE_HEADER = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "SĐT", "Thôn", "Ngày xác định"]


@pytest.mark.parametrize(
    ("windows", "says"),
    [
        (None, "là trước khi dịch xuất hiện ở Việt Nam"),
        (NO_WINDOWS, "Không có quy định nào áp dụng cho ngày 12/06/2012"),
    ],
)
def test_case_import_rejects_a_mistyped_year_in_vietnamese(world, personas, windows, says):
    rows = [
        CASE_HEADER,
        [1, "Nguyễn Thị Lan", 1990, "Nữ", "0912 000 111", "Thôn 1", "12/07/2021"],
        [2, "Lê Văn Nhầm", 1980, "Nam", "0912 000 222", "Thôn 1", "12/06/2012"],
    ]
    with windows or override_settings():
        job = run_job(personas["health"], "surveillance.cases", world.commune, "ca-benh.xlsx", xlsx_bytes(rows))
    assert job.status == "done" and job.summary["new"] == 1 and job.summary["invalid"] == 1, job.summary
    (error,) = job.errors
    assert says in error["message"] and "no national version" not in error["message"]
    assert list(Case.objects.values_list("person__full_name", flat=True)) == ["Nguyễn Thị Lan"]
    assert not Person.objects.filter(full_name="Lê Văn Nhầm").exists()  # the refused row left nobody behind
