"""Every "today" comes from chongdich.core.clock, so a pinned deployment (demo, drills, tests) is one
coherent day: forms, imports, lists, exports and defaults never fall back to the real date."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2] / "src" / "chongdich"

# Ways of asking the real date or time "as today" that bypass the clock.
REAL_TODAY = re.compile(
    r"\blocaldate\b"  # timezone.localdate() or default=timezone.localdate
    r"|\bdate\.today\b|\bdatetime\.today\b|\bdatetime\.now\b"
    r"|\bnow\(\)\.date\(\)|\blocaltime\(\)\.date\(\)|\blocaltime\(timezone\.now\(\)\)"
)
ALLOWED = {
    "core/clock.py": "the clock itself reads the real date when nothing is pinned",
    "risk/cli.py": "the pure-Python risk engine runs without Django (no settings, no clock); --as-of sets the day",
    "vaccination/cli.py": "the pure-Python vaccination rules run without Django, like risk/cli.py; --as-of sets the day",
    "core/partitioning.py": "partitions must also cover the real months: record times (received_at) stay real",
    "movement/retention.py": "partitions from the earlier of the system's and the real month (received_at stays real)",
}


def _sources():
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or relative in ALLOWED:
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_code_asks_the_real_date_instead_of_the_clock():
    offenders = [
        f"{relative}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}"
        for relative, text in _sources()
        for match in REAL_TODAY.finditer(text)
    ]
    assert not offenders, "use chongdich.core.clock.today()/now() instead:\n" + "\n".join(offenders)


def test_no_template_asks_the_real_date():
    offenders = [
        path.relative_to(SRC).as_posix()
        for path in sorted(SRC.rglob("*.html"))
        if "{% now" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, "pass the clock's today in the context instead of {% now %}: " + ", ".join(offenders)


def test_the_check_recognises_what_it_forbids():
    for line in (
        "x = timezone.localdate()",
        "default=timezone.localdate",
        "date.today()",
        "timezone.now().date()",
        "datetime.now()",
        "timezone.localtime().date()",
    ):
        assert REAL_TODAY.search(line), line
    for line in (
        "clock.today()",
        "clock.now()",
        "timezone.localtime(stay.created_at).date()",
        "created_at = timezone.now()",
    ):
        assert not REAL_TODAY.search(line), line


# -- behaviour with the clock pinned to the demo's day (2021) while the real date is years later ------------


@pytest.fixture
def pinned(settings):
    settings.CHONGDICH_TODAY = "2021-08-20T14:00"
    return date(2021, 8, 20)


def _person_form(world, **extra):
    return {
        "full_name": "Phan Thị Ngọc",
        "sex": "F",
        "unit": world.village.code,
        "residence_status": "permanent",
        "client_id": "clock-form",
        **extra,
    }


def test_person_form_refuses_a_birth_after_the_pinned_day(client_of, world, pinned):
    from chongdich.people.models import Person

    response = client_of("health").post(reverse("people:create"), _person_form(world, date_of_birth="2022-03-01"))
    assert response.status_code == 200 and "date_of_birth" in response.context["form"].errors
    response = client_of("health").post(reverse("people:create"), _person_form(world, birth_year="2023"))
    assert response.status_code == 200 and "birth_year" in response.context["form"].errors
    assert not Person.objects.exists()


def test_people_list_ages_count_from_the_pinned_day(world, personas, make_person, pinned):
    from chongdich.people.filters import PersonFilter

    teenager = make_person(full_name="Lê Văn Nam", birth_year=2004)  # 17 on the pinned day; an adult by the real date
    assert teenager in PersonFilter({"age": "0-17"}, user=personas["commune"]).people
    assert teenager not in PersonFilter({"age": "18-49"}, user=personas["commune"]).people


def test_export_file_names_carry_the_pinned_day(client_of, world, make_person, pinned):
    make_person()
    response = client_of("commune").get(reverse("people:export"))
    assert "20210820" in response["Content-Disposition"]


def test_person_import_reads_ages_on_the_pinned_day(world, personas, pinned):
    from chongdich.people.imports import PersonResource

    class Job:
        created_by = personas["commune"]
        unit = world.commune

    assert PersonResource(Job()).today == date(2021, 8, 20)


def test_a_cluster_without_a_first_date_opens_on_the_pinned_day(world, personas, pinned):
    from chongdich.surveillance.actions import do_create_cluster

    cluster, created = do_create_cluster(personas["commune"], unit=world.commune, name="Chợ Đức Hạnh", setting="market")
    assert created and cluster.opened_on == date(2021, 8, 20)
    again, created = do_create_cluster(personas["commune"], unit=world.commune, name="Chợ Đức Hạnh", setting="market")
    assert not created and again == cluster  # a re-sent form finds it


def test_testing_home_links_today_of_the_clock(client_of, world, pinned):
    response = client_of("health").get(reverse("testing:index"))
    assert b"taken_from=2021-08-20" in response.content
