"""Bulk quarantine order benchmark (issue 3), on PostgreSQL.

A transmission chain with one index case and N F1 contacts (default 10,000) in the communes of
Bù Gia Mập: the bulk home-quarantine order for every F1 of the chain is timed end to end (select the
F1, skip checks, R-52 plan per person, insert orders with their history, tallies, audit), next to a
raw insert of the same HomeOrder rows in the same run — Django's ``bulk_create`` (the baseline) and
COPY (the floor).  Then: the same order run again
(idempotent: nobody ordered twice) and the tallies checked against a full rebuild.

SORMAS users report 15–20 minutes for 300 cases; the target here is seconds for 10,000.

Run: runuser -u postgres -- /usr/lib/postgresql/15/bin/createdb -h /tmp/chongdich-pg-dev benchdb3
     cd bench && DATABASE_URL="postgres://postgres@/benchdb3?host=/tmp/chongdich-pg-dev" \\
         ../.venv/bin/python bench_bulk_quarantine.py [--contacts 10000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from common import require_postgres, say, setup_django, tally_disagreements, timed

FIRST_EXPOSURE = date(2022, 2, 22)  # exposures spread over 17 days under the 21/2/2022 rule (5 or 7 days)
EXPOSURE_DAYS = 17


def actor_for(district):
    from chongdich.accounts.models import Grant, User

    user, _ = User.objects.get_or_create(username="bench.care.district")
    Grant.objects.get_or_create(user=user, role="district_committee", unit=district)
    return User.objects.get(pk=user.pk)


def make_people(communes, n: int, seed: int):
    """N persons spread over the communes, inserted in bulk (no CCCD or phone: not needed here)."""
    from chongdich.core.text import fold
    from chongdich.people.models import Person

    rng = random.Random(seed)
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Điểu", "Thị"]
    middles = ["Văn", "Thị", "Hữu", "Đức"]
    givens = ["An", "Bình", "Hạnh", "Sơn", "Lan", "Minh"]
    people = []
    for i in range(n):
        name = f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(givens)} {i}"
        person = Person(
            full_name=name, folded_name=fold(name), sex=rng.choice("MF"), birth_year=rng.randint(1950, 2015)
        )
        person.place_in(communes[i % len(communes)])
        people.append(person)
    return Person.objects.bulk_create(people, batch_size=2000)


def make_chain(actor, communes, n: int, seed: int):
    """One index case (through the case service) and N F1 contact rows of it."""
    from chongdich.people.models import Person
    from chongdich.surveillance.actions import do_confirm_case
    from chongdich.surveillance.models import Contact

    index_person = Person(full_name="Ca chỉ điểm bench", sex="M", birth_year=1980)
    index_person.place_in(communes[0])
    index_person.save()
    case, _ = do_confirm_case(actor, index_person, confirmed_on=FIRST_EXPOSURE + timedelta(days=EXPOSURE_DAYS))
    rng = random.Random(seed)
    contacts = []
    for person in make_people(communes, n, seed):
        last = FIRST_EXPOSURE + timedelta(days=rng.randrange(EXPOSURE_DAYS))
        contact = Contact(person=person, index_case=case, rank=1, first_exposure=last, last_exposure=last)
        contact.unit_id, contact.unit_path = person.unit_id, person.unit_path
        contact.province_code, contact.commune_code = person.province_code, person.commune_code
        contacts.append(contact)
    Contact.objects.bulk_create(contacts, batch_size=2000)
    from chongdich.tallies import engine  # contacts feed tallies (F1 found): as contact tracing would

    engine.apply(engine.contributions_of(Contact.objects.filter(index_case=case).select_related("index_case")))
    case.refresh_from_db()
    return case.chain, contacts


def same_orders(contacts) -> list:
    """The HomeOrder rows the service will write (plans computed here, outside any timing)."""
    from chongdich.care import plans
    from chongdich.care.models import HomeOrder

    book = plans.PlanBook()
    orders = []
    for c in contacts:
        fields = plans.order_fields(book.plan(c.last_exposure, province=c.province_code))
        order = HomeOrder(
            person_id=c.person_id, contact_id=c.pk, inputs={"last_exposure": c.last_exposure.isoformat()}, **fields
        )
        order.unit_id, order.unit_path, order.province_code, order.commune_code = (
            c.unit_id,
            c.unit_path,
            c.province_code,
            c.commune_code,
        )
        orders.append(order)
    return orders


def raw_insert(contacts, how: str) -> float:
    """The same orders inserted raw — no history, tallies, checks or audit — then removed:
    ``bulk_create`` (Django's bulk insert) or ``copy`` (the floor: ids from the sequence + COPY)."""
    from django.db import transaction

    from chongdich.care.actions.inserts import insert
    from chongdich.care.models import HomeOrder

    orders = same_orders(contacts)
    with transaction.atomic():
        start = time.perf_counter()
        if how == "copy":
            insert(HomeOrder, orders)
        else:
            HomeOrder.objects.bulk_create(orders, batch_size=2000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chongdich.care.actions import do_bulk_home_quarantine, select
    from chongdich.care.models import HomeOrder, OrderStatus
    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="691").exists():
        load_units("legacy")
    district = AdminUnit.objects.get(code="691")
    communes = list(AdminUnit.objects.filter(parent=district, level="commune").order_by("code"))
    actor = actor_for(district)

    results: dict[str, float] = {}
    with timed("setup", results):
        chain, contacts = make_chain(actor, communes, args.contacts, args.seed)
    say(
        f"bulk quarantine order: chain #{chain.pk}, {len(contacts):,} F1 in {len(communes)} communes "
        f"(setup {results['setup']:.1f} s)"
    )

    baseline = raw_insert(contacts, "bulk_create")
    floor = raw_insert(contacts, "copy")
    with timed("preview", results):
        preview = select(actor, chain=chain)
    with CaptureQueriesContext(connection) as queries, timed("bulk", results):
        result = do_bulk_home_quarantine(actor, chain=chain)
    ordered = result.counts["ordered"]
    assert ordered == len(contacts), result.counts
    assert HomeOrder.objects.filter(batch=result.batch, status=OrderStatus.ACTIVE).count() == ordered
    with timed("again", results):
        again = do_bulk_home_quarantine(actor, chain=chain)
    assert again.counts["ordered"] == 0 and again.counts["active"] == len(contacts), again.counts
    with timed("check", results):
        agreement = tally_disagreements(("f1_home", "f1_facility", "f1_completed"))  # its orders; f1_new: contacts,
        # which other benchmarks COPY without tallies

    say(f"    raw bulk_create of the same {ordered:,} HomeOrder rows (baseline):  {baseline:6.2f} s")
    say(f"    raw COPY of the same rows (the floor):                    {floor:6.2f} s")
    say(
        f"    preview (select F1, skips, plans):                   {results['preview']:6.2f} s  to order {preview.to_order:,}"
    )
    say(
        f"    bulk home-quarantine order (plans, orders + history, tallies, audit): {results['bulk']:6.2f} s"
        f"  ({ordered / results['bulk']:,.0f} orders/s, {len(queries.captured_queries)} queries)"
        f"  ratio to raw bulk_create {results['bulk'] / baseline:.2f}×, to raw COPY {results['bulk'] / floor:.1f}×"
    )
    say(f"    same order again (idempotent, 0 ordered, {again.counts['active']:,} skipped): {results['again']:6.2f} s")
    say(f"    tallies equal a rebuild from the records: {agreement} (checked in {results['check']:.1f} s)")
    say(f"    target: seconds for 10,000 (SORMAS: 15–20 min for 300): {'MET' if results['bulk'] < 10 else 'NOT MET'}")
    assert agreement == "yes", agreement


if __name__ == "__main__":
    main()
