"""The ``chongdich`` console script.

``chongdich risk ...`` runs the pure-Python risk engine, ``chongdich vaccination ...`` the pure
vaccination rules and ``chongdich forecast ...`` Rt and projections from a CSV, without starting Django (fast, usable on a machine that has no database); every other command is a Django management command,
e.g. ``chongdich migrate`` or ``chongdich generate_demo --people 70000``.
"""

from __future__ import annotations

import os
import sys

from chongdich.forecast.cli import main as forecast_main  # pure Python: loads no Django
from chongdich.risk.cli import main as risk_main  # pure Python: loads no Django
from chongdich.vaccination.cli import main as vaccination_main  # pure Python: loads no Django


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "risk":
        return risk_main(args[1:])
    if args and args[0] == "forecast":
        return forecast_main(args[1:])
    if args and args[0] == "vaccination":
        return vaccination_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chongdich.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chongdich", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
