"""The FilterSets of the care lists: active orders unless asked, ``?unit=`` only narrows, bad values ignored."""

from datetime import date

from django.http import QueryDict
from django.test import RequestFactory

from chongdich.care.actions import do_end_order, do_order_home_quarantine
from chongdich.care.filters import FacilityFilter, OrderFilter, QuarantineFilter
from chongdich.care.models import OrderStatus
from chongdich.care.selectors import facilities_for
from chongdich.core import clock


def request_of(user, query: str = ""):
    request = RequestFactory().get("/care/orders/", QueryDict(query))
    request.user = user
    return request


def test_orders_are_active_unless_another_status_is_asked(personas, make_person):
    user = personas["district"]
    kept, _ = do_order_home_quarantine(user, make_person(full_name="Còn Cách Ly"), last_exposure=date(2022, 3, 1))
    ended, _ = do_order_home_quarantine(user, make_person(full_name="Đã Xong"), last_exposure=date(2022, 3, 1))
    do_end_order(user, ended, outcome=OrderStatus.CANCELLED, on=ended.start, note="entered by mistake")
    for query, expected in [("", {kept.pk}), ("q=C%C3%B2n+C%C3%A1ch+Ly", {kept.pk}), ("status=", {kept.pk, ended.pk})]:
        request = request_of(user, query)
        filters = OrderFilter(request.GET, request=request)
        assert {o.pk for o in filters.rows()} == expected, query
        assert filters.form["status"].value() == ("" if query == "status=" else OrderStatus.ACTIVE)
    request = request_of(user, "status=bogus&kind=bogus")
    assert {o.pk for o in OrderFilter(request.GET, request=request).rows()} == {kept.pk, ended.pk}


def test_a_unit_outside_the_scope_narrows_to_nothing(world, personas, make_person):
    user = personas["commune"]
    do_order_home_quarantine(user, make_person(), last_exposure=date(2022, 3, 1))
    for code, count, found in [(world.village.code, 1, True), (world.far_commune.code, 0, True), ("nope", 0, False)]:
        request = request_of(user, f"unit={code}&page=2")
        filters = OrderFilter(request.GET, request=request)
        assert filters.rows().count() == count
        banner = filters.narrowed
        assert banner.code == code and (banner.unit is not None) == found
        assert "unit=" not in banner.clear_url and "page=" not in banner.clear_url


def test_facility_and_quarantine_filters_read_their_day(personas, quarantine_site):
    user = personas["district"]
    request = request_of(user, "day=2999-01-01&open=all&kind=bogus")
    filters = FacilityFilter(request.GET, facilities_for(user), request=request)
    assert filters.chosen_day() == clock.today() and filters.show_all and filters.kind_value == ""
    assert list(filters.qs) == [quarantine_site]
    request = request_of(user, "on=2022-03-02&place=home")
    filters = QuarantineFilter(request.GET, request=request)
    assert filters.chosen_day() == date(2022, 3, 2) and filters.chosen_place() == "home"
    request = request_of(user, "on=2022-03-02&place=bogus")  # one bad value: the defaults, as before
    filters = QuarantineFilter(request.GET, request=request)
    assert filters.chosen_day() == clock.today() and filters.chosen_place() == ""
