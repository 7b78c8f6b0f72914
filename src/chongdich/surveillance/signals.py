"""Signals of the case services: the care app keeps people's stays and orders in step with their case
without surveillance importing it (care depends on surveillance, not the reverse).

``case_changed`` is sent inside the case service's transaction, after the case and its treatment
episodes are saved, with kwargs ``actor``, ``case`` and ``change``:

- ``confirmed``: a new case (the person may be an F1 in quarantine; ``facility``: the facility treating it,
  or None — care keeps that link, see ``placement``);
- ``moved``: the case's treatment place changed (``on``: the day of the move; ``facility`` as above);
- ``closed``: recovered, died or transferred out (on ``case.outcome_on``);
- ``reopened``: a closure undone (``closed_on``: the day it had been closed);
- ``redated``: the confirmation date corrected (``was``: the previous date).

A receiver that refuses raises ValidationError or PermissionDenied: the whole case change is rolled back.
"""

from django.dispatch import Signal

case_changed = Signal()
