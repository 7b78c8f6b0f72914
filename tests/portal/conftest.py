"""Portal: a pinned "today", an empty page cache per test, and published levels."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

DAY = date(2021, 8, 20)


@pytest.fixture(autouse=True)
def pinned_today(settings):
    from django.core.cache import cache

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"  # the hour pinned too: results never depend on when tests run
    cache.clear()
    yield DAY
    cache.clear()


def at(day: date, hour: int = 8):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def publish(world):
    """publish(unit, level, framework="2686", pending=(level, from) | None): a published level row for today."""
    from chongdich.risk.models import RiskAssessment

    def make(unit, level, framework="2686", pending=None, day=DAY, since=None):
        tier = unit.level
        pending_level, pending_from = pending or (None, None)
        return RiskAssessment.objects.create(
            unit=unit,
            code=unit.code,
            name=unit.name,
            tier=tier,
            unit_path=unit.path,
            province_code=unit.province_code,
            day=day,
            framework=framework,
            rule_version="test",
            computed_level=pending_level if pending else level,
            applied_level=pending_level if pending else level,
            announced_at=at(day),
            effective_from=pending_from if pending else (since or at(day - timedelta(days=5))),
            in_force_framework=framework,
            in_force_level=level,
            in_force_since=since or at(day - timedelta(days=5)),
            pending_framework=framework if pending else "",
            pending_level=pending_level,
            pending_from=pending_from,
        )

    return make


@pytest.fixture
def levels(world, publish):
    """Đức Hạnh orange with red announced for 22/8 08:00; Phú Văn yellow; Bù Gia Mập green; the district orange;
    the province yellow.  Quận 1 and its ward have no level."""
    publish(world.commune, 2, pending=(3, at(DAY + timedelta(days=2))))
    publish(world.other_commune, 1)
    publish(world.border_commune, 0)
    publish(world.district, 2)
    publish(world.province, 1)
    return world


@pytest.fixture
def anonymous(client_of):
    return client_of(None)
