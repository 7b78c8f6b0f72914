"""The ``do_*`` actions of surveillance, the app's only writers: cases and exposures (``cases``), clusters
(``clusters``) and contact tracing (``tracing``).  Import them from here."""

from chongdich.surveillance.actions.cases import (
    EDITABLE,
    FACILITY_PLACES,
    NAMED_FACILITY_PLACES,
    check_can_edit,
    community_filter,
    do_close_case,
    do_confirm_case,
    do_move_case,
    do_record_exposure,
    do_reopen_case,
    do_update_case,
    linked_cases,
    next_case_number,
)
from chongdich.surveillance.actions.clusters import do_create_cluster, do_link_chain, do_update_cluster
from chongdich.surveillance.actions.tracing import advance_contacts, do_set_contact_status, do_trace_contact

__all__ = [
    "EDITABLE",
    "FACILITY_PLACES",
    "NAMED_FACILITY_PLACES",
    "advance_contacts",
    "check_can_edit",
    "community_filter",
    "do_close_case",
    "do_confirm_case",
    "do_create_cluster",
    "do_link_chain",
    "do_move_case",
    "do_record_exposure",
    "do_reopen_case",
    "do_set_contact_status",
    "do_trace_contact",
    "do_update_case",
    "do_update_cluster",
    "linked_cases",
    "next_case_number",
]
