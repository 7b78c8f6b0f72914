"""The rule families of vaccination (``RuleVersion.key``).  The strings name stored rule versions
(``ProvinceVaccinationSetting.versions``, ``--rules`` files), so they never change."""

from __future__ import annotations

PRODUCTS_KEY = "vaccination.products"  # the catalogue: series, intervals, ages, mixing, boosters
GROUPS_KEY = "vaccination.groups"  # priority groups (NQ 21's 9, QĐ 3355's 16)
COLOUR_KEY = "vaccination.colour"  # the PC-Covid colour of a person on a day
SCREENING_KEY = "vaccination.screening"  # the pre-vaccination screening checklist
TARGETS_KEY = "vaccination.targets"  # coverage targets

KEYS = (PRODUCTS_KEY, GROUPS_KEY, COLOUR_KEY, SCREENING_KEY, TARGETS_KEY)
