"""Properties: more cases never lower a level; applied ≥ computed; roll-up is monotone in child
levels; a province override changes only what it names."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import Cluster, Tier, UnitInputs, assess_units, default_config, measures_for
from chongdich.risk.rules.framework_2686 import compile_params
from chongdich.risk.rules.levels import SCALES, Framework
from chongdich.risk.rules.rollup import roll_up

ON = {"2686": date(2021, 8, 1), "4800": date(2021, 11, 1), "218": date(2022, 2, 15)}
PROPERTY = settings(max_examples=150, deadline=None)  # local to these tests, not a global profile


@st.composite
def commune_128(draw, code: str = "c", parent: str | None = None) -> UnitInputs:
    population = draw(st.integers(1, 200_000))
    adults = draw(st.integers(1, population))
    high_risk = draw(st.integers(1, population))
    return UnitInputs(
        code,
        code,
        Tier.COMMUNE,
        parent=parent,
        population=population,
        population_18plus=adults,
        new_community_cases_7d=draw(st.integers(0, population // 5)),
        dose1_18plus=draw(st.integers(0, adults)),
        capacity_ready=draw(st.booleans()),
        previous_level=draw(st.none() | st.integers(1, 4)),
        hospital_cases_7d=draw(st.integers(0, 500)),
        deaths_7d=draw(st.integers(0, 20)),
        full_all=draw(st.integers(0, population)),
        high_risk_population=high_risk,
        full_high_risk=draw(st.integers(0, high_risk)),
        vacant_beds_per_100k=draw(st.floats(0, 100, allow_nan=False)),
    )


def level(units: list[UnitInputs], framework: str, code: str) -> int | None:
    return next(
        a.computed_level for a in assess_units(units, as_of=ON[framework], framework=framework) if a.code == code
    )


@PROPERTY
@given(unit=commune_128(), extra=st.integers(1, 5_000), framework=st.sampled_from(["4800", "218"]))
def test_more_community_cases_never_lower_the_level(unit, extra, framework):
    before = level([unit], framework, "c")
    unit.new_community_cases_7d += extra
    assert level([unit], framework, "c") >= before


@PROPERTY
@given(unit=commune_128(), more_hospital=st.integers(0, 500), more_deaths=st.integers(0, 20))
def test_more_hospital_cases_or_deaths_never_lower_the_218_level(unit, more_hospital, more_deaths):
    before = level([unit], "218", "c")
    unit.hospital_cases_7d += more_hospital
    unit.deaths_7d += more_deaths
    assert level([unit], "218", "c") >= before


@PROPERTY
@given(
    communes=st.lists(commune_128(), min_size=1, max_size=5),
    pick=st.integers(0, 4),
    extra=st.integers(1, 2_000),
    framework=st.sampled_from(["4800", "218"]),
)
def test_more_cases_in_a_commune_never_lower_the_district_totals_level(communes, pick, extra, framework):
    district = UnitInputs("D", "D", Tier.DISTRICT, vacant_beds_per_100k=20.0)
    for index, unit in enumerate(communes):
        unit.code, unit.parent = f"c{index}", "D"
    units = [district, *communes]
    before = level(units, framework, "D")
    communes[pick % len(communes)].new_community_cases_7d += extra
    assert level(units, framework, "D") >= before


FACTS_2686 = st.fixed_dictionaries(
    {
        "clusters": st.lists(
            st.builds(Cluster, st.booleans(), st.sampled_from(["market", "household", "other"]), st.integers(1, 5)),
            max_size=2,
        ).map(tuple),
        "unknown_source_cases_14d": st.integers(0, 3),
        "known_source_cases_14d": st.integers(0, 3),
        "f1_present": st.booleans(),
        "is_border": st.booleans(),
        "override_level": st.none() | st.integers(0, 3),
    }
)


@st.composite
def district_2686(draw) -> list[UnitInputs]:
    size = draw(st.integers(1, 8))
    edges = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=12))
    neighbours: dict[int, set[str]] = {i: set() for i in range(size)}
    for a, b in edges:
        if a != b:
            neighbours[a].add(f"c{b}")
    communes = [
        UnitInputs(
            f"c{i}", f"Xã {i}", Tier.COMMUNE, parent="D", neighbours=tuple(sorted(neighbours[i])), **draw(FACTS_2686)
        )
        for i in range(size)
    ]
    return [UnitInputs("D", "Huyện D", Tier.DISTRICT), *communes]


def levels_2686(units: list[UnitInputs], config=None) -> dict[str, int | None]:
    return {a.code: a.computed_level for a in assess_units(units, as_of=ON["2686"], framework="2686", config=config)}


@PROPERTY
@given(units=district_2686(), pick=st.integers(0, 7), change=st.sampled_from(["unknown", "known", "cluster", "f1"]))
def test_more_cases_never_lower_any_2686_level(units, pick, change):
    before = levels_2686(units)
    target = units[1 + pick % (len(units) - 1)]
    if change == "unknown":
        target.unknown_source_cases_14d += 1
    elif change == "known":
        target.known_source_cases_14d += 1
    elif change == "cluster":
        target.clusters = (*target.clusters, Cluster(False, "other", 2))
    else:
        target.f1_present = True
    after = levels_2686(units)
    assert all(after[code] >= before[code] for code in before)


@PROPERTY
@given(units=district_2686(), border=st.integers(0, 2), higher=st.integers(0, 2))
def test_applied_is_never_below_computed(units, border, higher):
    units.insert(0, UnitInputs("70", "Tỉnh", Tier.PROVINCE))
    units[1].parent = "70"
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.2686",
                "chính sách",
                ON["2686"],
                None,
                {"policy": {"raise_border_by": border, "raise_next_to_higher_by": higher}},
                province="70",
            )
        ]
    )
    for result in assess_units(units, as_of=ON["2686"], framework="2686", config=config):
        assert result.computed_level is not None
        assert result.applied_level is not None and result.applied_level >= result.computed_level
        assert result.applied_level <= 3


ROLLUP = compile_params(default_config().rule("risk.2686", ON["2686"]).values, "t").rollup


@PROPERTY
@given(
    children=st.lists(st.integers(0, 3), min_size=1, max_size=30),
    pick=st.integers(0, 29),
    tier=st.sampled_from([Tier.DISTRICT, Tier.PROVINCE, Tier.NATION]),
    spread=st.none() | st.floats(0, 1),
)
def test_rollup_is_monotone_in_child_levels(children, pick, tier, spread):
    unit = UnitInputs("U", "U", tier, hard_to_control_spread_share=spread)
    before = roll_up(unit, children, ROLLUP, SCALES[Framework.F2686]).level
    raised = list(children)
    index = pick % len(raised)
    raised[index] = min(3, raised[index] + 1)
    assert roll_up(unit, raised, ROLLUP, SCALES[Framework.F2686]).level >= before


def leaves(value: Any, path: tuple = ()) -> dict[tuple, Any]:
    if isinstance(value, dict) and value:
        return {p: v for key, item in value.items() for p, v in leaves(item, (*path, key)).items()}
    return {path: value}


def changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + " (tỉnh)"
    if isinstance(value, list):
        return [*value, "x"]
    return "đặt bởi tỉnh"


def nest(path: tuple, value: Any) -> dict:
    for key in reversed(path):
        value = {key: value}
    return value


@PROPERTY
@given(
    data=st.data(),
    key=st.sampled_from(
        ["risk.2686", "risk.4800", "risk.218", "risk.measures.128", "risk.directives", "risk.scenarios"]
    ),
)
def test_a_province_override_changes_only_what_it_names(data, key):
    on = date(2022, 3, 1)
    national = default_config().rule(key, on).values
    flat = leaves(national)
    named = data.draw(st.lists(st.sampled_from(sorted(flat, key=str)), min_size=1, max_size=4, unique=True))
    named = [p for p in named if not any(p != q and p[: len(q)] == q for q in named)]  # no path inside another
    override: dict = {}
    for path in named:
        override = _merge(override, nest(path, changed(flat[path])))
    config = default_config().with_versions([RuleVersion(key, "tỉnh 70", on, None, override, province="70")])
    merged = leaves(config.rule(key, on, "70").values)
    expected = {**flat, **{path: changed(flat[path]) for path in named}}
    assert merged == expected
    assert leaves(config.rule(key, on, "79").values) == leaves(default_config().rule(key, on, "79").values)


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@PROPERTY
@given(
    level=st.integers(1, 4),
    activity=st.sampled_from(["restaurants", "schools", "religious", "offices"]),
    cap=st.integers(0, 100),
)
def test_a_measure_override_changes_only_that_activity_at_that_level(level, activity, cap):
    on = date(2021, 12, 1)
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.measures.128",
                "tỉnh 70",
                on,
                None,
                {"levels": {str(level): {activity: {"cap_pct": cap}}}},
                province="70",
            )
        ]
    )
    for at in range(1, 5):
        national = {m.activity: m for m in measures_for("4800", at, on=on, config=config).measures}
        local = {m.activity: m for m in measures_for("4800", at, on=on, province="70", config=config).measures}
        for name, measure in national.items():
            if (at, name) == (level, activity):
                assert local[name].cap_pct == cap
                assert (local[name].allowed, local[name].vi) == (measure.allowed, measure.vi)
            else:
                assert local[name] == measure
