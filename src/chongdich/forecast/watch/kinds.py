"""The kinds of notice the watch publishes: who acts on each, how urgent it is by default, what it says.

Registered in ``forecast.apps`` (``register_kinds``).  A kind's roles decide who receives it: the users
holding one of them on the notice's unit or above (the notices app fans out; a user can mute a kind).
Titles are English msgids with ``%(name)s`` params, translated when shown; params never hold a person's
name or health details (a notice may go out by SMS): the link opens the page, where the scope applies.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from chongdich.core.roles import Role
from chongdich.notices.kinds import Kind, register

COMMITTEES = (Role.PROVINCE_COMMITTEE, Role.DISTRICT_COMMITTEE, Role.COMMUNE_COMMITTEE)

# The colour words a level-rise notice passes as translated params ({"msgid": "orange"}).
LEVEL_WORDS = (gettext_noop("green"), gettext_noop("yellow"), gettext_noop("orange"), gettext_noop("red"))

LEVEL_RISE = Kind(
    "forecast.level_rise",
    _("%(unit)s: level raised from %(old)s to %(new)s (from %(start)s)"),
    roles=(*COMMITTEES, Role.HEALTH_STAFF, Role.COMMUNITY_TEAM),
    severity="warning",
    help=_(
        "Sent when the risk assessment announces a higher level for a commune, district or province than the "
        "one in force or announced before (once per announcement; a lower level is not sent)."
    ),
)
RT_ABOVE_ONE = Kind(
    "forecast.rt_above_one",
    _("Rt above 1 in %(unit)s: %(rt)s (95%% interval %(lo)s–%(hi)s)"),
    roles=(*COMMITTEES, Role.HEALTH_STAFF),
    severity="warning",
    help=_(
        "Sent when the night's estimate for a commune or district has enough cases and the probability that "
        "Rt is above 1 reaches the province's alert probability (0.95 by default); at most once a week per "
        "unit while it lasts."
    ),
)
RUNOUT_BEDS = Kind(
    "forecast.runout_beds",
    _("%(subject)s: projected full by %(on)s (%(current)s of %(capacity)s in use)"),
    roles=(Role.FACILITY_MANAGER, Role.HEALTH_STAFF, Role.PROVINCE_COMMITTEE, Role.DISTRICT_COMMITTEE),
    severity="warning",
    help=_(
        "Sent when a facility's beds of a type are full, or projected full within the province's alert days "
        "(7 by default); at most once a week per facility and bed type, and again when they fill up."
    ),
)
RUNOUT_QUARANTINE = Kind(
    "forecast.runout_quarantine",
    _("%(subject)s: quarantine places projected full by %(on)s (%(current)s of %(capacity)s taken)"),
    roles=(*COMMITTEES, Role.HEALTH_STAFF, Role.FACILITY_MANAGER),
    severity="warning",
    help=_(
        "Sent when an area's quarantine places are full, or projected full within the province's alert days; "
        "at most once a week per area, and again when they fill up."
    ),
)
RUNOUT_LAB = Kind(
    "forecast.runout_lab",
    _("%(subject)s: tests needed projected above capacity by %(on)s (%(capacity)s a day)"),
    roles=(Role.LAB_STAFF, Role.HEALTH_STAFF, Role.PROVINCE_COMMITTEE, Role.DISTRICT_COMMITTEE),
    severity="warning",
    help=_(
        "Sent when the tests a lab's area needs each day reach, or are projected to reach within the "
        "province's alert days, the lab's daily capacity; at most once a week per lab."
    ),
)
RUNOUT_VACCINE = Kind(
    "forecast.runout_vaccine",
    _("%(subject)s: projected to run out by %(on)s (%(capacity)s doses on hand)"),
    roles=(Role.HEALTH_STAFF, Role.PROVINCE_COMMITTEE, Role.DISTRICT_COMMITTEE),
    severity="warning",
    help=_(
        "Sent when a vaccine lot at a site has run out, or is projected to run out within the province's "
        "alert days at the recent pace; at most once a week per lot and site."
    ),
)
RUNOUT_SCENARIO = Kind(
    "forecast.runout_scenario",
    _("%(subject)s: projected to pass %(capacity)s active cases by %(on)s (now %(current)s)"),
    roles=(Role.PROVINCE_COMMITTEE, Role.DISTRICT_COMMITTEE, Role.HEALTH_STAFF),
    severity="warning",
    help=_(
        "Sent when a district has passed, or is projected to pass within the province's alert days, a "
        "scenario threshold (100 and 500 active cases): time to prepare the next scenario's plan."
    ),
)
TRIP_OVERDUE = Kind(
    "movement.trip_overdue",
    _("%(unit)s: green-lane trip overdue (expected %(expected)s)"),
    roles=(Role.COMMUNE_COMMITTEE, Role.CHECKPOINT_OFFICER, Role.HEALTH_STAFF),
    severity="warning",
    help=_(
        "Sent when a green-lane trip to the commune has not been confirmed by its expected arrival plus the "
        "province's grace period (once per trip)."
    ),
)
ARRIVAL = Kind(
    "movement.arrival",
    _("%(unit)s: arrival from an epidemic area to follow up"),
    roles=(Role.COMMUNE_COMMITTEE, Role.HEALTH_STAFF, Role.COMMUNITY_TEAM),
    severity="info",
    help=_("Sent when a declaration or a checkpoint passage raises an arrival alert for the commune (once per alert)."),
)
SYMPTOMS = Kind(
    "movement.symptoms",
    _("%(unit)s: health declaration with symptoms to follow up"),
    roles=(Role.COMMUNE_COMMITTEE, Role.HEALTH_STAFF),
    severity="warning",
    help=_("Sent when a health declaration with symptoms raises an alert for the commune (once per alert)."),
)
UNDECLARED = Kind(
    "movement.undeclared",
    _("%(unit)s: undeclared arrival reported"),
    roles=(Role.COMMUNE_COMMITTEE, Role.HEALTH_STAFF, Role.COMMUNITY_TEAM),
    severity="info",
    help=_("Sent when someone reports an arrival who did not declare (once per report)."),
)
AEFI_SERIOUS = Kind(
    "vaccination.aefi_serious",
    _("%(district)s: serious reaction after vaccination in %(unit)s, not yet acknowledged"),
    roles=(Role.HEALTH_STAFF, Role.DISTRICT_COMMITTEE, Role.PROVINCE_COMMITTEE),
    severity="danger",
    help=_(
        "Sent to the district when a serious reaction after vaccination is reported and nobody there has "
        "acknowledged it yet (once per report)."
    ),
)
TASK_OVERDUE = Kind(
    "risk.task_overdue",
    _("%(unit)s: response task overdue since %(deadline)s: %(what)s"),
    roles=COMMITTEES,
    severity="warning",
    help=_(
        "Sent when a task of a scenario's response plan is still open after its deadline (once per task and deadline)."
    ),
)
CARE_WARNING = Kind(
    "care.warning_signs",
    _("%(unit)s: warning signs during home monitoring, to act on now"),
    roles=(Role.HEALTH_STAFF, Role.COMMUNITY_TEAM, Role.COMMUNE_COMMITTEE),
    severity="danger",
    help=_("Sent when a check of a person in home quarantine or home care shows warning signs (once per alert)."),
)

KINDS = (
    LEVEL_RISE,
    RT_ABOVE_ONE,
    RUNOUT_BEDS,
    RUNOUT_QUARANTINE,
    RUNOUT_LAB,
    RUNOUT_VACCINE,
    RUNOUT_SCENARIO,
    TRIP_OVERDUE,
    ARRIVAL,
    SYMPTOMS,
    UNDECLARED,
    AEFI_SERIOUS,
    TASK_OVERDUE,
    CARE_WARNING,
)


def register_kinds() -> None:
    """Register every kind of the watch (called from the app's ready(); idempotent)."""
    for kind in KINDS:
        register(kind)
