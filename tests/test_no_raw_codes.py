"""Walk the demo district's pages as Vietnamese users and fail on anything a person should not have to
decode: snake_case identifiers (``commune_factors``), Python values (True/False/None), ISO dates
(2021-08-20) and internal version ids (``measures.2686.v1``) in the visible text."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

DAY = date(2021, 8, 20)
RAW = {
    "identifier": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "python value": re.compile(r"\b(True|False|None)\b"),
    "ISO date": re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b"),
    "version id": re.compile(r"\b[a-z]+\.\d+\.v\d+\b|\b\d{3,4}\.v\d+\b"),
}
SKIP = (
    "/logout",
    "/export",
    ".xlsx",
    ".pdf",
    "/i18n/",
    "/language/",
    "/api/",
    "/static/",
    ".geojson",
    "/print/",
    "/rejected",
    "/data",
    "/shapes",
)
PER_PATTERN = 2  # pages of one shape (/cases/<n>/) are alike: a few of each
PER_PATTERN_TRAILS = 6  # histories differ by what changed: more of them
MAX_PAGES = 260


class VisibleText(HTMLParser):
    """The text a person reads (and hears: titles, labels, placeholders), and the links to follow."""

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in ("title", "placeholder", "aria-label", "alt"):
            if values.get(name):
                self.parts.append(values[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def raw_codes(html: str) -> list[tuple[str, str, str]]:
    """(kind, token, context) for every raw code in the visible text of a page."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    return [
        (kind, m.group(), text[max(0, m.start() - 60) : m.end() + 30])
        for kind, pattern in RAW.items()
        for m in pattern.finditer(text)
    ]


def walk(client: Client, start: list[str]) -> tuple[dict[str, list], int]:
    found: dict[str, list] = {}
    seen: set[str] = set()
    per: Counter = Counter()
    queue = list(start)
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or any(part in path for part in SKIP):
            continue
        seen.add(url)
        shape = re.sub(r"\d+", "N", path)
        if per[shape] >= (
            PER_PATTERN_TRAILS if "history" in shape or shape.startswith("/testing/samples/N") else PER_PATTERN
        ):
            continue
        per[shape] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        for finding in raw_codes(html):
            found.setdefault(url, []).append(finding)
        parser = VisibleText()
        parser.feed(html)
        for link in parser.links:
            parts = urlsplit(link)
            if not parts.netloc and parts.path.startswith("/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found, pages


def test_the_checker_sees_what_users_saw():
    page = (
        "<p>phương pháp: shares_at_or_above · Danh mục: measures.2686.v1 · Chain: — → #68 · False → True · "
        'Ngày trả kết quả: — → 2021-08-20</p><script>var a_b = "2021-01-01";</script>'
    )
    kinds = Counter(kind for kind, _token, _context in raw_codes(page))
    assert kinds == {"identifier": 1, "version id": 1, "python value": 2, "ISO date": 1}
    assert raw_codes("<p>Quy định: Quyết định 2686/QĐ-BCĐQG · Có → Không · 20/08/2021 · xa.duchanh</p>") == []


@pytest.fixture
def demo_district(db, settings):
    from chongdich.accounts.models import User
    from chongdich.demo.generate import assess_recent_days, generate
    from chongdich.demo.outbreak import generate_outbreak

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"
    generate(people=1200, seed=7, say=lambda message: None)
    admin = User.objects.get(username="admin")
    generate_outbreak(admin, DAY, seed=7, limit=40, say=lambda message: None)
    assess_recent_days(DAY, days=3, say=lambda message: None)
    return _changes_of_every_kind(admin)


def _changes_of_every_kind(actor) -> int:
    """A yes/no field and a date of a case changed, as users do on a working day; returns the case."""
    from chongdich.surveillance.actions import do_update_case
    from chongdich.surveillance.models import Case

    case = Case.objects.filter(onset_date=None).order_by("-pk").first() or Case.objects.order_by("-pk").first()
    do_update_case(actor, case, symptomatic=not case.symptomatic, onset_date=case.confirmed_on)
    return case.pk


def test_no_raw_code_on_any_page_of_the_demo(demo_district):
    from chongdich.accounts.models import User
    from chongdich.surveillance.models import Case, Cluster
    from chongdich.testing.models import Sample

    starts = ["/", "/risk/", "/risk/691/", "/risk/25228/", "/risk/70/", "/audit/", f"/cases/{demo_district}/history/"]
    starts += [f"/cases/{pk}/history/" for pk in Case.objects.order_by("-pk").values_list("pk", flat=True)[:4]]
    starts += [
        f"/testing/samples/{pk}/" for pk in Sample.objects.exclude(result_on=None).values_list("pk", flat=True)[:4]
    ]
    starts += [f"/cases/clusters/{pk}/" for pk in Cluster.objects.values_list("pk", flat=True)[:2]]
    report = []
    total = 0
    for username in ("admin", "xa.duchanh"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        found, pages = walk(client, starts)
        total += pages
        report += [
            f"{username} {url}: {kind} {token!r} in “…{context}…”"
            for url, items in found.items()
            for kind, token, context in items
        ]
    assert total > 100, f"the walk reached only {total} pages"
    assert not report, f"{len(report)} raw codes on screen:\n" + "\n".join(report[:40])
