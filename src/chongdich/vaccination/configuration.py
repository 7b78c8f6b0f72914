"""The vaccination rules in force for a province: the national catalogue (``rules.default_config``)
plus the province's overrides (``ProvinceVaccinationSetting.versions``, ``core.versioning`` mappings),
parsed once per content.  The one place pages, actions, exports and imports get their configuration.

A broken override (refused where it is saved: ``rules.validate_overrides``) never stops a page or a
dose: the national rules apply.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

from chongdich.vaccination import rules
from chongdich.vaccination.models import ProvinceVaccinationSetting
from chongdich.vaccination.rules import VaccinationConfig


@lru_cache(maxsize=1)
def national() -> VaccinationConfig:
    return rules.default_config()


@lru_cache(maxsize=64)
def _with_overrides(raw: str) -> VaccinationConfig:
    try:
        return national().with_versions([rules.version_from_dict(item) for item in json.loads(raw)])
    except (rules.ConfigError, rules.InputError, ValueError, TypeError, KeyError):
        return national()


def configs_for(province_codes: Iterable[str]) -> dict[str, VaccinationConfig]:
    """province code → its configuration, in one query for every province asked."""
    codes = {code for code in province_codes if code}
    found = dict.fromkeys(codes, national())
    rows = ProvinceVaccinationSetting.objects.filter(province__code__in=codes).values_list("province__code", "versions")
    for code, versions in rows:
        if versions:
            found[code] = _with_overrides(json.dumps(versions, sort_keys=True))
    return found


def config_for(province_code: str | None) -> VaccinationConfig:
    if not province_code:
        return national()
    return configs_for([province_code])[province_code]
