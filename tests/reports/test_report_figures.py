"""§6: the daily report fills F1, F2 and fever-cough from the records ("Chưa ghi nhận" only where the system
truly has nothing), and honours its cut-off hour: a record entered after it counts in the next day's report."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from chongdich.care.actions import do_order_home_quarantine
from chongdich.reports.actions import do_send_report, do_set_cut_off
from chongdich.reports.indicators import figures, layout
from chongdich.surveillance.actions import do_confirm_case, do_record_exposure
from chongdich.surveillance.models import Case, Contact
from chongdich.tallies.rebuild import differences
from chongdich.testing.actions import do_record_result, do_register_sample
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db

YESTERDAY = DAY - timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def entered(record, when: datetime):
    """As if typed in at ``when`` (the services stamp the real time)."""
    type(record).objects.filter(pk=record.pk).update(created_at=when)
    return record


def test_f1_f2_and_fever_cough_come_from_the_records(world, personas, make_person):
    actor = personas["district"]
    source, f1, f2 = (make_person(full_name=name, cccd=None) for name in ("Ca Nguồn", "Người F1", "Người F2"))
    case, _ = do_confirm_case(actor, source, confirmed_on=DAY - timedelta(days=3))
    do_record_exposure(actor, source=source, contact=f1, kind="household", start=at(DAY - timedelta(days=4), 8))
    do_record_exposure(
        actor, source=f1, contact=f2, kind="close_unmasked", distance_m=1, start=at(DAY - timedelta(days=2), 9)
    )
    assert sorted(Contact.objects.values_list("rank", flat=True)) == [1, 2]
    do_order_home_quarantine(
        actor, f1, last_exposure=DAY - timedelta(days=16), override_reason="Tỉnh áp dụng cách ly F1 tại nhà"
    )  # ended, ran its full course
    fever = make_person(full_name="Người Sốt Ho", cccd=None)
    sample, _ = do_register_sample(actor, person=fever, kind="rapid_antigen", reason="fever_cough", taken_on=DAY)
    do_record_result(actor, sample, status="negative", result_on=DAY)
    do_register_sample(
        actor,
        person=make_person(full_name="Người Ho", cccd=None),
        kind="rt_pcr",
        reason="fever_cough",
        taken_on=DAY - timedelta(days=1),
    )
    assert differences() == {}

    values = figures(world.commune, DAY)["values"]
    assert values["f1_new"] == [0, 1]  # found when the case was confirmed, 3 days ago
    assert values["f2_new"] == [0, 1]  # exposed to the F1 2 days ago
    assert values["f1_completed"] == [0, 1]
    assert values["fever_sampled"] == [1, 2] and values["fever_tested"] == [1, 1] and values["fever_positive"] == [0, 0]
    sections = {section.key: section for section in layout(figures(world.commune, DAY)).sections}
    assert not any(line.missing for key in ("contacts", "fever") for line in sections[key].lines)
    assert {s.key for s in layout(figures(world.commune, DAY)).sections if s.missing} == {
        "arrivals",
        "international",
        "vaccination",
    }


def test_a_case_entered_after_the_cut_off_counts_the_next_day(settings, world, personas, make_person):
    actor = personas["district"]
    early, _ = do_confirm_case(actor, make_person(full_name="Nhập Lúc Mười Giờ", cccd=None), confirmed_on=YESTERDAY)
    late, _ = do_confirm_case(actor, make_person(full_name="Nhập Lúc 19 Giờ 35", cccd=None), confirmed_on=YESTERDAY)
    entered(early, at(YESTERDAY, 10))
    entered(late, at(YESTERDAY, 19, 35))
    order, _ = do_order_home_quarantine(
        actor,
        make_person(full_name="F1 Nhập Tối", cccd=None),
        last_exposure=YESTERDAY,
        override_reason="Cách ly tại nhà",
    )
    entered(order, at(YESTERDAY, 20))

    before = figures(world.commune, YESTERDAY)["values"]  # the province's cut-off: 18:00
    assert before["f0_new"] == [1, 1] and before["f0_active"] == [1, 1]  # the 19:35 case is not in it
    assert before["f1_home"] == [0, 0]
    after = figures(world.commune, DAY)["values"]
    assert after["f0_new"] == [1, 2] and after["f0_active"] == [1, 2]  # …it is the next day's news
    assert after["f1_home"] == [1, 1]
    assert figures(world.commune, YESTERDAY, time(20))["values"]["f0_new"] == [2, 2]  # a later cut-off includes it

    # Today (14:00 pinned): a case typed in now counts today; at 21:00 one typed in at 19:35 does not.
    today_case, _ = do_confirm_case(actor, make_person(full_name="Hôm Nay", cccd=None), confirmed_on=DAY)
    entered(today_case, at(DAY, 19, 35))
    assert figures(world.commune, DAY)["values"]["f0_new"] == [2, 3]  # before the cut-off: all counted
    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T21:00"
    assert figures(world.commune, DAY)["values"]["f0_new"] == [1, 2]
    assert Case.objects.count() == 3


def test_a_sent_report_keeps_the_figures_up_to_its_cut_off(settings, world, personas, make_person):
    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T21:00"
    actor = personas["province"]
    do_set_cut_off(actor, world.province, cut_off=time(17, 0))
    for name, hour in (("Sáng", 9), ("Chiều Muộn", 17)):
        case, _ = do_confirm_case(actor, make_person(full_name=name, cccd=None), confirmed_on=DAY)
        entered(case, at(DAY, hour, 30))
    report = do_send_report(actor, world.commune, DAY)
    assert report.cut_off == time(17, 0) and report.indicators["cut_off"] == "17:00"
    assert report.indicators["values"]["f0_new"] == [1, 1]
