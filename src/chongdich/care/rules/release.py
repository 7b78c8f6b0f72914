"""Release of an F0 from isolation (R-54), by the version in force on ``as_of``.

QĐ 250/QĐ-BYT (from 28/1/2022), home-treated asymptomatic/mild F0: released on day 7 with a
negative rapid antigen test; if still positive, isolation continues to day 10 (fully vaccinated)
or day 14 (not).  Day 1 = the day of confirmation [D].  The first test on or after day 7 decides
[D]: negative → released that day (a missing day-7 test followed by a negative on day 8 releases
on day 8); positive → released on the fallback day, without a further test.  A version without
fallback days (the pre-250 default) keeps the person isolated until a negative test.

Hospital-treated cases: the spec gives no rule; the default ``{"rule": "clinical"}`` [D] leaves
discharge to the treating facility's clinical criteria (status ``clinical``, no date).  A
concentrated treatment facility for mild cases uses the home rule by default [D]
(``{"same_as": "home"}``).  Both are configurable per version and province.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chongdich.care.rules.config import RELEASE_KEY, SurveillanceConfig, resolve
from chongdich.care.rules.vaccination import Vaccination, VaccineTest, as_vaccination, compile_vaccine_test
from chongdich.surveillance.rules.dates import as_date, day_n, day_number, vi_date
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.reasons import Reason

R = "R-54"


class TreatmentPlace(StrEnum):
    HOME = "home"  # điều trị tại nhà
    FACILITY = "facility"  # cơ sở thu dung, điều trị tập trung (ca nhẹ)
    HOSPITAL = "hospital"  # bệnh viện


class TestResult(StrEnum):
    __test__ = False  # not a pytest test class

    NEGATIVE = "negative"
    POSITIVE = "positive"


class ReleaseStatus(StrEnum):
    RELEASED = "released"  # release day reached (≤ as_of)
    SCHEDULED = "scheduled"  # release day decided, after as_of
    AWAITING_TEST = "awaiting_test"  # needs a test result on or after the test day
    CLINICAL = "clinical"  # discharge by the facility's clinical criteria


@dataclass(frozen=True, slots=True)
class HomeRule:
    first_test_day: int
    test: str
    fallback_full: int | None  # fully vaccinated
    fallback_not_full: int | None
    full_vaccination: VaccineTest


@dataclass(frozen=True, slots=True)
class ReleaseParams:
    rules: Mapping[TreatmentPlace, HomeRule | None]  # None = clinical criteria


@dataclass(frozen=True, slots=True)
class ReleaseDecision:
    status: ReleaseStatus
    release_on: date | None  # decided release day (also when scheduled); None while awaiting a test
    day: int | None  # day number of release_on (day 1 = start)
    earliest_release_on: date | None  # day of the first test that can release
    latest_release_on: date | None  # fallback day (None when the rule has none)
    next_test_on: date | None  # when a test is still needed
    fully_vaccinated: bool | None
    rule_version: str
    reasons: list[Reason] = field(default_factory=list)


def release_date(
    start_date: date | datetime,
    rat_results: Mapping[date | int, TestResult | str] | None = None,
    vaccination: Vaccination | Iterable[date] | None = None,
    as_of: date | datetime | None = None,
    place: TreatmentPlace | str = TreatmentPlace.HOME,
    province: str | None = None,
    config: SurveillanceConfig | None = None,
) -> ReleaseDecision:
    """Release decision for an F0 isolated from ``start_date`` (day 1).  ``rat_results`` maps a
    test date (or day number) to ``"negative"``/``"positive"``.  ``as_of`` defaults to the latest
    test date, or ``start_date`` without tests."""
    start = as_date(start_date, "start_date")
    results = _results(start, rat_results or {})
    on = as_date(as_of, "as_of") if as_of is not None else max([start, *(day_n(start, d) for d in results)])
    if on < start:
        raise InputError("as_of", "ngày xét trước ngày bắt đầu cách ly", "as_of is before the start date")
    try:
        where = TreatmentPlace(place)
    except ValueError:
        raise InputError(
            "place",
            f"nơi điều trị không hợp lệ: {place!r}",
            f"unknown treatment place {place!r}; expected one of {[p.value for p in TreatmentPlace]}",
        ) from None
    version, p = resolve(config).compiled(RELEASE_KEY, on, province, compile_params)
    rule = p.rules[where]
    if rule is None:
        return ReleaseDecision(
            ReleaseStatus.CLINICAL,
            None,
            None,
            None,
            None,
            None,
            None,
            version.version,
            [
                Reason(
                    R,
                    f"{version.version}: ra viện/dỡ cách ly theo tiêu chuẩn lâm sàng của cơ sở điều trị",
                    f"{version.version}: discharge by the treating facility's clinical criteria",
                )
            ],
        )
    return _decide(start, results, as_vaccination(vaccination), on, rule, version.version)


def _decide(
    start: date, results: dict[int, TestResult], vaccination: Vaccination, on: date, rule: HomeRule, version: str
) -> ReleaseDecision:
    full, why_vi, why_en = rule.full_vaccination.check(vaccination, start)
    fallback = rule.fallback_full if full else rule.fallback_not_full
    reasons = [Reason(R, f"{version}: ngày 1 = {vi_date(start)}; {why_vi}", f"{version}: day 1 = {start}; {why_en}")]
    today = day_number(start, on)
    earliest = day_n(start, rule.first_test_day)
    latest = None if fallback is None else day_n(start, fallback)
    test_vi = "xét nghiệm nhanh kháng nguyên" if rule.test == "rapid_antigen" else "xét nghiệm"
    test_en = "rapid antigen test" if rule.test == "rapid_antigen" else "test"
    decisive = sorted(d for d in results if rule.first_test_day <= d <= today and (fallback is None or d < fallback))
    release_day: int | None = None
    if decisive:
        first = decisive[0]
        if results[first] is TestResult.NEGATIVE:
            release_day = first
            reasons.append(
                Reason(
                    R,
                    f"{test_vi} ngày {first} âm tính → dỡ bỏ cách ly ngày {first}",
                    f"negative {test_en} on day {first} → released on day {first}",
                )
            )
        elif fallback is not None:
            release_day = fallback
            reasons.append(
                Reason(
                    R,
                    f"{test_vi} ngày {first} còn dương tính → tiếp tục cách ly đủ {fallback} ngày "
                    f"({'đã' if full else 'chưa'} tiêm đủ liều)",
                    f"still positive on day {first} → isolation continues to day {fallback} "
                    f"({'fully' if full else 'not fully'} vaccinated)",
                )
            )
        else:
            later = [d for d in decisive[1:] if results[d] is TestResult.NEGATIVE]
            if later:
                release_day = later[0]
                reasons.append(
                    Reason(
                        R,
                        f"dương tính ngày {first}, âm tính ngày {release_day} → dỡ bỏ cách ly ngày {release_day}",
                        f"positive on day {first}, negative on day {release_day} → released on day {release_day}",
                    )
                )
            else:
                reasons.append(
                    Reason(
                        R,
                        f"dương tính ngày {first}: tiếp tục cách ly đến khi {test_vi} âm tính",
                        f"positive on day {first}: isolation continues until a negative {test_en}",
                    )
                )
    elif fallback is not None and today >= fallback:
        release_day = fallback
        reasons.append(
            Reason(
                R,
                f"không có kết quả xét nghiệm từ ngày {rule.first_test_day}; đủ {fallback} ngày → dỡ bỏ cách ly",
                f"no test result from day {rule.first_test_day}; {fallback} days completed → released",
            )
        )
    if release_day is None:
        next_test = max(earliest, on)
        reasons.append(
            Reason(
                R,
                f"cần {test_vi} từ ngày {rule.first_test_day} ({vi_date(earliest)}); âm tính → dỡ bỏ "
                "cách ly; trạm y tế xã xác nhận khỏi bệnh",
                f"needs a {test_en} from day {rule.first_test_day} ({earliest}); negative → released; "
                "the commune health station certifies recovery",
            )
        )
        return ReleaseDecision(
            ReleaseStatus.AWAITING_TEST, None, None, earliest, latest, next_test, full, version, reasons
        )
    release_on = day_n(start, release_day)
    status = ReleaseStatus.RELEASED if release_on <= on else ReleaseStatus.SCHEDULED
    reasons.append(
        Reason(
            R,
            f"ngày dỡ bỏ cách ly: {vi_date(release_on)}; trạm y tế xã xác nhận khỏi bệnh",
            f"release date: {release_on}; the commune health station certifies recovery",
        )
    )
    return ReleaseDecision(status, release_on, release_day, earliest, latest, None, full, version, reasons)


def _results(start: date, raw: Mapping[date | int, TestResult | str]) -> dict[int, TestResult]:
    results: dict[int, TestResult] = {}
    for key, value in raw.items():
        if isinstance(key, (date, datetime)):
            day = day_number(start, as_date(key, "rat_results"))
        elif type(key) is int:
            day = key
        else:
            raise InputError(
                "rat_results",
                f"khóa phải là ngày hoặc số thứ tự ngày, nhận {key!r}",
                f"keys must be dates or day numbers, got {key!r}",
            )
        if day < 1:
            raise InputError(
                "rat_results",
                f"xét nghiệm trước ngày bắt đầu cách ly ({key})",
                f"test before the start of isolation ({key})",
            )
        try:
            result = TestResult(value)
        except ValueError:
            raise InputError(
                "rat_results",
                f"kết quả phải là 'negative' hoặc 'positive', nhận {value!r}",
                f"result must be 'negative' or 'positive', got {value!r}",
            ) from None
        if results.get(day, result) is not result:
            raise InputError(
                "rat_results", f"hai kết quả khác nhau cho ngày {day}", f"conflicting results for day {day}"
            )
        results[day] = result
    return results


def compile_params(values: Mapping[str, Any], where: str) -> ReleaseParams:
    rules: dict[TreatmentPlace, HomeRule | None] = {}
    raw_places = {
        p: values.get(p.value, {"same_as": "home"} if p is TreatmentPlace.FACILITY else None) for p in TreatmentPlace
    }
    for place, raw in raw_places.items():
        if raw is None or "same_as" not in raw:
            rules[place] = None if raw is None else _rule(raw, f"{where}.{place.value}")
    for place, raw in raw_places.items():
        if raw is not None and "same_as" in raw:
            target = raw["same_as"]
            own = target in {p.value for p in TreatmentPlace} and "same_as" not in (
                raw_places[TreatmentPlace(target)] or {}
            )
            if not own:
                raise ConfigError(f"{where}.{place.value}.same_as: expected a place with its own rule, got {target!r}")
            rules[place] = rules[TreatmentPlace(target)]
    return ReleaseParams(rules)


def _rule(raw: Mapping[str, Any], where: str) -> HomeRule | None:
    if raw.get("rule") == "clinical":
        return None
    first = raw["first_test_day"]
    if type(first) is not int or first < 1:
        raise ConfigError(f"{where}.first_test_day: expected a day number ≥ 1, got {first!r}")
    fallback = raw.get("fallback_days")
    full = not_full = None
    if fallback is not None:
        full, not_full = fallback["fully_vaccinated"], fallback["not_fully_vaccinated"]
        for name, value in (("fully_vaccinated", full), ("not_fully_vaccinated", not_full)):
            if type(value) is not int or value <= first:
                raise ConfigError(
                    f"{where}.fallback_days.{name}: expected a day number after day {first}, got {value!r}"
                )
    return HomeRule(
        first,
        str(raw["test"]),
        full,
        not_full,
        compile_vaccine_test(raw["full_vaccination"], f"{where}.full_vaccination"),
    )
