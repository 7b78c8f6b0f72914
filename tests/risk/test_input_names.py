"""Every input the engine can report missing has a name in Vietnamese and English."""

import re
from pathlib import Path

from chongdich.risk.rules.input_names import INPUT_NAMES, input_name
from chongdich.risk.rules.inputs import UnitInputs

RULES = Path(__file__).resolve().parents[2] / "src" / "chongdich" / "risk" / "rules"


def test_every_reported_input_has_a_name():
    reported = {f.name for f in UnitInputs.__dataclass_fields__.values()} - {"code", "name", "tier", "parent"}
    for path in RULES.glob("*.py"):
        reported |= set(re.findall(r'missing\.append\("([a-z0-9_]+)"', path.read_text()))
    reported |= {"communes", "districts", "provinces"}
    assert reported - set(INPUT_NAMES) == set()
    assert all(vi and en and "_" not in vi for vi, en in INPUT_NAMES.values())


def test_a_sub_units_input_is_named_with_the_unit():
    assert input_name("dose1_18plus") == "số người từ 18 tuổi đã tiêm mũi 1"
    assert input_name("25229.clusters", "vi", {"25229": "Xã Phú Văn"}.get) == "ổ dịch đang hoạt động (Xã Phú Văn)"
    assert input_name("25229.clusters", "en") == "active clusters (25229)"
    assert input_name("unknown_thing") == "unknown_thing"
