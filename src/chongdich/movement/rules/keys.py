"""The rule families of movement (``RuleVersion.key``).  The strings name stored rule versions (province
settings, ``--rules`` files), so they never change."""

from __future__ import annotations

CHECKPOINT_KEY = "movement.checkpoint"  # what a checkpoint does with a person or a vehicle

KEYS = (CHECKPOINT_KEY,)
