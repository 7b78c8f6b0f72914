"""The rule families of care (``RuleVersion.key``).  The strings keep their historical
``surveillance.`` prefix: they name stored rule versions, so they never change."""

from __future__ import annotations

QUARANTINE_KEY = "surveillance.quarantine.f1"
HOME_CARE_KEY = "surveillance.home_care"
RELEASE_KEY = "surveillance.release"
MONITORING_KEY = "surveillance.monitoring"  # QĐ 261 warning signs (§4.3)

KEYS = (QUARANTINE_KEY, HOME_CARE_KEY, RELEASE_KEY, MONITORING_KEY)
