"""``assess`` and ``check_new_dose`` table by table: every product's series at its minimum interval
(exactly the minimum = valid, one day less = too short), every mixing pair, the AstraZeneca 4-week
province override, the additional dose and boosters at their edges, ages, numbering and counting,
doses in the future, ``next_due`` / ``earliest_next``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chongdich.vaccination.rules import (
    PROBLEM_CODES,
    DoseIn,
    InputError,
    PersonIn,
    assess,
    az_four_weeks,
    check_new_dose,
    default_config,
    problem_text,
)

D = date.fromisoformat


def person(*doses, dob=None, special=False, recovered=None, pcr=None, pid="p"):
    return PersonIn(
        pid,
        None if dob is None else D(dob),
        tuple(DoseIn(code, D(day)) for code, day in doses),
        None if recovered is None else D(recovered),
        pcr,
        special,
    )


def after(day: str, days: int) -> str:
    return (D(day) + timedelta(days=days)).isoformat()


# product, doses in the series, days between doses (the minimum), first dose date
SERIES = [
    ("AZ", 2, 56, "2021-06-01"),
    ("PF", 2, 21, "2021-07-01"),
    ("MO", 2, 28, "2021-07-01"),
    ("VC", 2, 21, "2021-07-01"),
    ("HV", 2, 21, "2021-08-15"),
    ("SP", 2, 21, "2021-07-01"),
    ("AB", 3, 14, "2021-09-20"),
    ("CX", 2, 28, "2021-11-15"),
    ("JJ", 1, None, "2021-08-01"),
]


@pytest.mark.parametrize(("code", "n", "gap", "first"), SERIES)
def test_each_product_completes_its_series_at_exactly_the_minimum_interval(code, n, gap, first):
    days = [after(first, k * (gap or 0)) for k in range(n)]
    status = assess(person(*[(code, d) for d in days], dob="1980-01-01"), D(days[-1]))
    assert status.complete and status.completed_on == D(days[-1])
    assert status.doses_counted == n and status.problems == ()
    assert [v.number for v in status.doses] == list(range(1, n + 1))
    assert [v.completes_primary for v in status.doses] == [False] * (n - 1) + [True]
    assert status.series_product == code


@pytest.mark.parametrize(("code", "n", "gap", "first"), [s for s in SERIES if s[1] > 1])
def test_each_product_one_day_short_of_the_minimum_is_too_short_and_not_counted(code, n, gap, first):
    days = [after(first, k * gap) for k in range(n - 1)] + [after(first, (n - 1) * gap - 1)]
    status = assess(person(*[(code, d) for d in days]), D(days[-1]))
    last = status.doses[-1]
    assert last.problems == ("interval_too_short",) and not last.counted
    assert last.earliest == D(after(first, (n - 1) * gap))
    assert not status.complete and status.doses_counted == n - 1
    assert status.earliest_next == D(days[-1]) + timedelta(days=gap)  # spaced from the invalid dose too


@pytest.mark.parametrize(
    ("first", "second", "allowed"),
    [
        ("AZ", "AZ", True),
        ("AZ", "PF", True),
        ("AZ", "MO", True),
        ("PF", "MO", True),
        ("MO", "PF", True),
        ("PF", "PF", True),
        ("MO", "MO", True),
        ("VC", "VC", True),
        ("VC", "HV", True),
        ("HV", "VC", True),
        ("SP", "SP", True),
        ("PF", "AZ", False),
        ("MO", "AZ", False),
        ("AZ", "VC", False),
        ("PF", "VC", False),
        ("VC", "PF", False),
        ("VC", "AZ", False),
        ("VC", "MO", False),
        ("HV", "PF", False),
        ("SP", "AZ", False),
        ("SP", "PF", False),
        ("CX", "VC", False),
        ("MO", "SP", False),
    ],
)
def test_mixing_in_the_primary_series(first, second, allowed):
    # 60 days apart: past every product's minimum (AZ's 56)
    status = assess(person((first, "2021-07-01"), (second, "2021-08-30")), D("2021-09-30"))
    assert status.complete is allowed
    assert ("mixing_not_allowed" in status.doses[1].problems) is (not allowed)
    assert status.doses[1].counted is allowed


def test_abdala_only_with_abdala():
    status = assess(person(("AB", "2021-09-20"), ("AB", "2021-10-04"), ("PF", "2021-10-18")), D("2021-11-01"))
    assert status.doses[2].problems == ("mixing_not_allowed",) and not status.complete


def test_mixed_series_uses_the_first_products_interval():
    status = assess(person(("AZ", "2021-07-01"), ("PF", after("2021-07-01", 55))), D("2021-09-30"))
    assert status.doses[1].problems == ("interval_too_short",)


@pytest.mark.parametrize(
    ("second", "province", "counted"),
    [
        ("2021-09-20", "70", True),  # 28 days, override in force from 20/9/2021
        ("2021-10-15", "70", True),
        ("2021-09-19", "70", False),  # 28 days but a day before the override: 8 weeks apply
        ("2021-09-20", "71", False),  # another province
        ("2021-09-20", None, False),  # national
    ],
)
def test_astrazeneca_four_weeks_province_override(second, province, counted):
    cfg = default_config().with_versions([az_four_weeks("70")])
    first = after(second, -28)
    status = assess(person(("AZ", first), ("AZ", second)), D("2021-11-01"), cfg, province=province)
    assert status.complete is counted
    assert (status.doses[1].problems == ()) is counted


def test_override_27_days_is_still_too_short():
    cfg = default_config().with_versions([az_four_weeks("70")])
    status = assess(person(("AZ", "2021-09-01"), ("AZ", "2021-09-28")), D("2021-11-01"), cfg, province="70")
    assert status.doses[1].problems == ("interval_too_short",)


def test_dose_numbers_never_repeat_and_a_repeat_completes_the_series():
    status = assess(person(("PF", "2021-07-01"), ("PF", "2021-07-10"), ("PF", "2021-07-31")), D("2021-08-30"))
    assert [(v.number, v.counted, v.completes_primary) for v in status.doses] == [
        (1, True, False),
        (2, False, False),
        (3, True, True),
    ]
    assert status.complete and status.doses_counted == 2


def test_repeat_is_spaced_from_the_invalid_dose():
    # PF 1/7, PF 10/7 (too short): a repeat on 22/7 is 21 days from 1/7 but only 12 from 10/7
    status = assess(person(("PF", "2021-07-01"), ("PF", "2021-07-10"), ("PF", "2021-07-22")), D("2021-08-30"))
    assert status.doses[2].problems == ("interval_too_short",) and not status.complete
    assert status.earliest_next == D("2021-08-12")


BOOSTER_PRIMARY = (("PF", "2021-06-15"), ("PF", "2021-07-06"))


@pytest.mark.parametrize(
    ("day", "problems", "counted"),
    [
        ("2022-01-05", ("booster_too_early",), False),  # 6 months − 1 day
        ("2022-01-06", (), True),  # exactly 6 months
        ("2022-03-01", (), True),
    ],
)
def test_booster_at_six_months(day, problems, counted):
    status = assess(person(*BOOSTER_PRIMARY, ("MO", day)), D("2022-03-01"))
    booster = status.doses[-1]
    assert (booster.kind, booster.number, booster.problems, booster.counted) == ("booster", 1, problems, counted)
    assert booster.earliest == D("2022-01-06")
    assert status.complete and status.doses_counted == 2 + counted


def test_booster_at_six_months_counts_calendar_months_at_month_end():
    status = assess(person(("PF", "2021-08-10"), ("PF", "2021-08-31"), ("PF", "2022-02-28")), D("2022-03-01"))
    assert status.doses[-1].problems == () and status.doses[-1].earliest == D("2022-02-28")


def test_no_booster_before_boosters_began_and_one_booster_only():
    az = (("AZ", "2021-03-10"), ("AZ", "2021-05-05"))
    before = assess(person(*az, ("PF", "2021-11-18")), D("2021-12-01"))
    assert before.doses[-1].problems == ("too_many_doses",) and not before.doses[-1].counted
    on = assess(person(*az, ("PF", "2021-11-19")), D("2021-12-01"))
    assert on.doses[-1].problems == () and on.doses[-1].kind == "booster"
    second = assess(person(*az, ("PF", "2021-11-19"), ("PF", "2022-04-19")), D("2022-05-01"))
    assert second.doses[-1].problems == ("too_many_doses",) and (second.doses[-1].kind, second.doses[-1].number) == (
        "booster",
        2,
    )
    assert second.next_due is None and second.next_kind is None


def test_booster_product_must_be_allowed_after_the_series():
    status = assess(person(("AZ", "2021-03-10"), ("AZ", "2021-05-05"), ("VC", "2021-12-01")), D("2021-12-10"))
    assert status.doses[-1].problems == ("mixing_not_allowed",)


SPECIAL = (("PF", "2021-10-11"), ("PF", "2021-11-01"))


@pytest.mark.parametrize(
    ("day", "problems"),
    [("2021-11-28", ("additional_too_early",)), ("2021-11-29", ())],  # 27 / 28 days
)
def test_additional_dose_for_special_groups_at_28_days(day, problems):
    status = assess(person(*SPECIAL, ("PF", day), special=True), D("2021-12-31"))
    extra = status.doses[-1]
    assert (extra.kind, extra.number, extra.problems) == ("additional", 1, problems)
    assert extra.counted is (problems == ())


def test_without_special_group_the_third_dose_is_a_booster():
    status = assess(person(*SPECIAL, ("PF", "2021-11-29")), D("2021-12-31"))
    assert (status.doses[-1].kind, status.doses[-1].problems) == ("booster", ("booster_too_early",))


def test_booster_three_months_after_the_additional_dose():
    doses = (*SPECIAL, ("PF", "2021-11-29"))
    early = assess(person(*doses, ("MO", "2022-02-27"), special=True), D("2022-03-31"))
    ok = assess(person(*doses, ("MO", "2022-02-28"), special=True), D("2022-03-31"))  # 29/11 + 3 months
    assert early.doses[-1].problems == ("booster_too_early",) and early.doses[-1].earliest == D("2022-02-28")
    assert ok.doses[-1].problems == () and ok.doses[-1].kind == "booster"
    assert ok.doses_counted == 4 and ok.next_due is None


def test_special_group_next_due_is_the_additional_dose():
    status = assess(person(*SPECIAL, special=True), D("2021-11-20"))
    assert (status.next_kind, status.next_number, status.earliest_next, status.next_due) == (
        "additional",
        1,
        D("2021-11-29"),
        D("2021-11-29"),
    )


@pytest.mark.parametrize(
    ("code", "dob", "day", "allowed"),
    [
        ("AZ", "2003-07-02", "2021-07-01", False),  # 17 the day before the 18th birthday
        ("AZ", "2003-07-01", "2021-07-01", True),  # 18 on the day
        ("PF", "2009-01-01", "2021-10-27", True),  # 12, from 27/10/2021
        ("PF", "2009-01-01", "2021-10-26", False),  # 12, before children were vaccinated
        ("PF", "2010-01-01", "2021-11-01", False),  # 11
        ("PF5", "2015-01-01", "2022-05-01", True),
        ("PF5", "2010-01-01", "2022-05-01", False),  # 12: the adult dose
        ("MO", "2005-01-01", "2021-11-01", False),  # Moderna 18+
    ],
)
def test_age_at_the_dose_date_is_flagged_but_the_dose_counts(code, dob, day, allowed):
    status = assess(person((code, day), dob=dob), D(day))
    assert ("age_not_allowed" in status.doses[0].problems) is (not allowed)
    assert status.doses[0].counted and status.doses_counted == 1


def test_no_date_of_birth_no_age_check():
    assert assess(person(("AZ", "2021-07-01")), D("2021-07-02")).problems == ()


def test_unknown_products_and_doses_before_the_catalogue():
    status = assess(person(("XX", "2021-07-01"), ("AZ", "2021-02-01"), ("PF", "2021-08-01")), D("2021-09-01"))
    by_product = {v.product: v for v in status.doses}
    assert by_product["XX"].problems == ("unknown_product",) and not by_product["XX"].counted
    assert by_product["AZ"].problems == ("unknown_product",)  # before 8/3/2021 no product was in use
    assert by_product["PF"].counted and by_product["PF"].number == 3
    assert status.doses_counted == 1


def test_pfizer_children_formulation_is_unknown_before_it_existed():
    status = assess(person(("PF5", "2022-01-10"), dob="2015-01-01"), D("2022-02-01"))
    assert status.problems == ("unknown_product",)


def test_doses_after_as_of_are_flagged_and_never_counted():
    doses = (("PF", "2021-07-01"), ("PF", "2021-07-22"))
    status = assess(person(*doses), D("2021-07-21"))
    assert not status.complete and status.doses_counted == 1
    assert status.doses[1].problems == ("dose_in_future",) and not status.doses[1].counted
    assert status.doses[1].number == 2 and not status.doses[1].completes_primary
    assert status.next_due == D("2021-07-22")
    assert assess(person(*doses), D("2021-07-22")).complete


def test_a_dose_on_as_of_counts():
    assert assess(person(("JJ", "2021-08-01")), D("2021-08-01")).complete


def test_next_dose_dates():
    one = assess(person(("AZ", "2021-07-01")), D("2021-07-15"))
    assert (one.earliest_next, one.next_due, one.overdue_after) == (D("2021-08-26"), D("2021-08-26"), D("2021-09-23"))
    assert (one.next_kind, one.next_number) == ("primary", 2)
    none = assess(person(), D("2021-07-15"))
    assert (none.next_due, none.earliest_next, none.next_kind, none.next_number) == (None, None, "primary", 1)
    done = assess(person(*BOOSTER_PRIMARY), D("2021-10-01"))  # before boosters began: nothing is due
    assert done.next_due is None and done.earliest_next is None
    later = assess(person(*BOOSTER_PRIMARY), D("2021-12-01"))
    assert (later.next_kind, later.next_due, later.earliest_next) == ("booster", D("2022-01-06"), D("2022-01-06"))


def test_next_due_uses_the_province_override_on_as_of():
    cfg = default_config().with_versions([az_four_weeks("70")])
    status = assess(person(("AZ", "2021-09-01")), D("2021-09-20"), cfg, province="70")
    assert status.next_due == D("2021-09-29")
    assert assess(person(("AZ", "2021-09-01")), D("2021-09-20"), cfg).next_due == D("2021-10-27")


def test_check_new_dose_says_what_recording_would_be():
    someone = person(("PF", "2021-07-01"), ("PF", "2021-08-30"))  # the second dose is later than the check
    short = check_new_dose(someone, "pf", D("2021-07-21"))
    assert (short.kind, short.number, short.problems, short.earliest) == (
        "primary",
        2,
        ("interval_too_short",),
        D("2021-07-22"),
    )
    ok = check_new_dose(someone, "PF", D("2021-07-22"))
    assert ok.completes_primary and ok.problems == () and ok.rule_version
    booster = check_new_dose(person(*BOOSTER_PRIMARY), "AZ", D("2022-01-06"))
    assert (booster.kind, booster.number, booster.problems) == ("booster", 1, ())
    assert check_new_dose(person(), "ZZ", D("2021-07-01")).problems == ("unknown_product",)


def test_check_new_dose_equals_the_verdict_of_assess():
    someone = person(("AZ", "2021-06-01"), ("MO", "2021-07-20"), dob="1950-02-02")
    new = check_new_dose(someone, "PF", D("2021-08-10"))
    status = assess(
        person(("AZ", "2021-06-01"), ("MO", "2021-07-20"), ("PF", "2021-08-10"), dob="1950-02-02"), D("2021-08-10")
    )
    assert new == status.doses[-1]


def test_problem_codes_and_texts():
    assert set(PROBLEM_CODES) == {
        "interval_too_short",
        "mixing_not_allowed",
        "age_not_allowed",
        "dose_in_future",
        "unknown_product",
        "booster_too_early",
        "additional_too_early",
        "too_many_doses",
    }
    assert all(problem_text(code, "vi") and problem_text(code, "en") for code in PROBLEM_CODES)


@pytest.mark.parametrize(
    "build",
    [
        lambda: PersonIn("x", doses=[("AZ", D("2021-07-01"))]),
        lambda: PersonIn("x", date_of_birth="1980-01-01"),
        lambda: PersonIn("x", special_group=1),
        lambda: PersonIn("x", negative_pcr_at="2021-10-01"),
        lambda: DoseIn("", D("2021-07-01")),
        lambda: DoseIn("AZ", "2021-07-01"),
        lambda: assess("x", D("2021-07-01")),
        lambda: assess(PersonIn("x"), "2021-07-01"),
    ],
)
def test_wrong_types_are_input_errors(build):
    with pytest.raises(InputError):
        build()


def test_to_dict_is_json_ready():
    import json

    status = assess(person(("PF", "2021-07-01")), D("2021-07-15"))
    row = status.to_dict("p")
    assert json.loads(json.dumps(row))["id"] == "p"
    assert row["next_due"] == "2021-07-22" and row["doses"][0]["kind"] == "primary"


def test_due_states_of_the_next_dose():
    status = assess(person(("PF", "2021-07-01")), D("2021-07-10"))  # due 22/7, window to 29/7
    assert [status.due(D(day)) for day in ("2021-07-21", "2021-07-22", "2021-07-29", "2021-07-30")] == [
        "not_yet",
        "due",
        "due",
        "overdue",
    ]
    assert assess(person(), D("2021-07-10")).due(D("2021-07-10")) is None
    booster = assess(person(*BOOSTER_PRIMARY), D("2021-12-01"))
    assert booster.due(D("2023-01-01")) == "due"  # a booster has no end of window


def test_texts_for_kinds_and_colours():
    from chongdich.vaccination.rules import COLOUR_TEXT, COLOURS, KIND_TEXT, KINDS

    assert set(KIND_TEXT) == set(KINDS) and set(COLOUR_TEXT) == set(COLOURS)


def test_a_dose_inserted_before_the_series_can_change_it_as_documented():
    pf = (("PF", "2021-07-01"), ("PF", "2021-07-22"))
    assert assess(person(*pf), D("2021-08-30")).complete
    inserted = assess(person(("AZ", "2021-06-01"), *pf), D("2021-08-30"))  # the series becomes AstraZeneca's
    assert [v.problems for v in inserted.doses] == [(), ("interval_too_short",), ("interval_too_short",)]
    assert not inserted.complete and inserted.series_product == "AZ"


def test_series_length_is_the_one_in_force_on_the_completing_dose():
    from chongdich.core.versioning import RuleVersion
    from chongdich.vaccination.rules import PRODUCTS_KEY

    two = RuleVersion(
        PRODUCTS_KEY,
        "Tỉnh 70: Abdala 2 mũi",
        date(2021, 10, 1),
        None,
        {"products": {"AB": {"primary_doses": 2, "intervals": {"2": None}}}},
        province="70",
        source="[D]",
    )
    cfg = default_config().with_versions([two])
    doses = (("AB", "2021-09-20"), ("AB", "2021-10-04"))
    assert assess(person(*doses), D("2021-10-10"), cfg, province="70").complete
    assert not assess(person(*doses), D("2021-10-10"), cfg).complete
