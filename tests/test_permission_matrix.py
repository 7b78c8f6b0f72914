"""The gate: every route of the URL resolver and every API operation × every persona of conftest.py.

Each route name has a row in ``ROUTES`` (and each API operation in ``API``) saying what it needs;
the expected answer of each persona follows from their grants (``conftest.PERSONAS``) and the role
table (``core.roles``):

- anonymous: 302 to the login page (401 from the API); public pages: 200;
- a persona without the function anywhere: 403;
- a persona with the function, but not where the object lives (or not at the unit asked for): 404 —
  exactly like an object that does not exist;
- the others: the row's status.

The objects live in Thôn 1 of Xã Đức Hạnh (a person, household, case, contact, cluster, chain, sample,
pool, lab, campaign, facility, stay, order, alert, bulk order, report, risk task, override,
announcement, hotline, import, transfer request…); the other commune's officer must get 404 for all
of them.  A route without a row fails the test, so a new page cannot slip through unchecked.

Speed: the world is built once per test and every request runs in a savepoint that is rolled back, so
writes (POSTs) of one persona never change what the next one sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chongdich.core.clock import now as clock_now
from chongdich.core.clock import today as clock_today
from chongdich.core.roles import Cap, Role, capabilities_of
from chongdich.vaccination.rules import questions as vaccination_questions
from tests.conftest import PERSONAS

ALL = list(PERSONAS)
CLIENTS = [None, *ALL]
D = date(2022, 3, 1)

# Where each persona's grant is (path of the unit), for the rows' "in scope" test.
GRANT_PATHS = {
    "province": "/70/",
    "district": "/70/691/",
    "commune": "/70/691/25228/",
    "other_commune": "/70/691/25229/",
    "border_commune": "/70/691/25222/",
    "village": "/70/691/25228/25228-01/",
}
VILLAGE, COMMUNE, DISTRICT, PROVINCE = GRANT_PATHS["village"], GRANT_PATHS["commune"], GRANT_PATHS["district"], "/70/"


def _caps(persona: str) -> frozenset:
    role, _unit, _superuser = PERSONAS[persona]
    return frozenset(Cap) if role == Role.NATIONAL_ADMIN else capabilities_of(role)


def _holds(persona: str, capability: str, path: str) -> bool:
    """``persona`` may use ``capability`` on ``path`` (its grant's subtree, or everything for the nation)."""
    role, unit, _superuser = PERSONAS[persona]
    if capability not in _caps(persona):
        return False
    return role == Role.NATIONAL_ADMIN or path.startswith(GRANT_PATHS[unit])


@dataclass(frozen=True)
class Row:
    """What a route needs.  ``cap``: the function (403 without it anywhere); ``path``: where the object or
    unit lives (404 for a persona whose ``scope_cap`` — default ``cap`` — does not reach it); None for a
    list, which every holder of ``cap`` opens (it shows their area).  ``status``: the answer when allowed.
    ``only``: the personas allowed, when it is not "everyone who holds it there" (e.g. a requester)."""

    method: str = "get"
    cap: str | None = None  # None: any logged-in user
    path: str | None = None
    status: int = 200
    scope_cap: str | None = None
    public: bool = False
    anonymous: int | None = None
    data: dict | list = field(default_factory=dict)
    only: frozenset | None = None
    also: dict = field(default_factory=dict)  # persona → status, exceptions to the rule (with a reason)
    query: dict = field(default_factory=dict)  # query parameter → the object of the world it names

    def expected(self, persona: str | None) -> int:
        if persona is None:
            return self.anonymous or (self.status if self.public else 302)
        if persona in self.also:
            return self.also[persona]
        if self.public or self.cap is None:
            return self.status
        if self.cap not in _caps(persona):
            return 403
        if self.only is not None:
            return self.status if persona in self.only else 404
        if self.path is not None and not _holds(persona, self.scope_cap or self.cap, self.path):
            return 404
        return self.status


def get(cap=None, path=None, status=200, **kw) -> Row:
    return Row("get", cap, path, status, **kw)


def post(cap=None, path=None, status=302, data=None, **kw) -> Row:
    return Row("post", cap, path, status, data=data or {}, **kw)


def public(status=200) -> Row:
    return Row("get", None, None, status, public=True)


# -- the table ----------------------------------------------------------------------------------
# Route name → (URL arguments from the world, Row).  "w" is the world of objects built below.
def _a(*names):
    return lambda w: [w[name] for name in names]


NO_ARGS = lambda w: []  # noqa: E731
COMMUNE_CODE = _a("commune_code")
V = VILLAGE

# vaccination — table: every question of the checklist in force on D answered "no".
SCREENING_NO = {f"q_{q.code}": "no" for q in vaccination_questions(None, D)}

IMPORTERS_ELSEWHERE = {"checkpoint": 404}  # imports rapid-test results, not people lists
NOT_AUTHOR = {"national": 403, "province": 403, "district": 403, "health": 403}  # see the job, cannot confirm it

ROUTES: dict[str, tuple] = {
    # home, health, public portal
    "home": (NO_ARGS, get()),
    "dashboard:index": (NO_ARGS, get()),
    "dashboard:map": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "dashboard:map_data": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "dashboard:map_shapes": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "dashboard:coverage": (NO_ARGS, get(Cap.UNITS_VIEW)),  # coverage: the vaccination coverage page
    "healthz": (NO_ARGS, public()),
    "favicon.ico": (NO_ARGS, public(301)),
    "api/docs": (NO_ARGS, public(302)),
    "set_language": (NO_ARGS, Row("post", None, None, 302, public=True, data={"language": "vi"})),
    "portal:home": (NO_ARGS, public()),
    "portal:announcements": (NO_ARGS, public()),
    "portal:announcement": (_a("announcement"), public()),
    "portal:language": (lambda w: ["en"], public(302)),
    "portal:unit": (COMMUNE_CODE, public()),
    # accounts
    "accounts:login": (NO_ARGS, get(status=302, public=True, anonymous=200)),  # signed in already: to the home page
    "accounts:logout": (NO_ARGS, Row("post", None, None, 302, public=True)),
    "accounts:profile": (NO_ARGS, get()),
    "accounts:password_change": (NO_ARGS, get()),
    "accounts:token_revoke": (
        _a("token"),
        post(None, only=frozenset({"commune"}), also={p: 404 for p in ALL if p != "commune"}),
    ),
    "accounts:users": (NO_ARGS, get(Cap.USERS_MANAGE)),
    "accounts:user_create": (NO_ARGS, get(Cap.USERS_MANAGE)),
    "accounts:user": (_a("account"), get(Cap.USERS_MANAGE, COMMUNE)),
    "accounts:grant_revoke": (_a("grant"), post(Cap.USERS_MANAGE, COMMUNE)),
    # units
    "territory:tree": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "territory:detail": (COMMUNE_CODE, get(Cap.UNITS_VIEW)),  # reference data: every unit for every role
    "territory:edit": (COMMUNE_CODE, get(Cap.UNITS_EDIT, COMMUNE)),
    "territory:village_create": (
        COMMUNE_CODE,
        post(Cap.UNITS_EDIT, COMMUNE, data={"name": "Thôn Mới", "kind": "thon"}),
    ),
    "territory:history": (COMMUNE_CODE, get(Cap.AUDIT_VIEW, COMMUNE)),
    # people
    "people:list": (NO_ARGS, get(Cap.PEOPLE_VIEW)),
    "people:export": (NO_ARGS, get(Cap.PEOPLE_EXPORT)),
    "people:create": (NO_ARGS, get(Cap.PEOPLE_EDIT)),
    "people:detail": (_a("person"), get(Cap.PEOPLE_VIEW, V)),
    "people:edit": (_a("person"), get(Cap.PEOPLE_EDIT, V)),
    "people:merge": (_a("person"), get(Cap.PEOPLE_MERGE, V)),
    "people:history": (_a("person"), get(Cap.AUDIT_VIEW, V)),
    "people:household_create": (_a("person"), post(Cap.PEOPLE_EDIT, V)),
    "people:household": (_a("household"), get(Cap.PEOPLE_VIEW, V)),
    "people:transfers": (NO_ARGS, get(Cap.PEOPLE_EDIT)),
    "people:transfer_new": (
        NO_ARGS,
        get(Cap.PEOPLE_EDIT, status=404, query={"ref": "ref"}),
    ),  # another officer's reference
    "people:transfer": (_a("transfer"), get(Cap.PEOPLE_EDIT, DISTRICT)),  # the common level (and the requester)
    "people:transfer_decide": (_a("transfer"), post(Cap.PEOPLE_EDIT, DISTRICT, data={"decision": "approve"})),
    # cases and tracing
    "surveillance:list": (NO_ARGS, get(Cap.CASES_VIEW)),
    "surveillance:export": (NO_ARGS, get(Cap.PEOPLE_EXPORT, also={"checkpoint": 403})),  # needs cases.view too
    "surveillance:confirm": (NO_ARGS, get(Cap.CASES_EDIT, V, query={"person": "person"})),
    "surveillance:detail": (_a("case"), get(Cap.CASES_VIEW, V)),
    "surveillance:edit": (_a("case"), get(Cap.CASES_EDIT, V)),
    "surveillance:move": (_a("case"), get(Cap.CASES_EDIT, V)),
    "surveillance:close": (_a("case"), get(Cap.CASES_EDIT, V)),
    "surveillance:reopen": (_a("case"), post(Cap.CASES_EDIT, V)),
    "surveillance:history": (_a("case"), get(Cap.AUDIT_VIEW, V)),
    "surveillance:tracing": (_a("case"), get(Cap.CASES_VIEW, V)),
    "surveillance:contacts_export": (
        _a("case"),
        get(Cap.PEOPLE_EXPORT, V, scope_cap=Cap.CASES_VIEW, also={"checkpoint": 403}),
    ),
    "surveillance:contacts_template": (_a("case"), get(Cap.CASES_EDIT, V)),
    "surveillance:exposure_create": (_a("person"), get(Cap.CASES_EDIT, V)),
    "surveillance:contact_status": (_a("contact"), post(Cap.CASES_EDIT, V, data={"status": "reached"})),
    "surveillance:worklist": (NO_ARGS, get(Cap.CASES_VIEW)),
    "surveillance:worklist_export": (NO_ARGS, get(Cap.PEOPLE_EXPORT, also={"checkpoint": 403})),
    "surveillance:clusters": (NO_ARGS, get(Cap.CASES_VIEW)),
    "surveillance:cluster_create": (NO_ARGS, get(Cap.CASES_EDIT)),
    "surveillance:cluster": (_a("cluster"), get(Cap.CASES_VIEW, V)),
    "surveillance:cluster_edit": (_a("cluster"), get(Cap.CASES_EDIT, V)),
    "surveillance:chains": (NO_ARGS, get(Cap.CASES_VIEW)),
    "surveillance:chain": (_a("chain"), get(Cap.CASES_VIEW, V)),
    # testing
    "testing:index": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:samples": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:samples_export": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:sample_create": (NO_ARGS, get(Cap.TESTS_EDIT)),
    "testing:pool_create": (NO_ARGS, get(Cap.TESTS_EDIT)),
    "testing:sample": (_a("sample"), get(Cap.TESTS_VIEW, V)),
    "testing:sample_result": (_a("sample"), get(Cap.TESTS_EDIT, V)),
    "testing:result_entry": (NO_ARGS, get(Cap.TESTS_EDIT)),
    "testing:pending": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:positives": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:capacity": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:labs": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:lab_create": (NO_ARGS, get(Cap.TESTS_EDIT)),
    "testing:lab": (_a("lab"), get(Cap.TESTS_VIEW, COMMUNE)),
    "testing:lab_edit": (_a("lab"), get(Cap.TESTS_EDIT, COMMUNE)),
    "testing:campaigns": (NO_ARGS, get(Cap.TESTS_VIEW)),
    "testing:campaign_create": (NO_ARGS, get(Cap.TESTS_EDIT)),
    "testing:campaign": (_a("campaign"), get(Cap.TESTS_VIEW, COMMUNE)),
    "testing:campaign_edit": (_a("campaign"), get(Cap.TESTS_EDIT, COMMUNE)),
    "testing:campaign_targets": (_a("campaign"), get(Cap.TESTS_EDIT, COMMUNE)),
    "testing:campaign_add": (_a("campaign"), post(Cap.TESTS_EDIT, COMMUNE)),
    "testing:campaign_remove": (_a("campaign"), post(Cap.TESTS_EDIT, COMMUNE)),
    "testing:campaign_untested_export": (_a("campaign"), get(Cap.TESTS_VIEW, COMMUNE)),
    # vaccination
    "vaccination:index": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:rules": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    # vaccination — stock: sites, lots, stock (a site of the commune), AEFI (a dose and report of Thôn 1)
    # movement — checkpoints: a checkpoint of Xã Đức Hạnh and its shift (the checkpoint officer's is elsewhere)
    "movement:checkpoints": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:checkpoint_create": (NO_ARGS, get(Cap.MOVEMENT_EDIT)),
    "movement:checkpoint": (_a("checkpoint"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:checkpoint_device_create": (
        _a("checkpoint"),
        post(Cap.MOVEMENT_EDIT, COMMUNE, status=200, data={"label": "Điện thoại chốt", "days": 30}),
    ),
    "movement:checkpoint_device_revoke": (_a("checkpoint_device"), post(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:checkpoint_edit": (_a("checkpoint"), get(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:shift_create": (_a("checkpoint"), get(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:passage_screen": (_a("checkpoint"), get(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:passage_preview": (
        _a("checkpoint"),
        post(
            Cap.MOVEMENT_EDIT,
            COMMUNE,
            status=200,
            data={
                "direction": "in",
                "subject": "vehicle",
                "plate": "93C-111.22",
                "vehicle_type": "car",
                "people_on_board": "1",
            },
        ),
    ),
    "movement:shift": (_a("checkpoint_shift"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:shift_edit": (_a("checkpoint_shift"), get(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:shift_log": (_a("checkpoint_shift"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:shift_log_pdf": (_a("checkpoint_shift"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:passages": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:passages_export": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:communes": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    # movement — end checkpoints
    "vaccination:sites": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:site_create": (NO_ARGS, get(Cap.VACCINATION_EDIT)),
    "vaccination:site": (_a("vacc_site"), get(Cap.VACCINATION_VIEW, COMMUNE)),
    "vaccination:site_edit": (_a("vacc_site"), get(Cap.VACCINATION_EDIT, COMMUNE)),
    "vaccination:stock_movement": (lambda w: [w["vacc_site"], "adjust"], get(Cap.VACCINATION_EDIT, COMMUNE)),
    "vaccination:stock": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:stock_export": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:lots": (NO_ARGS, get(Cap.VACCINATION_VIEW)),  # reference data
    "vaccination:lot_create": (NO_ARGS, get(Cap.VACCINATION_EDIT)),
    "vaccination:aefi_list": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:aefi_create": (NO_ARGS, get(Cap.VACCINATION_EDIT, V, query={"dose": "vacc_dose"})),
    "vaccination:aefi": (_a("vacc_aefi"), get(Cap.VACCINATION_VIEW, V)),
    "vaccination:aefi_edit": (_a("vacc_aefi"), get(Cap.VACCINATION_EDIT, V)),
    # A serious report is acknowledged by the district (edit over the report's district), not the commune.
    "vaccination:aefi_acknowledge": (_a("vacc_aefi"), post(Cap.VACCINATION_EDIT, DISTRICT)),
    # vaccination — targets: target lists, due and overdue, priority groups, invitations
    "vaccination:targets": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:targets_export": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:targets_enrol": (NO_ARGS, post(Cap.VACCINATION_EDIT, data={"into_group": "G01", "age": "18_plus"})),
    "vaccination:targets_invite": (NO_ARGS, post(Cap.VACCINATION_EDIT, data={"session": "{targets_session}"})),
    "vaccination:due": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:due_export": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:due_invite": (NO_ARGS, post(Cap.VACCINATION_EDIT, data={"session": "{targets_session}"})),
    "vaccination:enrol_upload": (NO_ARGS, get(Cap.VACCINATION_EDIT)),
    "vaccination:person_enrol": (_a("person"), post(Cap.VACCINATION_EDIT, V, data={"group": "G08"})),
    "vaccination:unenrol": (_a("targets_enrolment"), post(Cap.VACCINATION_EDIT, V)),
    "vaccination:invitations": (_a("targets_session"), get(Cap.VACCINATION_VIEW, COMMUNE)),
    "vaccination:invitations_export": (_a("targets_session"), get(Cap.VACCINATION_VIEW, COMMUNE)),
    "vaccination:invitation_slips": (_a("targets_session"), get(Cap.VACCINATION_VIEW, COMMUNE)),
    "vaccination:invitation_status": (
        _a("targets_invitation"),
        post(Cap.VACCINATION_EDIT, V, data={"status": "came"}),
    ),
    # vaccination — end of targets
    # vaccination — certs: a person's certificate (page, PDF); the verification page is public
    "vaccination:certificates": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:certificate": (_a("person"), get(Cap.VACCINATION_VIEW, V)),
    "vaccination:certificate_pdf": (_a("person"), get(Cap.VACCINATION_VIEW, V)),
    "vaccination:verify": (NO_ARGS, public()),
    # vaccination — table: sessions (at the commune's site), the table, doses (of the person in Thôn 1)
    "vaccination:sessions": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:session_create": (NO_ARGS, get(Cap.VACCINATION_EDIT)),
    "vaccination:session": (_a("vacc_session"), get(Cap.VACCINATION_VIEW, COMMUNE)),
    "vaccination:session_edit": (_a("vacc_session"), get(Cap.VACCINATION_EDIT, COMMUNE)),
    "vaccination:session_status": (_a("vacc_session"), post(Cap.VACCINATION_EDIT, COMMUNE, data={"step": "close"})),
    "vaccination:table": (_a("vacc_session"), get(Cap.VACCINATION_EDIT, COMMUNE)),
    "vaccination:table_person": (_a("vacc_session", "person"), get(Cap.VACCINATION_EDIT, COMMUNE)),
    "vaccination:screen": (_a("vacc_session", "person"), post(Cap.VACCINATION_EDIT, COMMUNE, data=SCREENING_NO)),
    "vaccination:record_dose": (
        _a("vacc_session", "person"),
        post(Cap.VACCINATION_EDIT, COMMUNE, data={"lot": "{vacc_lot}"}),
    ),
    "vaccination:observation": (_a("vacc_session"), get(Cap.VACCINATION_EDIT, COMMUNE)),
    "vaccination:dose": (_a("dose"), get(Cap.VACCINATION_VIEW, V)),
    "vaccination:dose_observed": (_a("dose"), post(Cap.VACCINATION_EDIT, V)),
    "vaccination:dose_void": (_a("dose"), get(Cap.VACCINATION_EDIT, V)),
    # vaccination — platform: the reconciliation work list
    "vaccination:reconcile_list": (NO_ARGS, get(Cap.VACCINATION_VIEW)),
    "vaccination:reconcile": (_a("platform_record"), get(Cap.VACCINATION_VIEW, V)),
    # movement — alerts: the index, the list and its export, the report form, an arrival alert of Thôn 1
    # (no name: the one-click order and sample refuse to register a nameless person, 400), and its actions
    "movement:index": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:alerts": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:alerts_export": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:alert_report": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:alert": (_a("movement_alert"), get(Cap.MOVEMENT_VIEW, V)),
    "movement:alert_take": (_a("movement_alert"), post(Cap.MOVEMENT_EDIT, V)),
    "movement:alert_finish": (_a("movement_alert"), post(Cap.MOVEMENT_EDIT, V, data={"outcome": "no_action"})),
    "movement:alert_reopen": (_a("movement_alert"), post(Cap.MOVEMENT_EDIT, V, status=400)),  # not done yet
    "movement:alert_order": (_a("movement_alert"), post(Cap.MOVEMENT_EDIT, V, status=400, data={"person": "new"})),
    "movement:alert_sample": (_a("movement_alert"), post(Cap.MOVEMENT_EDIT, V, status=400, data={"person": "new"})),
    # care
    "care:today": (NO_ARGS, get(Cap.CARE_VIEW)),
    "care:facilities": (NO_ARGS, get(Cap.CARE_VIEW)),
    "care:facility_create": (NO_ARGS, get(Cap.CARE_EDIT)),
    "care:admit_choice": (NO_ARGS, get(Cap.CARE_EDIT, status=302, query={"facility": "facility", "person": "person"})),
    # A facility serves the area under it: the village's team sees (and sends people to) the commune's.
    "care:facility": (_a("facility"), get(Cap.CARE_VIEW, COMMUNE, also={"community": 200})),
    "care:facility_edit": (_a("facility"), get(Cap.CARE_EDIT, COMMUNE)),
    "care:capacity": (_a("facility"), get(Cap.CARE_EDIT, COMMUNE)),
    "care:admit": (_a("facility"), get(Cap.CARE_EDIT, COMMUNE, also={"community": 200})),
    "care:discharge": (_a("stay"), get(Cap.CARE_EDIT, V)),
    "care:transfer": (_a("stay"), get(Cap.CARE_EDIT, V)),
    "care:stay_print": (_a("stay"), get(Cap.CARE_VIEW, V)),
    "care:orders": (NO_ARGS, get(Cap.CARE_VIEW)),
    "care:quarantine": (NO_ARGS, get(Cap.CARE_VIEW)),
    "care:order_create": (lambda w: ["home_quarantine"], get(Cap.CARE_EDIT)),
    "care:order": (_a("order"), get(Cap.CARE_VIEW, V)),
    "care:monitoring": (_a("order"), get(Cap.CARE_EDIT, V)),
    "care:order_end": (_a("order"), get(Cap.CARE_EDIT, V)),
    "care:order_print": (_a("order"), get(Cap.CARE_VIEW, V)),
    "care:alert_resolve": (_a("alert"), post(Cap.CARE_EDIT, V, data={"note": "Đã gọi điện, đã ổn."})),
    "care:person": (_a("person"), get(Cap.CARE_VIEW, V)),
    "care:bulk_new": (NO_ARGS, get(Cap.CARE_EDIT)),
    "care:bulk": (_a("batch"), get(Cap.CARE_VIEW, V)),
    "care:bulk_print": (_a("batch"), get(Cap.CARE_VIEW, V)),
    # risk levels
    "risk:overview": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "risk:measures": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "risk:settings": (_a("province_code"), get(Cap.UNITS_EDIT, PROVINCE)),
    "risk:task_status": (_a("task"), post(Cap.UNITS_EDIT, COMMUNE, data={"status": "done"})),
    "risk:unit": (COMMUNE_CODE, get(Cap.UNITS_VIEW)),  # levels are public
    "risk:override": (COMMUNE_CODE, get(Cap.UNITS_EDIT, COMMUNE)),
    "risk:override_withdraw": (_a("commune_code", "override"), post(Cap.UNITS_EDIT, COMMUNE)),
    "risk:readiness": (COMMUNE_CODE, get(Cap.UNITS_EDIT, COMMUNE)),
    "risk:scenario": (COMMUNE_CODE, get(Cap.UNITS_VIEW)),
    # daily reports
    "reports:index": (NO_ARGS, get(Cap.UNITS_VIEW)),
    "reports:settings": (_a("province_code"), get(Cap.UNITS_EDIT, PROVINCE)),
    "reports:today": (COMMUNE_CODE, get(Cap.UNITS_VIEW, COMMUNE, status=302)),
    "reports:detail": (_a("commune_code", "day"), get(Cap.UNITS_VIEW, COMMUNE)),
    "reports:xlsx": (_a("commune_code", "day"), get(Cap.UNITS_VIEW, COMMUNE)),
    "reports:pdf": (_a("commune_code", "day"), get(Cap.UNITS_VIEW, COMMUNE)),
    "reports:reopen": (_a("commune_code", "day"), post(Cap.UNITS_EDIT, COMMUNE, data={"reason": "Sửa số liệu F1."})),
    # portal management
    "portal:manage": (NO_ARGS, get(Cap.UNITS_EDIT)),
    "portal:manage_new": (NO_ARGS, get(Cap.UNITS_EDIT)),
    "portal:manage_edit": (_a("announcement"), get(Cap.UNITS_EDIT, COMMUNE)),
    "portal:manage_withdraw": (_a("announcement"), post(Cap.UNITS_EDIT, COMMUNE)),
    "portal:hotline_add": (NO_ARGS, post(Cap.UNITS_EDIT, status=302)),
    "portal:hotline_remove": (_a("hotline"), post(Cap.UNITS_EDIT, COMMUNE)),
    # movement — venues: venues of Thôn 1, posters, the staff scan, devices; the public check-in page;
    # a decision on a candidate contact of the case (none left: back to the tracing page)
    "movement:venues": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:checkins": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:venue_create": (NO_ARGS, get(Cap.MOVEMENT_EDIT)),
    "movement:venue": (_a("venue"), get(Cap.MOVEMENT_VIEW, V)),
    "movement:venue_edit": (_a("venue"), get(Cap.MOVEMENT_EDIT, V)),
    "movement:venue_poster": (_a("venue"), get(Cap.MOVEMENT_VIEW, V)),
    "movement:venue_poster_pdf": (_a("venue"), get(Cap.MOVEMENT_VIEW, V)),
    "movement:venue_scan": (_a("venue"), get(Cap.MOVEMENT_EDIT, V)),
    "movement:venue_device_create": (
        _a("venue"),
        post(Cap.MOVEMENT_EDIT, V, status=200, data={"label": "Cổng 2", "days": 30}),
    ),
    "movement:venue_device_revoke": (_a("venue_device"), post(Cap.MOVEMENT_EDIT, V)),
    "movement:checkin": (_a("venue_code"), public()),
    "movement:candidate_review": (
        _a("case"),
        post(Cap.CASES_EDIT, V, data={"venue": "{venue}", "key": "+84900000000", "decision": "dismiss"}),
    ),
    # movement — end of venues
    # imports and audit
    "desk:imports": (NO_ARGS, get(Cap.PEOPLE_IMPORT, also={"checkpoint": 200})),  # checkpoints import rapid tests
    "desk:import_template": (lambda w: ["people.persons"], get(Cap.PEOPLE_IMPORT)),
    "desk:import_new": (lambda w: ["people.persons"], get(Cap.PEOPLE_IMPORT)),
    # An import job: any import function opens the pages (checkpoints: rapid tests) — a people list only
    # for people.import where it was imported; only its author confirms it.
    "desk:import_detail": (_a("job"), get(Cap.PEOPLE_IMPORT, COMMUNE, also=IMPORTERS_ELSEWHERE)),
    "desk:import_confirm": (_a("job"), post(Cap.PEOPLE_IMPORT, COMMUNE, also={**IMPORTERS_ELSEWHERE, **NOT_AUTHOR})),
    "desk:import_rejected": (
        _a("job"),
        get(Cap.PEOPLE_IMPORT, COMMUNE, status=404, also=IMPORTERS_ELSEWHERE),
    ),  # none rejected
    "desk:audit": (NO_ARGS, get(Cap.AUDIT_VIEW)),
    # movement — offline: the service worker of the outbox forms (public: the declaration form has no login)
    "movement:service_worker": (NO_ARGS, public()),
    # movement — end of offline
    # movement — green lane (a card of Xã Đức Hạnh; its trip from Phường Tân Định to Xã Đức Hạnh) and settings
    "movement:cards": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:card_export": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:card_create": (NO_ARGS, get(Cap.MOVEMENT_EDIT)),
    "movement:card": (_a("green_card"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:card_edit": (_a("green_card"), get(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:card_revoke": (_a("green_card"), post(Cap.MOVEMENT_EDIT, COMMUNE, data={"reason": "Hết hợp đồng"})),
    "movement:card_print": (_a("green_card"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:trips": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:trip_create": (NO_ARGS, get(Cap.MOVEMENT_EDIT)),
    "movement:trip": (_a("green_trip"), get(Cap.MOVEMENT_VIEW, COMMUNE)),
    "movement:trip_arrive": (_a("green_trip"), post(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:trip_edit": (_a("green_trip"), get(Cap.MOVEMENT_EDIT, COMMUNE)),
    "movement:trip_cancel": (_a("green_trip"), post(Cap.MOVEMENT_EDIT, COMMUNE, data={"reason": "Xe hỏng"})),
    "movement:settings": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),  # every holder reads its province's settings
    # movement — declarations: the public form, its receipt and picker (no login); the officers' side
    "declare_short": (NO_ARGS, public(302)),
    "movement:declare": (NO_ARGS, public()),
    "movement:declaration_units": (NO_ARGS, public()),
    "movement:declaration_receipt": (_a("declaration_receipt"), public()),
    "movement:declarations": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:declaration_export": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:declaration_lookup": (NO_ARGS, get(Cap.MOVEMENT_VIEW)),
    "movement:declaration": (_a("declaration"), get(Cap.MOVEMENT_VIEW, V)),
    # notices — every signed-in user has their own; the notice about Thôn 1 (notices_world) reached the
    # commune committee only: anyone else gets 404 for it, exactly like a notice that does not exist
    "notices:list": (NO_ARGS, get()),
    "notices:settings": (NO_ARGS, get()),
    "notices:read": (NO_ARGS, post(data={"all": "1"})),
    "notices:open": (_a("notice"), get(status=302, also={p: 404 for p in ALL if p != "commune"})),
    # movement — end of declarations
    # forecast — pages: overview and exports (the user's area), a unit (Xã Đức Hạnh), the province's
    # settings (province committee and national admin only), runs (nation-wide counts, no data)
    "forecast:overview": (NO_ARGS, get(Cap.FORECAST_VIEW)),
    "forecast:ranking_export": (NO_ARGS, get(Cap.FORECAST_VIEW)),
    "forecast:runout_export": (NO_ARGS, get(Cap.FORECAST_VIEW)),
    "forecast:unit": (COMMUNE_CODE, get(Cap.FORECAST_VIEW, COMMUNE)),
    "forecast:settings": (NO_ARGS, get(Cap.FORECAST_EDIT, PROVINCE)),
    "forecast:runs": (NO_ARGS, get(Cap.FORECAST_VIEW)),
    "forecast:run": (_a("forecast_run"), get(Cap.FORECAST_VIEW)),
    "forecast:run_start": (NO_ARGS, post(Cap.FORECAST_EDIT, data={"day": D.isoformat()})),
    # forecast — end of pages
    # the API's own pages (its operations are in API below)
    # The API's description: for signed-in users and token holders (issue 8 §5).
    "api:openapi-json": (NO_ARGS, get(anonymous=401)),
    "api:openapi-view": (NO_ARGS, get()),
    "api:api-root": (NO_ARGS, get(status=404, anonymous=404)),
}

# The Django admin is for superusers who are staff; none of the personas is staff: to the admin's login.
ADMIN = get(status=302)
ADMIN_PUBLIC = {"admin:login": public()}

RISK_INPUT = json.loads(
    (Path(__file__).parent.parent / "docs" / "risk" / "example-input.json").read_text(encoding="utf-8")
)

# API operations: "METHOD path" → (path arguments, Row).  Anonymous callers get 401.
API: dict[str, tuple] = {
    "GET /units": (NO_ARGS, get(Cap.UNITS_VIEW, anonymous=401)),
    "GET /units/{code}": (COMMUNE_CODE, get(Cap.UNITS_VIEW, anonymous=401)),
    "GET /persons": (NO_ARGS, get(Cap.PEOPLE_VIEW, anonymous=401)),
    "POST /persons": (
        NO_ARGS,
        post(
            Cap.PEOPLE_EDIT,
            V,
            status=201,
            anonymous=401,
            data={"full_name": "Phan Văn Mới", "sex": "M", "birth_year": 1991, "unit": "25228-01"},
        ),
    ),
    "GET /persons/{person_id}": (_a("person"), get(Cap.PEOPLE_VIEW, V, anonymous=401, also={"viewer": 404})),
    "GET /samples": (NO_ARGS, get(Cap.TESTS_VIEW, anonymous=401)),
    "POST /samples": (
        NO_ARGS,
        post(
            Cap.TESTS_EDIT,
            V,
            status=201,
            anonymous=401,
            data={"person_id": "{person}", "kind": "rapid_antigen", "reason": "screening", "taken_on": "2022-03-02"},
        ),
    ),
    "GET /samples/{code}": (_a("sample_code"), get(Cap.TESTS_VIEW, V, anonymous=401)),
    "POST /samples/{code}/result": (
        _a("sample_code"),
        post(Cap.TESTS_EDIT, V, status=200, anonymous=401, data={"status": "negative", "result_on": "2022-03-02"}),
    ),
    "POST /risk/assess": (
        NO_ARGS,
        post(Cap.UNITS_VIEW, status=200, anonymous=401, data=RISK_INPUT, query={"as_of": "day"}),
    ),
    "GET /risk/levels": (NO_ARGS, get(Cap.UNITS_VIEW, anonymous=401)),
    # forecast — pages: read-only lists of the caller's area
    "GET /forecast/estimates": (NO_ARGS, get(Cap.FORECAST_VIEW, anonymous=401)),
    "GET /forecast/runouts": (NO_ARGS, get(Cap.FORECAST_VIEW, anonymous=401)),
    # vaccination — certs
    "GET /vaccination/doses": (NO_ARGS, get(Cap.VACCINATION_VIEW, anonymous=401)),
    "POST /vaccination/doses": (
        NO_ARGS,
        post(
            Cap.VACCINATION_EDIT,
            V,
            status=201,
            anonymous=401,
            data={"person_id": "{screened}", "session_id": "{vaccination_session}", "lot": "FK0001"},
        ),
    ),
    "GET /vaccination/persons/{person_id}/status": (_a("person"), get(Cap.VACCINATION_VIEW, V, anonymous=401)),
    "POST /vaccination/verify": (NO_ARGS, post(None, status=200, anonymous=401, data={"payload": "CD1:xyz"})),
    # movement — ingest: the public declaration (anyone, no sign-in); check-ins and passages take a device's
    # token only (a user's session or API token is not one: 401)
    "POST /declarations": (
        NO_ARGS,
        Row(
            "post",
            None,
            None,
            201,
            public=True,
            anonymous=201,
            data={
                "client_id": "matrix-api-declaration",
                "full_name": "Lê Thị Khai",
                "birth_year": 1990,
                "sex": "female",
                "phone": "0912345678",
                "commune_code": "25228",
            },
        ),
    ),
    "POST /checkins": (
        NO_ARGS,
        Row("post", None, None, 401, public=True, anonymous=401, data={"client_id": "m", "venue": "X", "phone": ""}),
    ),
    "POST /passages": (NO_ARGS, Row("post", None, None, 401, public=True, anonymous=401, data={"client_id": "m"})),
}


# -- the routes as the resolver has them ----------------------------------------------------------
def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or prefix + str(pattern.pattern), prefix + str(pattern.pattern)


def resolver_routes() -> dict[str, str]:
    """Route name (or, unnamed, its pattern) → pattern, for every route of the project; the admin's and
    the API operations' separately (``admin_routes``, ``API``)."""
    routes = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if pattern.startswith("django-admin/"):
            continue
        if name.startswith("api:") and name not in ROUTES:  # operations, checked by method below
            continue
        routes[name] = pattern
    return routes


def admin_routes() -> list[str]:
    """The admin pages that take no argument (the index, each model's list and add page)."""
    return [f"admin:{p.name}" for p in _walk_admin() if p.name and not p.pattern.regex.groupindex]


def _walk_admin():
    for pattern in admin_site.get_urls():
        if isinstance(pattern, URLResolver):
            yield from (p for p in pattern.url_patterns if isinstance(p, URLPattern))
        else:
            yield pattern


def api_operations() -> set[str]:
    from chongdich.api.main import api

    found = set()
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    found.add(f"{method} {path if path.startswith('/') else '/' + path}")
    return found


# -- the world ------------------------------------------------------------------------------------
def notices_world(world, personas) -> dict:
    """A notice about Thôn 1 received by the commune committee alone (no kind needed: rows written directly)."""
    from chongdich.notices.models import Notice, Receipt

    notice = Notice(kind="matrix.test", key="matrix-notice", params={}, link="/")
    notice.place_in(world.village)
    notice.save()
    Receipt.objects.create(user=personas["commune"], notice=notice)
    return {"notice": notice.pk}


@pytest.fixture
def world_objects(world, personas, make_person):
    """One of everything, in Thôn 1 of Xã Đức Hạnh (labs, facilities, campaigns: in the commune)."""
    from chongdich.accounts.models import ApiToken, Grant, User
    from chongdich.care.actions import do_admit, do_bulk_home_quarantine, do_create_facility, do_order_home_quarantine
    from chongdich.care.models import Alert
    from chongdich.core.models import ImportJob
    from chongdich.people.actions import DuplicateCccd, do_create_person, do_request_transfer
    from chongdich.people.models import Household
    from chongdich.portal.actions import do_add_hotline, do_create_announcement
    from chongdich.reports.actions import do_send_report
    from chongdich.risk.actions import do_override
    from chongdich.risk.models import Task
    from chongdich.surveillance.actions import do_confirm_case, do_record_exposure
    from chongdich.surveillance.models import Cluster, Contact
    from chongdich.testing.actions import do_create_campaign, do_create_lab, do_register_pool, do_register_sample
    from chongdich.vaccination.models import PlatformRecord

    commune, district = personas["commune"], personas["district"]
    household = Household(code="25228-H00001", address="Thôn 1")
    household.place_in(world.village)
    household.save()
    person = make_person(full_name="Hoàng Văn Đích", household=household)
    f1 = make_person(full_name="Hoàng Thị Một", sex="F", cccd=None)
    f1b = make_person(full_name="Hoàng Văn Hai", cccd=None)
    staying = make_person(full_name="Lê Văn Ở", cccd=None)
    case, _ = do_confirm_case(commune, person, confirmed_on=D)
    for contact in (f1, f1b):
        do_record_exposure(district, source=person, contact=contact, kind="household", start=D)
    cluster = Cluster(name="Chợ Thôn 1", setting="market")
    cluster.place_in(world.village)
    cluster.save()
    lab, _ = do_create_lab(commune, unit=world.commune, data={"name": "Trạm Y tế Đức Hạnh", "code": "TYT-DH"})
    campaign, _ = do_create_campaign(
        commune, unit=world.commune, data={"name": "Sàng lọc chợ", "start": D, "sample_kind": "rt_pcr"}
    )
    sample, _ = do_register_sample(commune, person=f1, kind="rt_pcr", reason="f1", taken_on=D, lab=lab)
    do_register_pool(commune, members=[f1b, staying], reason="screening", taken_on=D)
    facility, _ = do_create_facility(
        commune,
        unit=world.commune,
        capacity={"quarantine": 10},
        data={"name": "Khu cách ly Đức Hạnh", "kind": "concentrated_quarantine", "opened_on": D},
    )
    stay, _ = do_admit(commune, staying, facility=facility, bed_type="quarantine", purpose="quarantine_entrant", on=D)
    order, _ = do_order_home_quarantine(commune, f1, last_exposure=D)
    alert = Alert(person=f1, order=order, message="Sốt 39 độ")
    alert.place_in(f1.unit)
    alert.save()
    batch = do_bulk_home_quarantine(commune, chain=case.chain).batch  # orders Hoàng Văn Hai
    report = do_send_report(commune, world.commune, D, number="01/BC", signer="Chủ tịch")
    task = Task(
        code="T1",
        agency="health",
        agency_vi="Y tế",
        agency_en="Health",
        what_vi="Xét nghiệm",
        what_en="Test",
        deadline="2022-03-02T12:00:00+07:00",
        source_scenario=2,
        activated_on=D,
    )
    task.place_in(world.commune)
    task.save()
    override = do_override(
        commune, world.commune, level=4, reason="Quyết định số 12/QĐ-UBND: ổ dịch tại chợ, cần khoanh vùng."
    )
    announcement = do_create_announcement(
        commune, world.commune, title="Phong tỏa chợ Thôn 1", body="Từ ngày mai chợ tạm đóng cửa."
    )
    hotline = do_add_hotline(commune, world.commune, label="Trạm Y tế", number="0271 3800 000")
    job = ImportJob.objects.create(
        kind="people.persons",
        created_by=commune,
        unit=world.commune,
        unit_path=world.commune.path,
        original_name="ds.xlsx",
        status="checked",
    )
    account = User.objects.create_user(username="y_si_duc_hanh")
    grant = Grant.objects.create(user=account, role=Role.HEALTH_STAFF, unit=world.commune)
    token, _raw = ApiToken.issue(commune, name="điện thoại trạm")
    # A transfer request of an officer who is none of the personas: only the district (and above) decide it.
    requester = User.objects.create_user(username="can_bo_phu_van")
    Grant.objects.create(user=requester, role=Role.COMMUNE_COMMITTEE, unit=world.other_commune)
    with pytest.raises(DuplicateCccd) as caught:
        do_create_person(
            requester,
            unit=world.other_village,
            data={"full_name": "Hoàng Văn Đích", "sex": "M", "birth_year": 1985, "cccd": person.cccd},
        )
    transfer, _ = do_request_transfer(requester, reference=caught.value.references[0], to_unit=world.other_village)
    # vaccination — table: a site of the commune, a lot, an open session, the person screened and vaccinated
    from chongdich.vaccination.actions.table import do_create_session, do_record_dose, do_screen, do_set_session_status
    from chongdich.vaccination.models import Lot, Site

    table_site = Site(name="Trạm Y tế Đức Hạnh")
    table_site.place_in(world.commune)
    table_site.save()
    table_lot = Lot.objects.create(product="AZ", number="AZ-PM-1", expires_on=date(2022, 12, 31))
    vacc_session, _ = do_create_session(commune, site=table_site, data={"day": D, "planned": 50}, lots=[table_lot])
    do_set_session_status(commune, vacc_session, "open")
    do_screen(
        commune, person=person, session=vacc_session, answers={q.code: False for q in vaccination_questions(None, D)}
    )
    dose, _ = do_record_dose(commune, person=person, session=vacc_session, lot=table_lot)
    # vaccination — stock: a site of the commune, a lot, a dose given there to Hoàng Văn Đích, a serious AEFI
    from chongdich.vaccination.actions.aefi import do_report_aefi
    from chongdich.vaccination.actions.stock import do_create_site

    vacc_site, _ = do_create_site(commune, unit=world.commune, data={"name": "Trạm Y tế Đức Hạnh"})
    vacc_dose = dose  # the table block's dose of the person (one dose 1 per person)
    vacc_aefi, _ = do_report_aefi(
        commune,
        vacc_dose,
        data={
            "onset_at": datetime.fromisoformat(f"{D.isoformat()}T15:00:00+07:00"),
            "manifestation": "Sốc phản vệ",
            "severity": "serious",
            "outcome": "recovering",
            "causality": "pending",
        },
    )
    vaccination_stock = {"vacc_site": vacc_site.pk, "vacc_dose": vacc_dose.pk, "vacc_aefi": vacc_aefi.pk}
    # vaccination — targets: a site and session of the commune, the person's group and invitation
    from chongdich.core import clock as targets_clock
    from chongdich.vaccination.actions.targets import do_enrol, do_invite
    from chongdich.vaccination.models import Session as TargetsSession
    from chongdich.vaccination.models import Site as TargetsSite

    targets_site = TargetsSite(name="Trạm Y tế xã Đức Hạnh")
    targets_site.place_in(world.commune)
    targets_site.save()
    targets_session = TargetsSession(site=targets_site, day=targets_clock.today())
    targets_session.place_in(world.commune)
    targets_session.save()
    targets_enrolment, _ = do_enrol(commune, person, "G01", since=D)
    do_invite(commune, targets_session, [person])
    targets_invitation = targets_session.invitations.get()
    # vaccination — end of targets
    # vaccination — certs: an open session with a screened person (API)
    from django.utils.timezone import now

    from chongdich.vaccination.models import Lot, Screening, Session, Site

    pfizer = Lot.objects.create(product="PF", number="FK0001", expires_on=date(2022, 12, 31))
    # (the person already has a dose: the stock block's vacc_dose, which the certificate lists)
    site = Site(name="Trạm Y tế xã Đức Hạnh")
    site.place_in(world.commune)
    site.save()
    vaccination_session = Session(site=site, day=D, status="open")
    vaccination_session.place_in(world.commune)
    vaccination_session.save()
    vaccination_session.lots.add(pfizer)
    screened = make_person(full_name="Trần Văn Tiêm", cccd=None)
    screening = Screening(person=screened, session=vaccination_session, screened_at=now(), outcome="eligible")
    screening.place_in(screened.unit)
    screening.save()
    # vaccination — platform: a record of the national platform waiting for a decision, in the person's village
    platform_record = PlatformRecord(
        record_key="k" * 64, full_name="Hoàng Văn Địch", cccd=person.cccd, product="AstraZeneca", problem="identity"
    )
    platform_record.place_in(world.village)
    platform_record.save()
    platform_record.candidates.add(person)
    # movement — declarations: one declaration staying in Thôn 1 (from the public form)
    from chongdich.movement.actions.declarations import do_declare

    declaration = do_declare(
        None,
        {"full_name": "Hoàng Văn Khai", "birth_year": 1988, "sex": "male", "phone": "0912 000 111"}
        | {"commune_code": world.commune.code, "village": world.village.code, "symptoms": [], "exposures": []},
        "matrix-declaration",
        "vi",
    ).record
    declarations = {"declaration": declaration.pk, "declaration_receipt": declaration.receipt}
    # movement — end of declarations
    # movement — venues: a venue of Thôn 1 with a device token (the candidate contacts are the case's)
    from chongdich.movement.actions.devices import do_make_device
    from chongdich.movement.actions.venues import do_create_venue

    venue, _ = do_create_venue(commune, unit=world.village, data={"name": "Chợ Thôn 1", "kind": "market"})
    venue_device = do_make_device(commune, venue, label="Cổng 1").device
    movement_venues = {"venue": venue.pk, "venue_code": venue.code, "venue_device": venue_device.pk}
    # movement — end of venues
    # movement — alerts: an arrival from an epidemic area to Thôn 1, without a name
    from django.utils import timezone as tz

    from chongdich.movement.models import Alert as MovementAlert

    movement_alert = MovementAlert(
        kind="arrival",
        source_ref="declaration:999999",
        raised_at=tz.make_aware(datetime(2022, 3, 1, 8, 0)),
        day=D,
        arrived_on=D,
    )
    movement_alert.place_in(world.village)
    movement_alert.save()
    # movement — checkpoints: a checkpoint of the commune with a shift and a passage
    from chongdich.movement.actions.checkpoints import do_create_checkpoint, do_open_shift, do_record_passage

    checkpoint, _ = do_create_checkpoint(
        commune, unit=world.commune, data={"name": "Chốt Đức Hạnh", "kind": "district_border", "way": "road"}
    )
    checkpoint_device = do_make_device(commune, checkpoint, label="Điện thoại chốt 1").device
    checkpoint_shift, _ = do_open_shift(
        commune,
        checkpoint,
        data={
            "starts_at": datetime.fromisoformat(f"{D}T06:00+07:00"),
            "ends_at": datetime.fromisoformat(f"{D}T18:00+07:00"),
        },
        members=[{"full_name": "Công an xã", "force": "police", "phone": ""}],
    )
    do_record_passage(commune, checkpoint, {"plate": "93C-111.22", "vehicle_type": "car", "action": "through"})
    # movement — end checkpoints
    # movement — green lane: a card issued by Xã Đức Hạnh and a trip of it to the commune
    from chongdich.movement.actions.greenlane import do_create_trip, do_issue_card

    green_card, _new = do_issue_card(
        personas["commune"],
        unit=world.commune,
        data={
            "plate": "51C-123.45",
            "vehicle_type": "truck",
            "operator": "Công ty Vận tải Bình Phước",
            "driver_name": "Lê Văn Lái",
            "driver_phone": "0912345678",
            "goods": "Rau củ",
            "essential": True,
            "itinerary": "TP.HCM – QL13 – Bù Gia Mập",
            "valid_from": clock_today(),
            "valid_to": clock_today() + timedelta(days=30),
        },
    )
    green_trip, _new = do_create_trip(
        personas["commune"],
        card=green_card,
        origin=world.far_commune,
        destination=world.commune,
        departed_at=clock_now() - timedelta(hours=2),
        expected_at=clock_now() + timedelta(hours=3),
    )
    # forecast — pages: a finished run
    from chongdich.forecast.models import Run as ForecastRun

    forecast_run = ForecastRun.objects.create(day=D, status="done", done=3, total=3)
    # forecast — end of pages
    return {
        "forecast_run": forecast_run.pk,
        **notices_world(world, personas),
        **movement_venues,
        "checkpoint": checkpoint.pk,
        "checkpoint_shift": checkpoint_shift.pk,
        "checkpoint_device": checkpoint_device.pk,
        "green_card": green_card.pk,
        "green_trip": green_trip.pk,
        **vaccination_stock,
        **declarations,
        "vacc_session": vacc_session.pk,
        "vacc_lot": table_lot.pk,
        "dose": dose.pk,
        "commune_code": world.commune.code,
        "province_code": world.province.code,
        "day": D.isoformat(),
        "person": person.pk,
        "household": household.pk,
        "case": case.pk,
        "contact": Contact.objects.filter(person=f1).get().pk,
        "cluster": cluster.pk,
        "chain": case.chain_id,
        "lab": lab.pk,
        "campaign": campaign.pk,
        "sample": sample.pk,
        "sample_code": sample.code,
        "facility": facility.pk,
        "stay": stay.pk,
        "order": order.pk,
        "alert": alert.pk,
        "batch": batch.pk,
        "report": report.pk,
        "task": task.pk,
        "override": override.pk,
        "announcement": announcement.pk,
        "hotline": hotline.pk,
        "job": job.pk,
        "account": account.pk,
        "grant": grant.pk,
        "token": token.pk,
        "transfer": transfer.pk,
        "targets_session": targets_session.pk,
        "targets_enrolment": targets_enrolment.pk,
        "targets_invitation": targets_invitation.pk,
        "platform_record": platform_record.pk,
        "movement_alert": movement_alert.pk,
        "ref": caught.value.references[0],
        "screened": screened.pk,
        "vaccination_session": vaccination_session.pk,
    }


# -- asking -----------------------------------------------------------------------------------------
@pytest.fixture
def clients(personas):
    from django.test import Client

    made = {None: Client()}
    for name in ALL:
        made[name] = Client()
        made[name].force_login(personas[name])
    return made


def _fill(value, w):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return w[value[1:-1]]
    return value


def ask(client, row: Row, url: str, w: dict, *, api: bool = False):
    """One request inside a savepoint that is rolled back: the world stays as built."""
    data = {key: _fill(value, w) for key, value in row.data.items()} if isinstance(row.data, dict) else row.data
    if row.query:
        url += "?" + urlencode({param: w[key] for param, key in row.query.items()})
    cookies = SimpleCookie(client.cookies)  # a logout (or a new session) must not outlive its request
    with transaction.atomic():
        if row.method == "get":
            response = client.get(url)
        elif api:
            response = client.post(url, json.dumps(data), content_type="application/json")
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def _check(rows: list[tuple[str, str, Row]], clients, w, *, api=False) -> list[str]:
    wrong = []
    for label, url, row in rows:
        for persona in CLIENTS:
            answer = ask(clients[persona], row, url, w, api=api).status_code
            if answer != row.expected(persona):
                wrong.append(f"{label} as {persona or 'anonymous'}: {answer}, expected {row.expected(persona)}")
    return wrong


# -- the tests ------------------------------------------------------------------------------------
def test_every_route_has_a_row():
    """A new page must say who may open it: add its row to ROUTES (and its API operation to API)."""
    missing = sorted(set(resolver_routes()) - set(ROUTES))
    assert not missing, f"routes without a row in ROUTES: {missing}"
    stale = sorted(set(ROUTES) - set(resolver_routes()))
    assert not stale, f"rows of routes that no longer exist: {stale}"
    missing_api = sorted(api_operations() - set(API))
    assert not missing_api, f"API operations without a row in API: {missing_api}"
    assert not set(API) - api_operations(), "rows of API operations that no longer exist"


GROUPS = sorted({name.split(":")[0] if ":" in name else "root" for name in ROUTES})


@pytest.mark.parametrize("group", GROUPS)
def test_routes_answer_each_persona_as_the_table_says(group, world_objects, clients):
    rows = []
    for name, (args, row) in ROUTES.items():
        if (name.split(":")[0] if ":" in name else "root") != group:
            continue
        url = reverse(name, args=args(world_objects)) if not name.endswith((".ico", "docs")) else "/" + name
        rows.append((name, url, row))
    wrong = _check(rows, clients, world_objects)
    assert not wrong, "\n".join(wrong)


def test_api_operations_answer_each_persona_as_the_table_says(world_objects, clients):
    rows = []
    for operation, (args, row) in API.items():
        method, path = operation.split(" ", 1)
        values = iter(args(world_objects))
        url = "/api/v1" + "/".join(str(next(values)) if part.startswith("{") else part for part in path.split("/"))
        rows.append((operation, url, row))
    wrong = _check(rows, clients, world_objects, api=True)
    assert not wrong, "\n".join(wrong)


def test_admin_is_closed_to_every_persona(world_objects, clients):
    rows = [(name, reverse(name), ADMIN_PUBLIC.get(name, ADMIN)) for name in admin_routes()]
    assert len(rows) > 10
    wrong = _check(rows, clients, world_objects)
    assert not wrong, "\n".join(wrong)


def test_refused_writes_leave_nothing(world_objects, clients, personas):
    """A POST refused (403/404) writes nothing: not even an audit event."""
    from chongdich.core.models import AuditEvent

    before = AuditEvent.objects.count()
    for name, (args, row) in ROUTES.items():
        if row.method != "post" or row.public:
            continue
        url = reverse(name, args=args(world_objects))
        for persona in ("other_commune", "viewer"):
            if row.expected(persona) in (403, 404):
                clients[persona].post(url, {key: _fill(v, world_objects) for key, v in row.data.items()})
    assert AuditEvent.objects.count() == before


def test_export_contains_only_the_scope(world, personas, client_of, make_person):
    from tests.helpers import read_xlsx

    make_person(full_name="Hoàng Văn Đích")
    make_person(unit=world.other_village, full_name="Lý Thị Xa")
    rows = read_xlsx(client_of("other_commune").get(reverse("people:export")).content)
    assert {row[1] for row in rows[1:]} == {"Lý Thị Xa"}


def test_create_form_offers_only_units_in_scope(world, personas, client_of):
    from chongdich.people.models import Person

    data = {
        "full_name": "Phan Văn Mới",
        "sex": "M",
        "birth_year": "1991",
        "unit": world.village.code,
        "residence_status": "permanent",
    }
    response = client_of("other_commune").post(reverse("people:create"), data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Person.objects.filter(full_name="Phan Văn Mới").exists()
