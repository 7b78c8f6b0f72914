"""The plausible window of every date field: table-driven, configurable, and a property over all dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from chongdich.core import clock, dates
from chongdich.core.dates import WINDOWS, RuleNotInForce, WindowedDateField
from chongdich.core.versioning import NoRuleInForce, RuleBook

TODAY = date(2021, 8, 20)
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned(settings):
    settings.CHONGDICH_TODAY = TODAY.isoformat()


@pytest.mark.parametrize(
    ("key", "day", "ok"),
    [
        ("case.confirmed_on", date(2020, 1, 23), True),  # Viet Nam's first cases
        ("case.confirmed_on", date(2020, 1, 22), False),
        ("case.confirmed_on", date(2020, 1, 15), False),
        ("case.confirmed_on", TODAY, True),
        ("case.confirmed_on", TODAY + timedelta(days=1), False),  # today of the pinned clock, not of the machine
        ("case.onset_date", date(2020, 1, 9), True),  # 14 days of incubation before the first case
        ("case.onset_date", date(2020, 1, 8), False),
        ("exposure.start", date(2020, 1, 9), True),
        ("sample.taken_on", date(2012, 6, 1), False),
        ("stay.last_exposure", TODAY + timedelta(days=1), False),
        ("campaign.start", TODAY + timedelta(days=30), True),  # planned ahead
        ("order.until", TODAY + timedelta(days=90), True),
        ("order.until", TODAY + timedelta(days=91), False),
        ("person.date_of_birth", date(1900, 1, 1), True),
        ("person.date_of_birth", date(1899, 12, 31), False),
    ],
)
def test_windows_table(key, day, ok):
    assert (dates.problem(key, day) is None) == ok


@given(key=st.sampled_from(sorted(WINDOWS)), day=st.dates())
def test_every_date_is_either_accepted_or_refused_with_a_message(key, day):
    with override_settings(CHONGDICH_TODAY=TODAY.isoformat()):
        earliest, latest = dates.bounds(key)
        message = dates.problem(key, day)
        assert (message is None) == (earliest <= day and (latest is None or day <= latest))
        if message is not None:
            with pytest.raises(ValidationError):
                dates.check(key, day)


def test_windows_are_configurable(settings):
    settings.CHONGDICH_EPIDEMIC_START = "2020-03-06"  # a province's first case
    settings.CHONGDICH_DATE_WINDOWS = {
        "case.onset_date": {"lead_days": 30},
        "person.date_of_birth": {"earliest": "1880-01-01"},
    }
    assert dates.bounds("case.confirmed_on") == (date(2020, 3, 6), TODAY)
    assert dates.bounds("case.onset_date")[0] == date(2020, 2, 5)
    assert dates.problem("person.date_of_birth", date(1885, 1, 1)) is None
    assert dates.year_bounds() == (1880, 2021)


def test_the_message_names_the_field_and_the_bound():
    with pytest.raises(ValidationError) as refused:
        dates.check("sample.taken_on", date(2012, 6, 1))
    assert refused.value.message_dict == {
        "taken_on": ["Ngày lấy mẫu (01/06/2012) là trước khi dịch xuất hiện ở Việt Nam (23/01/2020): kiểm tra lại năm."]
    }
    assert (
        dates.problem("sample.taken_on", TODAY + timedelta(days=1))
        == "Ngày lấy mẫu không được sau ngày hôm nay (hôm nay là 20/08/2021)."
    )


class SampleForm(forms.Form):
    taken_on = WindowedDateField(window="sample.taken_on")


def test_form_field_refuses_keeps_and_bounds_the_picker(settings):
    form = SampleForm({"taken_on": "2012-06-01"})
    assert not form.is_valid() and "23/01/2020" in form.errors["taken_on"][0]
    assert 'value="2012-06-01"' in str(form["taken_on"])
    assert form.fields["taken_on"].widget.attrs == {"min": "2020-01-23", "max": "2021-08-20"}
    settings.CHONGDICH_TODAY = "2021-09-01"  # a new form sees the new day
    assert SampleForm().fields["taken_on"].widget.attrs["max"] == "2021-09-01"
    assert clock.today() == date(2021, 9, 1)


def test_no_rule_in_force_is_a_validation_error_that_is_still_a_no_rule_in_force():
    try:
        RuleBook("x", []).national(date(2012, 6, 1))
    except NoRuleInForce as error:
        converted = RuleNotInForce(error)
    assert isinstance(converted, ValidationError) and isinstance(converted, NoRuleInForce)
    assert "01/06/2012" in converted.messages[0]
