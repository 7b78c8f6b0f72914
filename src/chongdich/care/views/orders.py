from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.care import case_link, plans
from chongdich.care.actions import (
    do_end_order,
    do_order_home_care,
    do_order_home_quarantine,
    do_order_self_monitoring,
    do_record_monitoring,
    do_resolve_alert,
)
from chongdich.care.actions.orders import default_end_day, recovered_on_of
from chongdich.care.forms import (
    EndOrderForm,
    HomeCareForm,
    HomeQuarantineForm,
    MonitoringForm,
    OrderFilterForm,
    ResolveAlertForm,
    SelfMonitoringForm,
)
from chongdich.care.models import OrderKind, OrderStatus
from chongdich.care.selectors import alerts_for, facilities_for, open_stay_of, orders_for, stays_for
from chongdich.care.tables import OrderTable
from chongdich.care.views.common import (
    candidates,
    flash_error,
    person_or_404,
    picked_person,
    unit_filter,
)
from chongdich.core import audit
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import add_errors, client_id
from chongdich.core.pagination import paginate_table
from chongdich.core.redirects import next_url
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.people.selectors import search_people
from chongdich.surveillance.models import Contact

FORMS = {
    OrderKind.HOME_QUARANTINE: HomeQuarantineForm,
    OrderKind.HOME_CARE: HomeCareForm,
    OrderKind.SELF_MONITORING: SelfMonitoringForm,
}


@capability_required(Cap.CARE_VIEW)
def order_list(request):
    form = OrderFilterForm(request.GET or None, initial={"status": OrderStatus.ACTIVE})
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    status = data.get("status") if "status" in request.GET else OrderStatus.ACTIVE  # active orders unless asked
    orders, narrowed = unit_filter(request, orders_for(request.user).select_related("person", "unit"))
    if data.get("q"):
        orders = orders.filter(person__in=search_people(request.user, data["q"]).values("pk"))
    if data.get("kind"):
        orders = orders.filter(kind=data["kind"])
    if status:
        orders = orders.filter(status=status)
    table = OrderTable(orders.order_by("-start", "-pk"))
    paginate_table(request, table, per_page=50)
    audit.record_read(request, _("Orders"), table.page.object_list)
    return render(request, "care/order_list.html", {"form": form, "table": table, "unit_filter": narrowed})


def _order_initial(kind: str, person) -> dict:
    if kind == OrderKind.HOME_QUARANTINE:
        contact = Contact.objects.filter(person=person, rank=1).order_by("-last_exposure").first()
        return {"last_exposure": contact.last_exposure if contact else None, "recovered_on": recovered_on_of(person.pk)}
    return {}


@capability_required(Cap.CARE_EDIT)
def order_create(request, kind: str):
    """Choose a person, then order home quarantine (F1), home care (F0) or self-monitoring."""
    if kind not in FORMS:
        raise Http404
    person = picked_person(request)
    if person is None:
        query, found = candidates(request, Cap.CARE_EDIT)
        if query:
            audit.record_read(request, OrderKind(kind).label, found)
        return render(
            request,
            "care/order_form.html",
            {"kind": kind, "kind_label": OrderKind(kind).label, "query": query, "found": found},
        )
    form = FORMS[kind](request.POST or None, initial=_order_initial(kind, person))
    if request.method == "POST" and form.is_valid():
        try:
            order, _created = _create(request, kind, person, form)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The order for %(name)s was saved.") % {"name": person.full_name})
            return redirect("care:order", pk=order.pk)
    audit.record_read(request, OrderKind(kind).label, obj=person)
    return render(
        request,
        "care/order_form.html",
        {
            "kind": kind,
            "kind_label": OrderKind(kind).label,
            "person": person,
            "form": form,
            "case": case_link.active_case_of(person.pk),
            "stay": open_stay_of(person.pk),
        },
    )


def _create(request, kind: str, person, form):
    data, cid = form.cleaned_data, client_id(request)
    if kind == OrderKind.HOME_QUARANTINE:
        contact = Contact.objects.filter(person=person, rank=1).order_by("-last_exposure").first()
        return do_order_home_quarantine(
            request.user,
            person,
            last_exposure=data["last_exposure"],
            contact=contact,
            vaccination=form.vaccination(),
            recovered_on=data.get("recovered_on"),
            override_reason=data.get("override_reason") or "",
            order_number=data.get("order_number") or "",
            client_id=cid,
        )
    if kind == OrderKind.HOME_CARE:
        return do_order_home_care(
            request.user,
            person,
            on=data["on"],
            facts=form.facts(),
            override_reason=data.get("override_reason") or "",
            order_number=data.get("order_number") or "",
            client_id=cid,
        )
    return do_order_self_monitoring(
        request.user, person, start=data["start"], end=data["end"], note=data.get("note") or "", client_id=cid
    )


