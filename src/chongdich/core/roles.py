"""Roles and the capabilities they grant (pure Python).

A user holds one or more (role, admin unit) grants.  A capability is usable on the subtree of
every unit where the user holds a role that carries it, so a health worker of commune A who is
also a viewer of the district can edit people in A and only read aggregates elsewhere.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    NATIONAL_ADMIN = "national_admin"
    PROVINCE_COMMITTEE = "province_committee"
    DISTRICT_COMMITTEE = "district_committee"
    COMMUNE_COMMITTEE = "commune_committee"
    HEALTH_STAFF = "health_staff"
    LAB_STAFF = "lab_staff"
    CHECKPOINT_OFFICER = "checkpoint_officer"
    FACILITY_MANAGER = "facility_manager"
    COMMUNITY_TEAM = "community_team"
    VIEWER = "viewer"


class Cap(StrEnum):
    UNITS_VIEW = "units.view"
    UNITS_EDIT = "units.edit"  # villages, population, adjacency
    PEOPLE_VIEW = "people.view"
    PEOPLE_EDIT = "people.edit"
    PEOPLE_IMPORT = "people.import"
    PEOPLE_EXPORT = "people.export"
    PEOPLE_MERGE = "people.merge"
    CASES_VIEW = "cases.view"  # cases, contacts, exposures, clusters, chains
    CASES_EDIT = "cases.edit"
    TESTS_VIEW = "tests.view"  # samples, pools, results, labs, campaigns
    TESTS_EDIT = "tests.edit"
    CARE_VIEW = "care.view"  # facilities, stays, home quarantine and home care, monitoring
    CARE_EDIT = "care.edit"
    VACCINATION_VIEW = "vaccination.view"  # sites, sessions, doses, stock, AEFI, certificates, reconciliation
    VACCINATION_EDIT = "vaccination.edit"
    MOVEMENT_VIEW = "movement.view"  # checkpoints, passages, green lane, venues, check-ins, declarations, alerts
    MOVEMENT_EDIT = "movement.edit"
    FORECAST_VIEW = "forecast.view"  # Rt, projections, what runs out first, growth ranking, forecast accuracy
    FORECAST_EDIT = "forecast.edit"  # the province's forecast settings, a run started by hand
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "users.manage"
    API_TOKENS = "api.tokens"


_COMMITTEE = frozenset(
    {
        Cap.UNITS_VIEW,
        Cap.UNITS_EDIT,
        Cap.PEOPLE_VIEW,
        Cap.PEOPLE_EDIT,
        Cap.PEOPLE_IMPORT,
        Cap.PEOPLE_EXPORT,
        Cap.PEOPLE_MERGE,
        Cap.CASES_VIEW,
        Cap.CASES_EDIT,
        Cap.TESTS_VIEW,
        Cap.TESTS_EDIT,
        Cap.CARE_VIEW,
        Cap.CARE_EDIT,
        Cap.VACCINATION_VIEW,
        Cap.VACCINATION_EDIT,
        Cap.MOVEMENT_VIEW,
        Cap.MOVEMENT_EDIT,
        Cap.FORECAST_VIEW,
        Cap.FORECAST_EDIT,
        Cap.AUDIT_VIEW,
        Cap.USERS_MANAGE,
        Cap.API_TOKENS,
    }
)

CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.NATIONAL_ADMIN: frozenset(Cap),
    Role.PROVINCE_COMMITTEE: _COMMITTEE,
    Role.DISTRICT_COMMITTEE: _COMMITTEE,
    Role.COMMUNE_COMMITTEE: _COMMITTEE,
    Role.HEALTH_STAFF: frozenset(
        {
            Cap.UNITS_VIEW,
            Cap.PEOPLE_VIEW,
            Cap.PEOPLE_EDIT,
            Cap.PEOPLE_IMPORT,
            Cap.PEOPLE_EXPORT,
            Cap.API_TOKENS,
            Cap.CASES_VIEW,
            Cap.CASES_EDIT,
            Cap.TESTS_VIEW,
            Cap.TESTS_EDIT,
            Cap.CARE_VIEW,
            Cap.CARE_EDIT,
            Cap.VACCINATION_VIEW,
            Cap.VACCINATION_EDIT,
            Cap.MOVEMENT_VIEW,  # symptomatic declarations and arrivals come to the health station
            Cap.MOVEMENT_EDIT,
            Cap.FORECAST_VIEW,  # where it grows, what runs out first
        }
    ),
    Role.LAB_STAFF: frozenset({Cap.UNITS_VIEW, Cap.PEOPLE_VIEW, Cap.API_TOKENS, Cap.TESTS_VIEW, Cap.TESTS_EDIT}),
    Role.CHECKPOINT_OFFICER: frozenset(
        {
            Cap.UNITS_VIEW,
            Cap.PEOPLE_VIEW,
            Cap.PEOPLE_EDIT,
            Cap.API_TOKENS,
            Cap.TESTS_VIEW,
            Cap.TESTS_EDIT,
            Cap.MOVEMENT_VIEW,  # checkpoints, shifts, passages, green-lane trips
            Cap.MOVEMENT_EDIT,
        }
    ),
    Role.FACILITY_MANAGER: frozenset(
        {
            Cap.UNITS_VIEW,
            Cap.PEOPLE_VIEW,
            Cap.PEOPLE_EDIT,
            Cap.CASES_VIEW,
            Cap.CARE_VIEW,
            Cap.CARE_EDIT,
            Cap.FORECAST_VIEW,  # when the facility's beds run out
        }
    ),
    Role.COMMUNITY_TEAM: frozenset(
        {
            Cap.UNITS_VIEW,
            Cap.PEOPLE_VIEW,
            Cap.PEOPLE_EDIT,
            Cap.API_TOKENS,
            Cap.CASES_VIEW,
            Cap.CARE_VIEW,
            Cap.CARE_EDIT,
            Cap.VACCINATION_VIEW,  # the team invites people and finds who is due
            Cap.MOVEMENT_VIEW,  # arrivals to visit, undeclared arrivals to report
        }
    ),
    Role.VIEWER: frozenset({Cap.UNITS_VIEW, Cap.FORECAST_VIEW}),
}

# Roles that may be granted only at or below a given administrative level.
COMMITTEE_LEVEL = {
    Role.PROVINCE_COMMITTEE: "province",
    Role.DISTRICT_COMMITTEE: "district",
    Role.COMMUNE_COMMITTEE: "commune",
}


def capabilities_of(role: str) -> frozenset[Cap]:
    return CAPABILITIES.get(Role(role), frozenset())


def roles_with(capability: str) -> frozenset[Role]:
    return frozenset(role for role, caps in CAPABILITIES.items() if capability in caps)
