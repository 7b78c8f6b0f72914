"""The ``do_*`` actions of the care app (each takes ``actor``; scope-checked, validated, tallied, audited).

Other apps import from here: ``from chongdich.care.actions import do_admit``.
"""

from chongdich.care.actions.bulk import (
    BulkResult,
    Selection,
    do_bulk_facility_quarantine,
    do_bulk_home_quarantine,
    select,
)
from chongdich.care.actions.facilities import do_change_capacity, do_create_facility, do_update_facility
from chongdich.care.actions.monitoring import do_record_monitoring, do_resolve_alert
from chongdich.care.actions.orders import (
    do_end_order,
    do_order_home_care,
    do_order_home_quarantine,
    do_order_self_monitoring,
)
from chongdich.care.actions.stays import do_admit, do_discharge, do_transfer

__all__ = [
    "BulkResult",
    "Selection",
    "select",
    "do_bulk_facility_quarantine",
    "do_bulk_home_quarantine",
    "do_change_capacity",
    "do_create_facility",
    "do_update_facility",
    "do_record_monitoring",
    "do_resolve_alert",
    "do_end_order",
    "do_order_home_care",
    "do_order_home_quarantine",
    "do_order_self_monitoring",
    "do_admit",
    "do_discharge",
    "do_transfer",
]
