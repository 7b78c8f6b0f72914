"""The demo generator builds a believable district: valid identities, households, the age pyramid."""

from collections import Counter
from datetime import date

import pytest

from chongdich.demo.generate import generate
from chongdich.demo.population import Generator
from chongdich.people.identity import normalize_phone, validate_cccd
from chongdich.people.models import Household, Person
from chongdich.territory.models import AdminUnit


def test_synthetic_households_follow_the_pyramid():
    generator = Generator(seed=1, as_of=date(2021, 4, 1))
    households = generator.households(20_000, ethnic_share=0.1)
    people = [p for h in households for p in h.members]
    assert len(people) == 20_000
    ages = [2021 - p.date_of_birth.year for p in people]
    share = lambda low, high: sum(low <= a <= high for a in ages) / len(ages)  # noqa: E731
    assert 0.24 <= share(0, 17) <= 0.31  # Vietnam 2019: about 27 %
    assert 0.06 <= share(65, 120) <= 0.11  # about 8 %
    sizes = Counter(len(h.members) for h in households)
    assert 3.2 <= len(people) / len(households) <= 4.2 and sizes[1] < sizes[4]
    for person in people:
        if person.cccd:
            validate_cccd(person.cccd, sex=person.sex, birth_year=person.date_of_birth.year)
        if person.phone:
            assert normalize_phone(person.phone) == person.phone
    assert all(h.members[0].relation == "head" for h in households)


@pytest.mark.django_db
def test_generate_small_district():
    result = generate(people=1500, seed=3, say=lambda message: None)
    assert result["people"] == Person.objects.count() >= 1400
    district = AdminUnit.objects.get(code="691")
    assert district.population_total == Person.objects.count()
    communes = AdminUnit.objects.filter(parent=district)
    assert communes.count() == 8
    assert sum(c.population_total for c in communes) == district.population_total
    assert AdminUnit.objects.filter(level="village", parent__parent=district).count() == 60
    assert all(h.head_id for h in Household.objects.all())
    assert AdminUnit.objects.get(code="25222").is_border
    usernames = {u for u, _p, _d in result["users"]}
    assert {"admin", "xa.duchanh", "xa.phuvan", "chot.bugiamap", "todan.duchanh"} <= usernames
    assert generate(people=1500, seed=3, say=lambda message: None)["people"] == 0  # second run adds nothing


@pytest.mark.django_db
def test_outbreak_goes_through_the_services_and_keeps_tallies_exact():
    from chongdich.accounts.models import User
    from chongdich.demo.outbreak import generate_outbreak
    from chongdich.surveillance.chains import components
    from chongdich.surveillance.models import Case, Chain, Contact
    from chongdich.surveillance.rebuild import case_edges
    from chongdich.tallies.rebuild import differences

    generate(people=4000, seed=5, say=lambda message: None)
    actor = User.objects.get(username="admin")
    result = generate_outbreak(actor, date(2021, 7, 30), seed=5, limit=40, say=lambda message: None)
    assert result["cases"] == Case.objects.count() > 3
    assert Contact.objects.filter(rank=1).exists()
    assert differences() == {}  # every write kept the tallies exact
    nodes, edges, _facts = case_edges()
    expected_chains = len(set(components(nodes, edges).values()))
    assert Chain.objects.filter(parent__isnull=True).count() == expected_chains  # incremental = rebuilt chains