def _order_or_404(request, pk: int, capability: str = Cap.CARE_VIEW):
    return get_in_scope_or_404(
        orders_for(request.user, capability).select_related("person", "person__unit", "unit", "case"), pk=pk
    )


@capability_required(Cap.CARE_VIEW)
def order_detail(request, pk: int):
    order = _order_or_404(request, pk)
    audit.record_read(request, _("Order"), obj=order)
    can_edit = scope_for(request.user, Cap.CARE_EDIT).contains(order.unit_path)
    labels = dict(plans.symptom_choices(get_language()))
    entries = list(order.entries.select_related("created_by")[:60])
    for entry in entries:
        entry.symptom_labels = [labels.get(code, code) for code in entry.symptoms]
    return render(
        request,
        "care/order_detail.html",
        {
            "order": order,
            "person": order.person,
            "breadcrumbs": order.unit.ancestors(),
            "reasons": plans.reason_texts(order.reasons, get_language()),
            "test_days": plans.as_days(order.test_days),
            "entries": entries,
            "alerts": order.alerts.order_by("-raised_at")[:20],
            "can_edit": can_edit and order.status == OrderStatus.ACTIVE,
            "monitoring_form": MonitoringForm() if can_edit and order.status == OrderStatus.ACTIVE else None,
            "resolve_form": ResolveAlertForm(),
        },
    )


@capability_required(Cap.CARE_EDIT)
def monitoring_create(request, pk: int):
    order = _order_or_404(request, pk, Cap.CARE_EDIT)
    form = MonitoringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        readings = form.readings()
        try:
            _entry, alert, _created = do_record_monitoring(
                request.user, order, client_id=client_id(request), **readings
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            if alert is not None:
                messages.warning(
                    request,
                    _("Warning sign: %(signs)s. Report to the health station at once.")
                    % {"signs": _signs_text(alert.signs)},
                )
            else:
                messages.success(request, _("The check was recorded."))
            return redirect("care:order", pk=order.pk)
    audit.record_read(request, _("Record a check"), obj=order)
    return render(request, "care/monitoring_form.html", {"order": order, "form": form})


def _signs_text(signs) -> str:
    key = "en" if (get_language() or "vi").startswith("en") else "vi"
    return "; ".join(f"{s.get(key)} ({s.get('detail_' + key)})" for s in signs)


@capability_required(Cap.CARE_EDIT)
def order_end(request, pk: int):
    order = _order_or_404(request, pk, Cap.CARE_EDIT)
    form = EndOrderForm(request.POST or None, initial={"outcome": OrderStatus.COMPLETED, "on": default_end_day(order)})
    if request.method == "POST" and form.is_valid():
        try:
            do_end_order(request.user, order, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The order was ended."))
            return redirect("care:order", pk=order.pk)
    audit.record_read(request, _("End the order"), obj=order)
    return render(request, "care/order_end.html", {"order": order, "form": form})


@require_POST
@capability_required(Cap.CARE_EDIT)
def alert_resolve(request, pk: int):
    alert = get_in_scope_or_404(alerts_for(request.user, Cap.CARE_EDIT).select_related("person"), pk=pk)
    form = ResolveAlertForm(request.POST)
    if form.is_valid():
        try:
            do_resolve_alert(request.user, alert, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("The alert was marked as handled."))
    else:
        messages.error(request, _("Say what was done (for example: called, visited, sent to hospital)."))
    return redirect(next_url(request, reverse("care:today")))


@capability_required(Cap.CARE_VIEW)
def person_care(request, pk: int):
    """One person's stays, orders and alerts, with the actions that fit."""
    person = person_or_404(request.user, pk)
    audit.record_read(request, _("Care"), obj=person)
    can_edit = scope_for(request.user, Cap.CARE_EDIT).contains(person.unit_path)
    return render(
        request,
        "care/person.html",
        {
            "person": person,
            "breadcrumbs": person.unit.ancestors(),
            "case": case_link.active_case_of(person.pk),
            "stays": stays_for(request.user)
            .filter(person=person)
            .select_related("facility")
            .order_by("-admitted_on", "-pk"),
            "orders": orders_for(request.user).filter(person=person).order_by("-start", "-pk"),
            "alerts": alerts_for(request.user).filter(person=person, resolved_at__isnull=True),
            "open_stay": open_stay_of(person.pk),
            "can_edit": can_edit,
            "facilities": facilities_for(request.user).filter(closed_on__isnull=True).order_by("name")[:200]
            if can_edit
            else [],
        },
    )
