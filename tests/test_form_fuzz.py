"""Every form of the web UI, found by crawling the site as the national administrator from every page of
the URL resolver, gets random values — empty, huge, NUL, unicode, wrong types, dates out of range, huge
integers — for a bounded budget (``FORM_FUZZ_EXAMPLES`` per form): never a server error.

The world holds one record of each kind (person, household, case, contact, cluster, sample, laboratory,
campaign, facility, stay, home order, announcement…), made through the services, so that the crawl
reaches the detail pages and the forms on them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.routes import SKIPPED_PREFIXES, page_routes

EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "12"))
RANDOM = bool(os.environ.get("FORM_FUZZ_RANDOM"))  # explore new values (CI replays the same ones)
MAX_PAGES = 400
# Not crawled: downloads (exports, prints, PDFs), the API, static files, and what ends the session.
NOT_CRAWLED = re.compile(
    r"\.(xlsx|pdf|json|csv|ico|svg|png|js|css)$|/print/|^/api/|^/static/|^/media/|/logout/|^/i18n/"
)
# Not fuzzed: forms that remove the acting administrator's own access (the crawl would lose its way).
OWN_ACCESS = ("accounts:grant_revoke", "accounts:token_revoke", "accounts:user")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values seen (options, defaults)
    files: set[str] = field(default_factory=set)


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.links, self.forms = page, set(), []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.add(a["href"])
        elif tag == "form":
            self._form = Form(
                self.page, urljoin(self.page, a.get("action") or self.page), a.get("method", "get").lower()
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "file":
                self._form.files.add(a["name"])
            elif kind not in ("submit", "button", "reset", "image"):
                self._form.fields.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and a.get("name"):
            self._form.fields.setdefault(a["name"], []).append("")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self._form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _local(href: str, page: str) -> str | None:
    url = urljoin(page, href)
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if NOT_CRAWLED.search(parts.path) else path


def _route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route if not match.route.startswith(SKIPPED_PREFIXES) else None


def crawl(client, seeds: list[str]) -> tuple[list[Form], set[str]]:
    """Breadth first from ``seeds``; at most two addresses per route, ``MAX_PAGES`` pages in all."""
    queue, seen, per_route, forms, routes = list(seeds), set(), {}, [], set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        route = _route_of(path)
        if path in seen or route is None or per_route.get(route, 0) >= 2:
            continue
        seen.add(path)
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} answered {response.status_code}"
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        routes.add(route)
        parser = _Parser(f"http://testserver{path}")
        parser.feed(response.content.decode())
        forms += parser.forms
        queue += [local for href in sorted(parser.links) if (local := _local(href, f"http://testserver{path}"))]
    return forms, routes


# -- random values -------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "abc",
    "2012-06-01",
    "1900-01-01",
    "0001-01-01",
    "9999-12-31",
    "2021-02-31",
    "2021-08-20",
    "31/12/2021",
    "2021-08-20T25:61",
    "x" * 10_000,
    "Nguyễn Văn Ơ 🦠",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "a\x00b",
    "\u202e\ufeff",
    "on",
    "true",
    "[]",
    "{}",
    "%s%n",
    "../../etc/passwd",
]


def values_for(seen: list[str]):
    known = [v for v in seen if v]
    return st.one_of(
        st.sampled_from(known or [""]),  # a valid value keeps the other fields' checks reachable
        st.sampled_from(NASTY),
        st.text(max_size=300),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    )


@pytest.fixture
def every_kind(world, personas, make_person):
    """One record of each kind, through the services (as the pages would make them)."""
    from chongdich.accounts.models import ApiToken, Grant, User
    from chongdich.care.actions import do_admit, do_create_facility, do_order_home_care, do_order_home_quarantine
    from chongdich.care.plans import HomeCareFacts
    from chongdich.people.models import Household
    from chongdich.portal.actions import do_add_hotline, do_create_announcement
    from chongdich.surveillance.actions import do_confirm_case, do_create_cluster, do_record_exposure
    from chongdich.testing.actions import do_create_campaign, do_create_lab, do_register_sample

    actor = personas["national"]
    day = date(2021, 8, 10)
    household = Household(code="25228-H00001", address="Thôn 1")
    household.place_in(world.village)
    household.save()
    index = make_person(full_name="Trần Văn Nguồn", household=household, relation="head")
    contact = make_person(full_name="Lê Thị Gần", sex="F", birth_year=1990, household=household)
    home_case = make_person(full_name="Phạm Văn Nhà", birth_year=1975)
    guest = make_person(full_name="Võ Văn Khách", birth_year=1992)
    case, _ = do_confirm_case(actor, index, confirmed_on=day)
    do_confirm_case(actor, home_case, confirmed_on=day)
    do_record_exposure(
        actor, source=index, contact=contact, kind="household", start=datetime(2021, 8, 9, 9).astimezone()
    )
    do_create_cluster(
        actor, unit=world.commune, name="Chợ Đức Hạnh", setting="market", source_known=False, opened_on=day
    )
    lab, _ = do_create_lab(
        actor,
        unit=world.province,
        data={"name": "CDC Bình Phước", "code": "CDC-BP", "daily_capacity": 300, "antigen_capacity": 1000},
    )
    do_register_sample(actor, person=contact, kind="rt_pcr", reason="f1", taken_on=day, lab=lab)
    do_create_campaign(actor, unit=world.commune, data={"name": "Sàng lọc chợ", "start": day, "sample_kind": "rt_pcr"})
    site, _ = do_create_facility(
        actor,
        unit=world.commune,
        capacity={"quarantine": 5},
        data={"name": "Khu cách ly THCS", "kind": "concentrated_quarantine", "opened_on": day},
    )
    do_admit(actor, guest, facility=site, bed_type="quarantine", purpose="quarantine_entrant", on=day)
    do_order_home_quarantine(actor, contact, last_exposure=date(2021, 8, 9), override_reason="Tỉnh cho phép")
    do_order_home_care(actor, home_case, on=day, facts=HomeCareFacts(), override_reason="Bác sĩ quyết định")
    do_create_announcement(
        actor, world.commune, title="Thông báo phòng dịch", body="Nội dung thông báo phòng dịch.", kind="general"
    )
    do_add_hotline(actor, world.commune, label="Trạm y tế", number="0271 3 123 456")
    other = User.objects.create_user(username="other", password="x-pass-123456", full_name="Other")
    Grant.objects.create(user=other, role="viewer", unit=world.district)
    ApiToken.issue(other, name="tablet")
    # vaccination — table: an open session with a lot; one person screened (the dose form), one vaccinated
    from chongdich.vaccination.actions.table import do_create_session, do_record_dose, do_screen, do_set_session_status
    from chongdich.vaccination.models import Lot, Site
    from chongdich.vaccination.selectors.table import checklist

    vacc_site = Site(name="Trạm Y tế Đức Hạnh")
    vacc_site.place_in(world.commune)
    vacc_site.save()
    vacc_lot = Lot.objects.create(product="AZ", number="AZ-FUZZ", expires_on=date(2022, 6, 30))
    vacc_session, _ = do_create_session(actor, site=vacc_site, data={"day": day}, lots=[vacc_lot])
    do_set_session_status(actor, vacc_session, "open")
    answers = {q.code: False for q in checklist(day, "70")}
    for person in (guest, index):
        do_screen(actor, person=person, session=vacc_session, answers=answers)
    do_record_dose(actor, person=index, session=vacc_session, lot=vacc_lot)
    return {"case": case}


def test_every_form_survives_random_input(client_of, personas, every_kind):
    client = client_of("national")
    client.raise_request_exception = True  # a server error fails with its traceback
    seeds = ["/" + route.route for route in page_routes()]
    forms, routes = crawl(client, seeds)
    actor = personas["national"]
    own = {f"/accounts/users/{actor.pk}/", *(f"/accounts/grants/{g.pk}/revoke/" for g in actor.grants.all())}
    fuzzed = [f for f in forms if urlsplit(f.action).path not in own and _route_of(urlsplit(f.action).path)]
    assert len(routes) >= 60 and len(fuzzed) >= 40, (len(routes), len(fuzzed))  # the crawl reached the site

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not RANDOM,
        print_blob=True,
    )
    @given(data=st.data())
    def fuzz(form: Form, data):
        values = {name: data.draw(values_for(seen), label=name) for name, seen in sorted(form.fields.items())}
        path = urlsplit(form.action).path + (f"?{urlsplit(form.action).query}" if urlsplit(form.action).query else "")
        client.force_login(actor)  # a form may have ended the session (password change)
        if form.method == "post":
            response = client.post(path, values)
        else:
            response = client.get(urlsplit(form.action).path, values)
        assert response.status_code < 500, f"{form.method.upper()} {path} {values!r}"

    failures = []
    for form in fuzzed:
        try:
            fuzz(form)
        except Exception as error:  # collect them all: one run shows every form that fails
            notes = "\n".join(getattr(error, "__notes__", []))
            failures.append(f"{form.method.upper()} {form.action} (form of {form.page}): {error!r}\n{notes}")
    assert not failures, f"{len(failures)} form(s) answered a server error:\n\n" + "\n\n".join(failures)
