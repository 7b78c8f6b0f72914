"""The chain graph: a page of at most 300 nodes whatever the chain's size, drawn quickly; the date
window narrows it; people outside the area appear without name or link."""

import random
import re
import time
from datetime import date, timedelta

from django.urls import reverse

from chongdich.people.models import Person
from chongdich.surveillance import graph
from chongdich.surveillance.models import Case, Chain, Contact, Exposure
from tests.surveillance.pages import at

START = date(2021, 6, 1)
DAYS = 60


def build_chain(world, size: int, other_area_every: int = 0, first_number: int = 1) -> Chain:
    """A chain of ``size`` cases linked as a random tree, written in bulk (the services would take minutes)."""
    rng = random.Random(11)
    people = []
    for i in range(size):
        person = Person(full_name=f"Người Số {i}", sex="M" if i % 2 else "F", birth_year=1950 + i % 60)
        unit = world.other_village if other_area_every and i % other_area_every == 0 else world.village
        person.place_in(unit)
        people.append(person)
    people = Person.objects.bulk_create(people, batch_size=1000)
    days = sorted(START + timedelta(days=rng.randrange(DAYS)) for _ in range(size))
    root = Chain.objects.create(province_code="70", size=size, active=size, first_date=days[0], last_date=days[-1])
    cases = []
    for i, (person, day) in enumerate(zip(people, days, strict=True)):
        case = Case(person=person, case_number=f"70-{i + first_number:05d}", confirmed_on=day, chain=root)
        case.place_in(person.unit)
        cases.append(case)
    cases = Case.objects.bulk_create(cases, batch_size=1000)
    exposures = []
    for i in range(1, size):
        source = people[rng.randrange(max(0, i - 30), i)]
        exposure = Exposure(
            source=source,
            contact=people[i],
            kind=rng.choice(["household", "physical_contact", "close_unmasked"]),
            start=at(days[i] - timedelta(days=2)),
        )
        exposure.place_in(source.unit)
        exposures.append(exposure)
    Exposure.objects.bulk_create(exposures, batch_size=1000)
    return root


def test_a_thousand_case_chain_draws_a_page_of_at_most_300_nodes_quickly(world, personas):
    root = build_chain(world, 1000)
    started = time.perf_counter()
    page = graph.build(root, personas["commune"], graph.Window())
    elapsed = time.perf_counter() - started
    assert page.total == 1000 and page.pages == 4 and len(page.nodes) == 300
    assert len(page.edges) > 200 and all(e.x1 and e.y2 for e in page.edges)
    assert elapsed < 3, f"{elapsed:.2f} s"
    last = graph.build(root, personas["commune"], graph.Window(page=9))  # past the end: the last page
    assert last.page == 4 and len(last.nodes) == 100


def test_the_chain_page_renders_quickly_and_opens_on_the_last_two_weeks(client_of, world):
    root = build_chain(world, 1000)
    client = client_of("commune")
    started = time.perf_counter()
    response = client.get(reverse("surveillance:chain", args=[root.pk]))
    elapsed = time.perf_counter() - started
    view = response.context["view"]
    assert response.status_code == 200 and elapsed < 5, f"{elapsed:.2f} s"
    assert view.window.end == root.last_date and view.window.start == root.last_date - timedelta(days=13)
    assert view.total < 1000 and all(view.window.start <= row.confirmed_on <= view.window.end for row in view.cases)
    html = response.content.decode()
    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', html.split('id="chain-graph"')[1].split("</svg>")[0])
    assert 0 < len(circles) <= 300
    for x, y in circles:  # never localised ("12,5" would break the drawing in Vietnamese)
        float(x), float(y)
    assert len(response.context["weeks"]) >= 8  # the rest of the chain, summarised per week
    whole = client.get(reverse("surveillance:chain", args=[root.pk]), {"all": "on"}).context["view"]
    assert whole.total == 1000 and len(whole.nodes) == 300


def test_the_date_window_narrows_the_graph(world, personas):
    root = build_chain(world, 400)
    window = graph.Window(start=START + timedelta(days=10), end=START + timedelta(days=19))
    page = graph.build(root, personas["commune"], window)
    expected = Case.objects.filter(chain=root, confirmed_on__range=(window.start, window.end)).count()
    assert page.total == expected == len(page.nodes) and 0 < expected < 400
    assert all(window.start <= node.day <= window.end for node in page.nodes)
    timeline = graph.build(
        root, personas["commune"], graph.Window(start=window.start, end=window.end, layout="timeline")
    )
    by_day = sorted(timeline.nodes, key=lambda n: n.day)
    assert float(by_day[0].x) < float(by_day[-1].x)  # left to right by date


def test_a_highlighted_case_opens_its_page(world, personas):
    root = build_chain(world, 700)
    target = Case.objects.get(case_number="70-00650")
    page = graph.build(root, personas["commune"], graph.Window(case=target.pk))
    assert page.page == 3 and any(n.highlight for n in page.nodes) and any(r.highlight for r in page.cases)


def test_contacts_fill_the_page_up_to_the_limit(world, personas, make_person):
    root = build_chain(world, 150)
    first = Case.objects.filter(chain=root).order_by("confirmed_on", "pk").first()
    contacts = [make_person(full_name=f"Tiếp Xúc {i}", cccd=None) for i in range(260)]
    for person in contacts:
        contact = Contact(person=person, index_case=first, rank=1, first_exposure=START, last_exposure=START)
        contact.place_in(person.unit)
        contact.save()
    page = graph.build(root, personas["commune"], graph.Window(contacts=True))
    ranks = [n.rank for n in page.nodes]
    assert len(page.nodes) == graph.PER_PAGE and ranks.count(0) == graph.PER_PAGE // graph.CONTACT_SHARE
    assert page.contacts_omitted == 260 - (graph.PER_PAGE - ranks.count(0))


def test_people_outside_the_area_have_no_name_or_link(world, personas):
    root = build_chain(world, 30, other_area_every=3)
    page = graph.build(root, personas["commune"], graph.Window())
    outside = [n for n in page.nodes if "Xã Phú Văn" in n.title]
    assert len(outside) == 10 and all(not n.url and "Người Số" not in n.title for n in outside)
    assert all(n.url for n in page.nodes if n not in outside)
    assert all(r.name == "" for r in page.cases if not r.in_scope)
    everything = graph.build(root, personas["district"], graph.Window())
    assert all(n.url and "Người Số" in n.title for n in everything.nodes)
