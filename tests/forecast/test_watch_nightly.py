"""The watch in the nightly run: a growing outbreak's Rt reaches the commune's people the night it is
estimated, and a re-run of the night sends nothing again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chongdich.forecast.nightly import run_forecast
from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.rt import unit_link
from chongdich.notices.models import Notice
from tests.forecast.watch_world import TODAY, receivers, watch_people_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_night_sends_rt_above_one_once(world, watch_people, tally):
    for back in range(60):
        tally(world.commune, TODAY - timedelta(days=back), cases_new_community=round(5 * 1.08 ** (60 - back)))
        if back % 5 == 0:
            tally(world.other_commune, TODAY - timedelta(days=back), cases_new_community=1)
    run = run_forecast(TODAY)
    assert run.figures["rows"]["alerts"] >= 1
    notice = Notice.objects.get(kind=kinds.RT_ABOVE_ONE.code, unit=world.commune)
    assert float(notice.params["rt"]) > 1 and notice.link == unit_link(world.commune.code)
    assert "other_commune" not in receivers(kinds.RT_ABOVE_ONE.code)
    count = Notice.objects.count()
    run_forecast(TODAY)
    assert Notice.objects.count() == count
