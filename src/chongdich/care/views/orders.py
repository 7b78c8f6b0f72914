from __future__ import annotations

from django.contrib import messages
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
from chongdich.care.filters import OrderFilter
from chongdich.care.forms import (
    EndOrderForm,
    HomeCareForm,
    HomeQuarantineForm,
    MonitoringForm,
    ResolveAlertForm,
    SelfMonitoringForm,
)
from chongdich.care.models import OrderKind, OrderStatus
from chongdich.care.selectors import (
    alert_page,
    care_of,
    last_f1_contact,
    open_stay_of,
    order_alerts,
    order_entries,
    order_page,
    person_page,
)
from chongdich.care.tables import OrderTable
from chongdich.care.views.common import candidates, picked_person
from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.redirects import next_url
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope

FORMS = {
    OrderKind.HOME_QUARANTINE: HomeQuarantineForm,
    OrderKind.HOME_CARE: HomeCareForm,
    OrderKind.SELF_MONITORING: SelfMonitoringForm,
}


@capability_required(Cap.CARE_VIEW)
def order_list(request):
    filters = OrderFilter(request.GET, request=request)  # active orders unless another status is asked for
    table = paginate_table(request, OrderTable(filters.rows()), per_page=50)
    audit.record_read(request, _("Orders"), table.page.object_list)
    return render(
        request, "care/order_list.html", {"form": filters.form, "table": table, "unit_filter": filters.narrowed}
    )


def _order_initial(kind: str, person) -> dict:
    if kind == OrderKind.HOME_QUARANTINE:
        contact = last_f1_contact(person)
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
        done = submit(form, _create, request, kind, person, form)
        if done:
            order, _created = done.value
            messages.success(request, _("The order for %(name)s was saved.") % {"name": person.full_name})
            return redirect(order)
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
        return do_order_home_quarantine(
            request.user,
            person,
            last_exposure=data["last_exposure"],
            contact=last_f1_contact(person),
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


@capability_required(Cap.CARE_VIEW)
def order_detail(request, pk: int):
    order = order_page(request.user, pk)
    audit.record_read(request, _("Order"), obj=order)
    can_edit = in_scope(request.user, Cap.CARE_EDIT, order)
    labels = dict(plans.symptom_choices(get_language()))
    entries = order_entries(order)
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
            "alerts": order_alerts(order),
            "can_edit": can_edit and order.status == OrderStatus.ACTIVE,
            "monitoring_form": MonitoringForm() if can_edit and order.status == OrderStatus.ACTIVE else None,
            "resolve_form": ResolveAlertForm(),
        },
    )


@capability_required(Cap.CARE_EDIT)
def monitoring_create(request, pk: int):
    order = order_page(request.user, pk, Cap.CARE_EDIT)
    form = MonitoringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(form, do_record_monitoring, request.user, order, client_id=client_id(request), **form.readings())
        if done:
            _entry, alert, _created = done.value
            if alert is not None:
                messages.warning(
                    request,
                    _("Warning sign: %(signs)s. Report to the health station at once.")
                    % {"signs": _signs_text(alert.signs)},
                )
            else:
                messages.success(request, _("The check was recorded."))
            return redirect(order)
    audit.record_read(request, _("Record a check"), obj=order)
    return render(request, "care/monitoring_form.html", {"order": order, "form": form})


def _signs_text(signs) -> str:
    key = "en" if (get_language() or "vi").startswith("en") else "vi"
    return "; ".join(f"{s.get(key)} ({s.get('detail_' + key)})" for s in signs)


@capability_required(Cap.CARE_EDIT)
def order_end(request, pk: int):
    order = order_page(request.user, pk, Cap.CARE_EDIT)
    form = EndOrderForm(request.POST or None, initial={"outcome": OrderStatus.COMPLETED, "on": default_end_day(order)})
    if request.method == "POST" and form.is_valid():
        if submit(form, do_end_order, request.user, order, **form.cleaned_data):
            messages.success(request, _("The order was ended."))
            return redirect(order)
    audit.record_read(request, _("End the order"), obj=order)
    return render(request, "care/order_end.html", {"order": order, "form": form})


@require_POST
@capability_required(Cap.CARE_EDIT)
def alert_resolve(request, pk: int):
    alert = alert_page(request.user, pk)
    form = ResolveAlertForm(request.POST)
    if form.is_valid():
        if submit(request, do_resolve_alert, request.user, alert, note=form.cleaned_data["note"]):
            messages.success(request, _("The alert was marked as handled."))
    else:
        messages.error(request, _("Say what was done (for example: called, visited, sent to hospital)."))
    return redirect(next_url(request, reverse("care:today")))


@capability_required(Cap.CARE_VIEW)
def person_care(request, pk: int):
    """One person's stays, orders and alerts, with the actions that fit."""
    person = person_page(request.user, pk)
    audit.record_read(request, _("Care"), obj=person)
    can_edit = in_scope(request.user, Cap.CARE_EDIT, person)
    return render(
        request,
        "care/person.html",
        {
            "person": person,
            "breadcrumbs": person.unit.ancestors(),
            "case": case_link.active_case_of(person.pk),
            "open_stay": open_stay_of(person.pk),
            "can_edit": can_edit,
            **care_of(request.user, person, with_facilities=can_edit),
        },
    )
