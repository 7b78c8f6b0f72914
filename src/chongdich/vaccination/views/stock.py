"""Pages of sites, lots and stock: thin views (parse → one action or selector → render)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.scoping import has_capability
from chongdich.vaccination.actions import stock as actions
from chongdich.vaccination.exports.stock import stock_workbook
from chongdich.vaccination.filters.stock import LotFilter, SiteFilter, StockFilter
from chongdich.vaccination.forms.stock import MOVEMENT_FORMS, LotForm, SiteForm
from chongdich.vaccination.models import EDIT, VIEW
from chongdich.vaccination.selectors import aefi as aefi_selectors
from chongdich.vaccination.selectors import stock as selectors
from chongdich.vaccination.tables.stock import LotTable, MovementTable, SiteTable, StockTable

MOVEMENT_ACTIONS = {
    "receive": actions.do_receive,
    "transfer": actions.do_transfer,
    "discard": actions.do_discard,
    "adjust": actions.do_adjust,
}
MOVEMENT_TITLES = {
    "receive": pgettext_lazy("vaccine stock", "Receive doses"),
    "transfer": pgettext_lazy("vaccine stock", "Transfer to another site"),
    "discard": pgettext_lazy("vaccine stock", "Discard doses"),
    "adjust": pgettext_lazy("vaccine stock", "Adjust the count"),
}


def _common(request) -> dict:
    """What every stock and AEFI page shows in its header: the district's AEFI inbox."""
    return {"aefi_inbox": aefi_selectors.inbox_count(request.user), "can_edit": has_capability(request.user, EDIT)}


# -- sites ------------------------------------------------------------------------------------------
@capability_required(VIEW)
def site_list(request):
    filters = SiteFilter(request.GET, selectors.sites_for(request.user), request=request)
    table = paginate_table(request, SiteTable(filters.results()), per_page=50)
    return render(request, "vaccination/stock/site_list.html", {"filter": filters, "table": table} | _common(request))


@capability_required(EDIT)
def site_create(request):
    form = SiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            actions.do_create_site,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.site_data(),
            client_id=client_id(request),
        )
        if done:
            site, _created = done.value
            messages.success(request, _("%(name)s was created.") % {"name": site.name})
            return redirect(site)
    return render(request, "vaccination/stock/site_form.html", {"form": form, "site": None} | _common(request))


@capability_required(EDIT)
def site_edit(request, pk: int):
    site = selectors.site_page(request.user, pk, EDIT)
    initial = {name: getattr(site, name) for name in actions.SITE_FIELDS} | {"unit": site.unit.code}
    form = SiteForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if submit(
            form, actions.do_update_site, request.user, site, unit=form.cleaned_data["unit"], data=form.site_data()
        ):
            messages.success(request, _("Saved."))
            return redirect(site)
    return render(request, "vaccination/stock/site_form.html", {"form": form, "site": site} | _common(request))


@capability_required(VIEW)
def site_detail(request, pk: int):
    site = selectors.site_page(request.user, pk)
    lines = selectors.stock_lines([site])
    movements = paginate_table(request, MovementTable(selectors.movements_of(site)), per_page=30)
    return render(
        request,
        "vaccination/stock/site_detail.html",
        {
            "site": site,
            "stock": StockTable(lines, show_site=False),
            "totals": selectors.totals(lines),
            "movements": movements,
            "sessions": selectors.sessions_of(site),
            "may_edit": selectors.may_edit(request.user, site),
            "today": clock.today(),
        }
        | _common(request),
    )


# -- stock ------------------------------------------------------------------------------------------
def _stock(request):
    filters = StockFilter(request.GET, selectors.sites_for(request.user), request=request)
    lines = selectors.stock_lines(filters.results(), product=filters.product_value())
    return filters, lines


@capability_required(VIEW)
def stock(request):
    filters, lines = _stock(request)
    table = paginate_table(request, StockTable(lines), per_page=100, lazy=False)
    return render(
        request,
        "vaccination/stock/stock.html",
        {"filter": filters, "table": table, "totals": selectors.totals(lines), "today": clock.today()}
        | _common(request),
    )


@capability_required(VIEW)
def stock_export(request):
    filters, lines = _stock(request)
    today = clock.today()
    audit.record(
        request.user,
        audit.AuditAction.EXPORT,
        None,
        object_type_label="vaccination.stockmovement",
        label=_("Vaccine stock"),
        unit_path=audit.common_path(line.site.unit_path for line in lines),
        detail={"rows": len(lines), "filters": audit.page_filters(request)},
    )
    content = stock_workbook(lines, selectors.totals(lines), today)
    return xlsx_response(content, f"ton-kho-vac-xin-{today:%Y%m%d}.xlsx")


@capability_required(EDIT)
def movement(request, pk: int, kind: str):
    if kind not in MOVEMENT_FORMS:
        raise Http404
    site = selectors.site_page(request.user, pk, EDIT)
    lots = {
        "receive": selectors.usable_lots(),
        "transfer": selectors.lots_on_hand(site),
        "discard": selectors.lots_on_hand(site),
        "adjust": selectors.lots_seen(site),
    }[kind]
    extra = {"destinations": selectors.destinations(request.user, site)} if kind == "transfer" else {}
    form = MOVEMENT_FORMS[kind](request.POST or None, lots=lots, **extra)
    if request.method == "POST" and form.is_valid():
        done = submit(form, MOVEMENT_ACTIONS[kind], request.user, site, client_id=client_id(request), **form.movement())
        if done:
            messages.success(request, _("The stock of %(site)s was updated.") % {"site": site.name})
            return redirect(site)
    lines = selectors.stock_lines([site])
    return render(
        request,
        "vaccination/stock/movement_form.html",
        {
            "form": form,
            "site": site,
            "kind": kind,
            "title": MOVEMENT_TITLES[kind],
            "stock": StockTable(lines, show_site=False),
        }
        | _common(request),
    )


# -- lots -------------------------------------------------------------------------------------------
@capability_required(VIEW)
def lot_list(request):
    filters = LotFilter(request.GET, selectors.lots())
    table = paginate_table(
        request, LotTable(filters.qs, today=clock.today(), names=selectors.product_names()), per_page=50
    )
    return render(request, "vaccination/stock/lot_list.html", {"filter": filters, "table": table} | _common(request))


@capability_required(EDIT)
def lot_create(request):
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(form, actions.do_register_lot, request.user, data=form.cleaned_data, client_id=client_id(request))
        if done:
            lot, _created = done.value
            messages.success(request, _("Lot %(number)s was registered.") % {"number": lot.number})
            return redirect("vaccination:lots")
    return render(request, "vaccination/stock/lot_form.html", {"form": form} | _common(request))
