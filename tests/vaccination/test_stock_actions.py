"""Stock actions: scope, negative stock refused (now and on any later day), transfers write both ends,
re-sent forms, sites and lots; the arithmetic of days left and wastage, table-driven; and a hypothesis
property: on hand = the sum of the signed movements − the doses given."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from chongdich.core.models import AuditEvent
from chongdich.vaccination.actions import stock as actions
from chongdich.vaccination.models import MOVEMENT_SIGN, Lot, MovementKind, Site, StockMovement
from chongdich.vaccination.selectors import stock as selectors
from tests.vaccination.stock_fixtures import TODAY, give, stock_world_fixture  # noqa: F401

D = TODAY - timedelta(days=10)


def line_of(site, lot):
    found = [line for line in selectors.stock_lines([site]) if line.lot.pk == lot.pk]
    return found[0] if found else None


def on_hand(site, lot) -> int:
    line = line_of(site, lot)
    return line.on_hand if line else 0


# -- arithmetic ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "stock, given_7d, expected",
    [
        (100, 0, None),  # nothing given: no rate, "—"
        (0, 0, None),
        (-3, 0, None),
        (0, 14, 0),
        (-5, 14, 0),  # a negative balance lasts no day
        (100, 7, 100),  # one a day
        (100, 14, 50),
        (100, 70, 10),
        (10, 3, 23),  # 10 / (3/7) = 23.3 → 23 whole days
        (1, 700, 0),
        (5, -1, None),  # never a negative rate
    ],
)
def test_days_left(stock, given_7d, expected):
    assert selectors.days_left(stock, given_7d) == expected


@pytest.mark.parametrize(
    "discarded, given_, expected",
    [
        (0, 0, None),  # nothing used: "—"
        (0, 10, Fraction(0)),
        (10, 0, Fraction(1)),
        (1, 9, Fraction(1, 10)),
        (6, 94, Fraction(6, 100)),
        (-1, 5, None),
    ],
)
def test_wastage(discarded, given_, expected):
    assert selectors.wastage(discarded, given_) == expected


@pytest.mark.parametrize(
    "expires_on, state",
    [
        (TODAY - timedelta(days=1), "expired"),
        (TODAY, "expiring"),
        (TODAY + timedelta(days=30), "expiring"),
        (TODAY + timedelta(days=31), ""),
    ],
)
def test_expiry_state(expires_on, state):
    assert selectors.expiry_state(expires_on, TODAY) == state


# -- movements -------------------------------------------------------------------------------------
def test_receive_then_give_then_discard(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    movement, created = actions.do_receive(commune, w.site, lot=w.lot, doses=100, day=D)
    assert created and movement.unit_path == w.site.unit_path and movement.signed_doses == 100
    give(w.site, w.lot, w.person, TODAY - timedelta(days=2), 14)
    give(w.site, w.lot, w.person, TODAY - timedelta(days=9), 5)  # before the 7 days
    give(w.site, w.lot, w.person, TODAY, 3, voided=True)  # voided: not counted
    actions.do_discard(commune, w.site, lot=w.lot, doses=6, day=TODAY, opened=True)
    line = line_of(w.site, w.lot)
    assert (line.received, line.given, line.given_recent, line.discarded_opened) == (100, 19, 14, 6)
    assert line.on_hand == 100 - 19 - 6 == 75
    assert line.days_left == 75 * 7 // 14 == 37
    assert line.wastage == Fraction(6, 25)
    assert AuditEvent.objects.filter(object_type="vaccination.stockmovement").count() == 2


def test_negative_stock_refused_with_the_on_hand(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    actions.do_receive(commune, w.site, lot=w.lot, doses=20, day=D)
    give(w.site, w.lot, w.person, D, 5)
    with pytest.raises(ValidationError) as refused:
        actions.do_discard(commune, w.site, lot=w.lot, doses=16, day=TODAY, opened=False)
    assert "15" in refused.value.message_dict["doses"][0]
    with pytest.raises(ValidationError):
        actions.do_adjust(commune, w.site, lot=w.lot, doses=-16, day=TODAY, reason="Kiểm kê")
    actions.do_adjust(commune, w.site, lot=w.lot, doses=-15, day=TODAY, reason="Kiểm kê")
    assert on_hand(w.site, w.lot) == 0
    assert StockMovement.objects.filter(kind=MovementKind.DISCARDED_CLOSED).count() == 0


def test_a_movement_dated_before_the_receipt_is_refused(stock_world, personas):
    """On hand now is enough, but on the movement's day the doses had not arrived yet."""
    w, commune = stock_world, personas["commune"]
    actions.do_receive(commune, w.site, lot=w.lot, doses=50, day=TODAY - timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        actions.do_discard(commune, w.site, lot=w.lot, doses=10, day=TODAY - timedelta(days=5), opened=False)
    assert "0" in refused.value.message_dict["doses"][0]
    # …and a later day is fine
    actions.do_discard(commune, w.site, lot=w.lot, doses=10, day=TODAY - timedelta(days=1), opened=False)


def test_a_backdated_movement_may_not_empty_a_later_day(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    actions.do_receive(commune, w.site, lot=w.lot, doses=30, day=D)
    give(w.site, w.lot, w.person, D + timedelta(days=3), 25)
    actions.do_receive(commune, w.site, lot=w.lot, doses=100, day=D + timedelta(days=5))
    # 105 on hand now, but on D+3 only 5 were left: discarding 10 on D+1 would have made it −5
    with pytest.raises(ValidationError) as refused:
        actions.do_discard(commune, w.site, lot=w.lot, doses=10, day=D + timedelta(days=1), opened=False)
    assert (D + timedelta(days=3)).strftime("%d/%m/%Y") in refused.value.message_dict["doses"][0]


def test_transfer_writes_both_ends(stock_world, personas):
    w, district = stock_world, personas["district"]
    actions.do_receive(district, w.store, lot=w.lot, doses=500, day=D)
    (out, into), created = actions.do_transfer(
        district, w.store, destination=w.site, lot=w.lot, doses=200, day=D + timedelta(days=1), client_id="t-1"
    )
    assert created
    assert (out.kind, into.kind) == (MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN)
    assert out.transfer_id == into.pk and into.transfer_id == out.pk
    assert out.counterpart_id == w.site.pk and into.counterpart_id == w.store.pk
    assert into.unit_path == w.site.unit_path and out.unit_path == w.store.unit_path
    assert on_hand(w.store, w.lot) == 300 and on_hand(w.site, w.lot) == 200
    again, created = actions.do_transfer(
        district, w.store, destination=w.site, lot=w.lot, doses=200, day=D + timedelta(days=1), client_id="t-1"
    )
    assert not created and again == (out, into)
    assert StockMovement.objects.count() == 3


def test_transfer_needs_edit_over_both_sites(stock_world, personas):
    w = stock_world
    actions.do_receive(personas["commune"], w.site, lot=w.lot, doses=100, day=D)
    with pytest.raises(PermissionDenied):
        actions.do_transfer(personas["commune"], w.site, destination=w.other_site, lot=w.lot, doses=10, day=TODAY)
    with pytest.raises(PermissionDenied):  # nor from the district's store
        actions.do_transfer(personas["commune"], w.store, destination=w.site, lot=w.lot, doses=10, day=TODAY)
    with pytest.raises(ValidationError):
        actions.do_transfer(personas["district"], w.site, destination=w.site, lot=w.lot, doses=10, day=TODAY)
    with pytest.raises(ValidationError):  # more than on hand
        actions.do_transfer(personas["district"], w.site, destination=w.other_site, lot=w.lot, doses=101, day=TODAY)
    assert StockMovement.objects.count() == 1


def test_scope_of_the_movements(stock_world, personas):
    w = stock_world
    w.other_site.active = False
    w.other_site.save()
    with pytest.raises(ValidationError):  # a closed site receives nothing
        actions.do_receive(personas["district"], w.other_site, lot=w.lot, doses=10, day=D)
    for persona in ("other_commune", "community", "viewer", "checkpoint"):
        with pytest.raises(PermissionDenied):
            actions.do_receive(personas[persona], w.site, lot=w.lot, doses=10, day=D)
    actions.do_receive(personas["health"], w.site, lot=w.lot, doses=10, day=D)


def test_receive_refuses_expired_lots_and_bad_numbers(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    actions.do_receive(commune, w.site, lot=w.lot2, doses=10, day=TODAY)  # expires 05/11/2021: usable today
    w.lot2.expires_on = TODAY - timedelta(days=1)
    w.lot2.save()
    with pytest.raises(ValidationError) as refused:
        actions.do_receive(commune, w.site, lot=w.lot2, doses=10, day=TODAY)
    assert "lot" in refused.value.message_dict
    for doses in (0, -5, 2_000_000):
        with pytest.raises(ValidationError):
            actions.do_receive(commune, w.site, lot=w.lot, doses=doses, day=TODAY)
    with pytest.raises(ValidationError):  # a date in the future
        actions.do_receive(commune, w.site, lot=w.lot, doses=5, day=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError):  # before the epidemic
        actions.do_receive(commune, w.site, lot=w.lot, doses=5, day=date(2019, 1, 1))


def test_opened_vial_discard_bounded_by_the_vial(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    actions.do_receive(commune, w.site, lot=w.lot, doses=100, day=D)
    with pytest.raises(ValidationError):
        actions.do_discard(commune, w.site, lot=w.lot, doses=11, day=TODAY, opened=True)
    actions.do_discard(commune, w.site, lot=w.lot, doses=11, day=TODAY, opened=False)


def test_adjust_needs_a_reason_and_a_sign(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    with pytest.raises(ValidationError) as refused:
        actions.do_adjust(commune, w.site, lot=w.lot, doses=5, day=TODAY, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_adjust(commune, w.site, lot=w.lot, doses=0, day=TODAY, reason="x")
    movement, _ = actions.do_adjust(commune, w.site, lot=w.lot, doses=5, day=TODAY, reason="Tìm thấy 1 lọ")
    assert movement.note == "Tìm thấy 1 lọ" and on_hand(w.site, w.lot) == 5


def test_resent_movement_returns_the_first(stock_world, personas):
    w, commune = stock_world, personas["commune"]
    first, created = actions.do_receive(commune, w.site, lot=w.lot, doses=10, day=D, client_id="c-1")
    again, created_again = actions.do_receive(commune, w.site, lot=w.lot, doses=10, day=D, client_id="c-1")
    assert created and not created_again and first == again
    assert StockMovement.objects.count() == 1
    with pytest.raises(PermissionDenied):  # another area's client id answers like any refusal there
        actions.do_receive(personas["other_commune"], w.other_site, lot=w.lot, doses=10, day=D, client_id="c-1")


# -- sites and lots --------------------------------------------------------------------------------
def test_sites_created_in_scope_once(stock_world, personas, world):
    commune = personas["commune"]
    site, created = actions.do_create_site(
        commune, unit=world.village, data={"name": " Điểm tiêm Thôn 1 ", "kind": "fixed", "tables": 2}, client_id="s-1"
    )
    assert created and site.name == "Điểm tiêm Thôn 1" and site.unit_path == world.village.path
    assert actions.do_create_site(commune, unit=world.village, data={"name": "x"}, client_id="s-1") == (site, False)
    with pytest.raises(PermissionDenied):
        actions.do_create_site(commune, unit=world.other_commune, data={"name": "Điểm tiêm"})
    with pytest.raises(ValidationError):
        actions.do_create_site(commune, unit=world.commune, data={"name": "  "})


def test_a_site_with_stock_does_not_move(stock_world, personas, world):
    w, district = stock_world, personas["district"]
    actions.do_update_site(district, w.other_site, unit=world.other_village, data={"tables": 3})
    w.other_site.refresh_from_db()
    assert w.other_site.tables == 3 and w.other_site.unit_path == world.other_village.path
    actions.do_receive(district, w.site, lot=w.lot, doses=10, day=D)
    with pytest.raises(ValidationError):
        actions.do_update_site(district, w.site, unit=world.other_commune, data={})
    with pytest.raises(PermissionDenied):
        actions.do_update_site(personas["other_commune"], w.site, data={"name": "Đổi tên"})


def test_lots_registered_once_per_product_and_number(stock_world, personas):
    commune = personas["commune"]
    data = {"product": "MO", "number": " 3003 ab ", "expires_on": date(2022, 1, 31), "doses_per_vial": 10}
    lot, created = actions.do_register_lot(commune, data=data, client_id="l-1")
    assert created and lot.number == "3003 AB"
    assert actions.do_register_lot(commune, data=data, client_id="l-1") == (lot, False)
    with pytest.raises(ValidationError) as refused:
        actions.do_register_lot(personas["district"], data=data | {"number": "3003 Ab"})
    assert "number" in refused.value.message_dict
    actions.do_register_lot(commune, data=data | {"product": "PF"})  # same number, other vaccine
    with pytest.raises(ValidationError):
        actions.do_register_lot(commune, data=data | {"product": "XX"})
    with pytest.raises(ValidationError):
        actions.do_register_lot(commune, data=data | {"number": "N2", "doses_per_vial": 0})
    with pytest.raises(PermissionDenied):
        actions.do_register_lot(personas["viewer"], data=data | {"number": "N3"})
    assert Lot.objects.filter(product="MO").count() == 1
    pfizer, _ = actions.do_register_lot(commune, data=data | {"product": "PF", "number": "N4", "doses_per_vial": None})
    assert pfizer.doses_per_vial == 6  # the usual vial of the catalogue


def test_stock_lines_per_site_and_totals(stock_world, personas):
    w, district = stock_world, personas["district"]
    actions.do_receive(district, w.site, lot=w.lot, doses=100, day=D)
    actions.do_receive(district, w.site, lot=w.lot2, doses=60, day=D)
    actions.do_receive(district, w.other_site, lot=w.lot, doses=40, day=D)
    give(w.site, w.lot, w.person, TODAY, 7)
    give(w.other_site, w.lot, w.person, TODAY, 3)
    actions.do_discard(district, w.other_site, lot=w.lot, doses=1, day=TODAY, opened=True)
    lines = selectors.stock_lines(Site.objects.for_user(district, "vaccination.view"))
    totals = selectors.totals(lines)
    assert sum(line.on_hand for line in lines) == totals.overall.on_hand == 100 + 60 + 40 - 10 - 1
    az = next(line for line in totals.products if line.product == "AZ")
    assert (az.on_hand, az.given, az.discarded) == (129, 10, 1) and az.wastage == Fraction(1, 11)
    assert next(line for line in lines if line.lot == w.lot2).expiry == "expiring"
    # the commune sees only its own site
    mine = selectors.stock_lines(Site.objects.for_user(personas["commune"], "vaccination.view"))
    assert {line.site.pk for line in mine} == {w.site.pk}
    assert [line.product for line in selectors.stock_lines([w.site], product="PF")] == ["PF"]


# -- the property ----------------------------------------------------------------------------------
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["receive", "transfer_in", "transfer_out", "discard_closed", "discard_opened", "adjust", "give"]
        ),
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=0, max_value=20),  # days before today
        st.booleans(),  # adjust: found (+) or missing (−)
    ),
    max_size=14,
)


@pytest.mark.django_db
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_on_hand_is_the_signed_movements_minus_the_doses_given(stock_world, personas, ops):
    """Whatever sequence is tried (refusals included), on hand = Σ signed movements − valid doses given,
    and never below zero through the actions."""
    w, district = stock_world, personas["district"]
    StockMovement.objects.filter(site__in=[w.site, w.other_site]).update(transfer=None)
    StockMovement.objects.filter(site__in=[w.site, w.other_site]).delete()
    w.site.doses.all().delete()
    for op, doses, back, found in ops:
        day = TODAY - timedelta(days=back)
        try:
            if op == "receive":
                actions.do_receive(district, w.site, lot=w.lot, doses=doses, day=day)
            elif op == "transfer_in":
                actions.do_receive(district, w.other_site, lot=w.lot, doses=doses, day=day)
                actions.do_transfer(district, w.other_site, destination=w.site, lot=w.lot, doses=doses, day=day)
            elif op == "transfer_out":
                actions.do_transfer(district, w.site, destination=w.other_site, lot=w.lot, doses=doses, day=day)
            elif op.startswith("discard"):
                actions.do_discard(
                    district, w.site, lot=w.lot, doses=min(doses, 10), day=day, opened=op.endswith("opened")
                )
            elif op == "adjust":
                actions.do_adjust(
                    district, w.site, lot=w.lot, doses=doses if found else -doses, day=day, reason="Kiểm kê"
                )
            elif op == "give":
                give(w.site, w.lot, w.person, day, min(doses, 3))
        except ValidationError:
            pass
    signed = sum(
        MOVEMENT_SIGN[MovementKind(m.kind)] * m.doses for m in StockMovement.objects.filter(site=w.site, lot=w.lot)
    )
    given_count = w.site.doses.filter(lot=w.lot, voided_at__isnull=True).count()
    assert on_hand(w.site, w.lot) == signed - given_count
    if not any(op == "give" for op, *_ in ops):
        assert on_hand(w.site, w.lot) >= 0
