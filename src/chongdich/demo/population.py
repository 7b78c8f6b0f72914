"""Synthetic households and people (pure Python, seeded): the demo district's registry.

Ages are drawn from Vietnam's age pyramid first, then assembled into households (head, spouse of
about the same age, children a generation younger, sometimes an elderly parent), so that the
district's age structure follows the pyramid while households look like households.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from chongdich.demo import names
from chongdich.demo.district import AGE_PYRAMID, BIRTH_PROVINCES, MOBILE_PREFIXES
from chongdich.people.identity import FEMALE, MALE, IdentityError, normalize_phone, sex_century_digit


@dataclass
class SyntheticPerson:
    full_name: str
    sex: str
    date_of_birth: date
    cccd: str | None
    phone: str
    relation: str
    occupation: str
    residence: str


@dataclass
class SyntheticHousehold:
    members: list[SyntheticPerson] = field(default_factory=list)


class AgePool:
    """People not yet placed in a household, by age; take() picks one in an age range."""

    def __init__(self, ages: list[int]):
        self.count: dict[int, int] = defaultdict(int)
        for age in ages:
            self.count[age] += 1
        self.total = len(ages)

    def take(self, rng: random.Random, low: int, high: int) -> int | None:
        candidates = [a for a in range(max(0, low), high + 1) if self.count.get(a)]
        if not candidates:
            return None
        weights = [self.count[a] for a in candidates]
        age = rng.choices(candidates, weights)[0]
        self.count[age] -= 1
        self.total -= 1
        return age


def is_valid_phone(number: str) -> bool:
    """Only numbers in allocated ranges (the validator rejects the rest)."""
    try:
        return normalize_phone(number) == number
    except IdentityError:
        return False


def sample_ages(rng: random.Random, n: int) -> list[int]:
    bands = [start for start, _ in AGE_PYRAMID]
    weights = [w for _, w in AGE_PYRAMID]
    ages = []
    for start in rng.choices(bands, weights, k=n):
        width = 15 if start == 80 else 5
        ages.append(start + int(rng.random() ** (1.6 if start == 80 else 1) * width))
    return ages


class Generator:
    def __init__(self, seed: int, as_of: date):
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.used_cccd: set[str] = set()
        self.used_phone: set[str] = set()

    # -- identity ---------------------------------------------------------------------------------
    def birth_date(self, age: int) -> date:
        latest = self.as_of - timedelta(days=365 * age)
        return latest - timedelta(days=self.rng.randrange(365))

    def cccd(self, sex: str, born: date) -> str:
        province = self.rng.choices([p for p, _ in BIRTH_PROVINCES], [w for _, w in BIRTH_PROVINCES])[0]
        prefix = f"{province}{sex_century_digit(sex, born.year)}{born.year % 100:02d}"
        while True:
            number = f"{prefix}{self.rng.randrange(1_000_000):06d}"
            if number not in self.used_cccd:
                self.used_cccd.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = f"+84{self.rng.choice(MOBILE_PREFIXES)[1:]}{self.rng.randrange(10_000_000):07d}"
            if number not in self.used_phone and is_valid_phone(number):
                self.used_phone.add(number)
                return number

    # -- names ------------------------------------------------------------------------------------
    def name(self, sex: str, surname: str | None, ethnic: bool) -> tuple[str, str]:
        rng = self.rng
        if ethnic:
            given = rng.choice(names.STIENG_MALE if sex == MALE else names.STIENG_FEMALE)
            return ("Điểu " if sex == MALE else "Thị ") + given, ""
        surname = surname or rng.choices([s for s, _ in names.SURNAMES], [w for _, w in names.SURNAMES])[0]
        middle = rng.choice(names.MIDDLE_MALE if sex == MALE else names.MIDDLE_FEMALE)
        given = rng.choice(names.GIVEN_MALE if sex == MALE else names.GIVEN_FEMALE)
        return f"{surname} {middle} {given}", surname

    def occupation(self, age: int) -> str:
        rng = self.rng
        if age < 6:
            return "child"
        if age < 18:
            return "student"
        if age < 23 and rng.random() < 0.35:
            return "student"
        if age >= 62:
            return rng.choices(["retired", "farmer", "unemployed"], [45, 40, 15])[0]
        return rng.choices(
            [
                "farmer",
                "factory",
                "market",
                "services",
                "office",
                "driver",
                "delivery",
                "health",
                "education",
                "security",
                "unemployed",
            ],
            [44, 9, 6, 10, 5, 3, 1, 1, 2, 2, 8],
        )[0]

    def person(self, age: int, sex: str, relation: str, surname: str | None, ethnic: bool) -> SyntheticPerson:
        born = self.birth_date(age)
        full_name, _surname = self.name(sex, surname, ethnic)
        has_cccd = age >= 14 and self.rng.random() < 0.93
        has_phone = 15 <= age <= 78 and self.rng.random() < (0.9 if age < 60 else 0.6)
        return SyntheticPerson(
            full_name=full_name,
            sex=sex,
            date_of_birth=born,
            cccd=self.cccd(sex, born) if has_cccd else None,
            phone=self.phone() if has_phone else "",
            relation=relation,
            occupation=self.occupation(age),
            residence=self.rng.choices(["permanent", "temporary", "sojourn"], [93, 6, 1])[0],
        )

    # -- households -------------------------------------------------------------------------------
    def households(self, n_people: int, ethnic_share: float) -> list[SyntheticHousehold]:
        rng = self.rng
        pool = AgePool(sample_ages(rng, n_people))
        result: list[SyntheticHousehold] = []
        while pool.total > 0:
            ethnic = rng.random() < ethnic_share
            head_age = pool.take(rng, 24, 80) or pool.take(rng, 18, 100)
            if head_age is None:
                # Only children are left: they live with grandparents or other relatives.
                while (age := pool.take(rng, 0, 17)) is not None:
                    home = rng.choice(result) if result else SyntheticHousehold()
                    if not result:
                        result.append(home)
                    surname = home.members[0].full_name.split(" ")[0] if home.members else None
                    ethnic_home = bool(home.members) and home.members[0].full_name.startswith(("Điểu ", "Thị "))
                    home.members.append(
                        self.person(age, rng.choice([MALE, FEMALE]), "grandchild", surname, ethnic_home)
                    )
                break
            head_sex = MALE if rng.random() < 0.78 else FEMALE
            household = SyntheticHousehold()
            head = self.person(head_age, head_sex, "head", None, ethnic)
            surname = head.full_name.split(" ")[0]
            household.members.append(head)
            if head_age >= 20 and rng.random() < 0.8:
                spouse_age = pool.take(rng, head_age - 6, head_age + 3)
                if spouse_age is not None:
                    household.members.append(
                        self.person(spouse_age, FEMALE if head_sex == MALE else MALE, "spouse", None, ethnic)
                    )
            wanted = rng.choices([0, 1, 2, 3, 4], [14, 24, 38, 17, 7])[0] if head_age < 70 else rng.choice([0, 0, 1])
            for _ in range(wanted):
                child_age = pool.take(rng, head_age - 42, head_age - 19)
                if child_age is None:
                    break
                household.members.append(self.person(child_age, rng.choice([MALE, FEMALE]), "child", surname, ethnic))
            if head_age < 55 and rng.random() < 0.18:
                parent_age = pool.take(rng, head_age + 20, head_age + 40)
                if parent_age is not None:
                    household.members.append(
                        self.person(
                            parent_age,
                            rng.choice([MALE, FEMALE]),
                            "parent",
                            surname if rng.random() < 0.5 else None,
                            ethnic,
                        )
                    )
            result.append(household)
        return result
