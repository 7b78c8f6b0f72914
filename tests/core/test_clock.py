"""The system clock: real, pinned to a day (demo, drills), or pinned to a moment (tests)."""

from datetime import date, datetime

from django.utils import timezone

from chongdich.core import clock


def test_the_real_clock(settings):
    settings.CHONGDICH_TODAY = ""
    assert clock.today() == timezone.localdate()
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5


def test_a_pinned_day_keeps_the_time_of_day(settings):
    settings.CHONGDICH_TODAY = "2021-08-20"
    assert clock.today() == date(2021, 8, 20)
    pinned, real = timezone.localtime(clock.now()), timezone.localtime()
    assert pinned.date() == date(2021, 8, 20)
    assert abs((pinned.hour * 60 + pinned.minute) - (real.hour * 60 + real.minute)) in (0, 1, 1439)  # same minute


def test_a_pinned_moment_is_fixed_in_local_time(settings):
    settings.CHONGDICH_TODAY = "2021-08-20T00:30"  # just after midnight in Hanoi: still the 20th locally
    assert clock.today() == date(2021, 8, 20)
    assert clock.now() == timezone.make_aware(datetime(2021, 8, 20, 0, 30))
    assert clock.now().utcoffset().total_seconds() == 7 * 3600
    assert clock.now() == clock.now()  # frozen
