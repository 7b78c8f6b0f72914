"""The ``chongdich`` console script.

``chongdich risk ...`` runs the pure-Python risk engine, ``chongdich vaccination ...`` the pure
vaccination rules and ``chongdich forecast ...`` Rt and projections from a CSV, without starting Django
(fast, usable on a machine that has no database); every other command is a Django management command,
e.g. ``chongdich migrate`` or ``chongdich generate_demo --people 70000``.
"""

from __future__ import annotations

import importlib
import os
import sys

# Each pure command loads only its own package: a risk or vaccination command never pays for the
# forecast's numpy and scipy (seconds on a cheap machine), and none of them loads Django.
PURE_COMMANDS = {
    "risk": "chongdich.risk.cli",
    "vaccination": "chongdich.vaccination.cli",
    "forecast": "chongdich.forecast.cli",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        return importlib.import_module(PURE_COMMANDS[args[0]]).main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chongdich.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chongdich", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
