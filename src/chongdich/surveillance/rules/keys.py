"""The rule families of surveillance (``RuleVersion.key``)."""

from __future__ import annotations

# Rule families (RuleVersion.key).  Care's families (F1 quarantine, home care, release, monitoring)
# are in ``care.rules.keys``; their versions share this configuration class.
INFECTIOUS_KEY = "surveillance.infectious"  # F0 infectious period (§4.1, R-50)
F1_KEY = "surveillance.contact.f1"  # F1 definition
F2_KEY = "surveillance.contact.f2"  # F2 definition
TRACING_KEY = "surveillance.tracing"  # F3–F5 local tracing practice (§0.2)
ACTIVE_KEY = "surveillance.active"

KEYS = (
    INFECTIOUS_KEY,
    F1_KEY,
    F2_KEY,
    TRACING_KEY,
    ACTIVE_KEY,
)
