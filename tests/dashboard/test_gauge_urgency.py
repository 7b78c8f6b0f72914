"""A capacity gauge alarms by how soon the places run out, not because occupancy rises at all."""

import pytest

from chongdich.dashboard.selectors import FULL_SOON_DAYS, FULL_WITHIN_WEEKS_DAYS, Gauge


def gauge(capacity, occupied, per_day):
    return Gauge(
        bed_type="treatment", label="Giường điều trị", capacity=capacity, occupied=occupied, net_per_day=per_day
    )


@pytest.mark.parametrize(
    ("capacity", "occupied", "per_day", "days", "urgency"),
    [
        (100, 100, 0.0, None, "critical"),  # full
        (100, 99, 5.0, 0, "critical"),  # full within a day
        (100, 93, 1.0, FULL_SOON_DAYS, "critical"),  # full within a week
        (100, 92, 1.0, FULL_SOON_DAYS + 1, "warning"),
        (100, 79, 1.0, FULL_WITHIN_WEEKS_DAYS, "warning"),
        (100, 78, 1.0, FULL_WITHIN_WEEKS_DAYS + 1, "calm"),
        (1000, 832, 1.0, 168, "calm"),  # "full in about 168 days": a trend, not an alarm
        (100, 40, 0.0, None, "calm"),  # not filling
        (100, 40, -2.0, None, "calm"),  # emptying
        (0, 0, 0.0, None, "calm"),  # no places recorded
    ],
)
def test_urgency_by_days_until_full(capacity, occupied, per_day, days, urgency):
    g = gauge(capacity, occupied, per_day)
    assert g.days_until_full == days and g.urgency == urgency


def test_thresholds_are_ordered():
    assert 0 < FULL_SOON_DAYS < FULL_WITHIN_WEEKS_DAYS


def test_a_gauge_filling_in_40_days_is_not_shown_in_alarm_red(outbreak, client_of):
    """The district's treatment beds fill in about 40 days (see test_selectors): neutral, not red."""
    from django.urls import reverse

    page = client_of("district").get(reverse("dashboard:index")).content.decode()
    box = page.split('id="gauge-treatment"', 1)[1].split("</div></div>", 1)[0]
    assert 'data-urgency="calm"' in box and "dash-urgency-calm" in box
    assert "dash-urgency-critical" not in box and "dash-state-filling" not in box
