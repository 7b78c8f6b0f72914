"""Alert pages: the list (filters, export), an alert's page with its source and the one-click action
(order what the care rules give, or register the test sample), take / finish / reopen, and the report
of an undeclared arrival."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.movement.actions.alerts import (
    do_finish_alert,
    do_link_person,
    do_order_from_alert,
    do_register_alert_person,
    do_reopen_alert,
    do_report_undeclared,
    do_sample_from_alert,
    do_take_alert,
    matching_people,
)
from chongdich.movement.exports.alerts import export_alerts
from chongdich.movement.filters.alerts import AlertFilter
from chongdich.movement.forms.alerts import FinishForm, OrderForm, ReopenForm, ReportForm, SampleForm
from chongdich.movement.models import EDIT, VIEW
from chongdich.movement.rules import SYMPTOMS
from chongdich.movement.selectors import alerts as selectors
from chongdich.movement.tables.alerts import AlertTable


@capability_required(VIEW)
def alert_list(request):
    filters = AlertFilter(request.GET, selectors.alerts_for(request.user), request=request)
    table = paginate_table(request, AlertTable(filters.results()), per_page=50)
    audit.record_read(request, _("Alerts"), table.page.object_list)
    return render(
        request,
        "movement/alerts/list.html",
        {
            "filter": filters,
            "table": table,
            "total": filters.results().count(),
            "query": request.GET.urlencode(),
        },
    )


@capability_required(VIEW)
def alert_export(request):
    filters = AlertFilter(request.GET, selectors.alerts_for(request.user), request=request)
    content, count = export_alerts(filters.results())
    audit.record_read(
        request, _("Alerts"), filters.results(), action=audit.AuditAction.EXPORT, count=count, detail={"rows": count}
    )
    return xlsx_response(content, f"canh-bao-di-chuyen-{clock.today():%Y%m%d}.xlsx")


def _page(request, alert, *, status: int = 200, **forms):
    may_act = selectors.may_act(request.user, alert)
    matches = matching_people(request.user, alert) if may_act and not alert.person_id else []
    context = {
        "alert": alert,
        "source": selectors.source_of(request.user, alert),
        "plan": selectors.plan_of(alert),
        "needs_reason": selectors.needs_reason(alert),
        "todo": selectors.what_to_do(alert),
        "took": selectors.duration_text(selectors.took(alert)),
        "may_act": may_act,
        "may_see_person": bool(alert.person_id) and in_scope(request.user, Cap.PEOPLE_VIEW, alert.person),
        "may_order": may_act and in_scope(request.user, Cap.CARE_EDIT, alert),
        "may_sample": may_act and in_scope(request.user, Cap.TESTS_EDIT, alert),
        "matches": matches,
        "finish_form": forms.get("finish_form") or FinishForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "order_form": forms.get("order_form")
        or OrderForm(initial={"person": str(matches[0].pk) if len(matches) == 1 else "new"}),
        "sample_form": forms.get("sample_form")
        or SampleForm(initial={"person": str(matches[0].pk) if len(matches) == 1 else "new"}),
        "duplicates": forms.get("duplicates") or [],
        "symptom_names": _symptom_names(alert),
        "origin": selectors.origin_of(alert),
        "phone": selectors.phone_text(alert.phone),
    }
    audit.record_read(request, _("Alert"), [alert], obj=alert)
    return render(request, "movement/alerts/detail.html", context, status=status)


def _symptom_names(alert) -> list[str]:
    codes = (alert.detail or {}).get("symptoms") or []
    lang = "en" if (get_language() or "").startswith("en") else "vi"
    names = {c.code: (c.name_en if lang == "en" else c.name_vi) for c in SYMPTOMS}
    return [names.get(code, code) for code in codes]


@capability_required(VIEW)
def alert_detail(request, pk: int):
    return _page(request, selectors.alert_page(request.user, pk))


@require_POST
@capability_required(EDIT)
def alert_take(request, pk: int):
    alert = selectors.alert_page(request.user, pk)
    if submit(request, do_take_alert, request.user, alert):
        messages.success(request, _("You took the alert."))
    return redirect(alert)


@require_POST
@capability_required(EDIT)
def alert_finish(request, pk: int):
    alert = selectors.alert_page(request.user, pk)
    form = FinishForm(request.POST)
    if form.is_valid() and submit(
        form, do_finish_alert, request.user, alert, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
    ):
        messages.success(request, _("The alert is done."))
        return redirect(alert)
    return _page(request, alert, finish_form=form, status=400)


@require_POST
@capability_required(EDIT)
def alert_reopen(request, pk: int):
    alert = selectors.alert_page(request.user, pk)
    form = ReopenForm(request.POST)
    if form.is_valid() and submit(form, do_reopen_alert, request.user, alert, note=form.cleaned_data["note"]):
        messages.success(request, _("The alert is open again."))
        return redirect(alert)
    return _page(request, alert, reopen_form=form, status=400)


def _person(request, alert, form) -> tuple[bool, list]:
    """Link the chosen person, or register the alert's person; (done, duplicates to show)."""
    if alert.person_id:
        return True, []
    choice = (form.cleaned_data.get("person") or "").strip()
    if choice.isdigit():
        person = selectors.person_choice(request.user, choice)
        if person is None:
            form.add_error(None, _("Choose one of the people shown."))
            return False, []
        return bool(submit(form, do_link_person, request.user, alert, person)), []
    done = submit(
        form,
        do_register_alert_person,
        request.user,
        alert,
        confirm_new=form.cleaned_data.get("confirm_new", False),
        client_id=f"{client_id(request)}-p" if client_id(request) else None,
    )
    return bool(done), list(getattr(done.error, "matches", []) or [])


@require_POST
@capability_required(EDIT)
def alert_order(request, pk: int):
    alert = selectors.alert_page(request.user, pk)
    form = OrderForm(request.POST)
    if form.is_valid():
        linked, duplicates = _person(request, alert, form)
        if linked:
            alert.refresh_from_db()
            done = submit(
                form,
                do_order_from_alert,
                request.user,
                alert,
                override_reason=form.cleaned_data["override_reason"],
                note=form.cleaned_data["note"],
                client_id=client_id(request),
            )
            if done:
                _alert, order = done.value
                messages.success(
                    request,
                    _("%(kind)s ordered for %(name)s.") % {"kind": order.get_kind_display(), "name": order.person},
                )
                return redirect(alert)
        alert.refresh_from_db()
        return _page(request, alert, order_form=form, duplicates=duplicates, status=400)
    return _page(request, alert, order_form=form, status=400)


@require_POST
@capability_required(EDIT)
def alert_sample(request, pk: int):
    alert = selectors.alert_page(request.user, pk)
    form = SampleForm(request.POST)
    if form.is_valid():
        linked, duplicates = _person(request, alert, form)
        if linked:
            alert.refresh_from_db()
            done = submit(
                form,
                do_sample_from_alert,
                request.user,
                alert,
                kind=form.cleaned_data["kind"],
                client_id=client_id(request),
            )
            if done:
                _alert, sample = done.value
                messages.success(request, _("Sample %(code)s was registered.") % {"code": sample.code})
                return redirect(alert)
        alert.refresh_from_db()
        return _page(request, alert, sample_form=form, duplicates=duplicates, status=400)
    return _page(request, alert, sample_form=form, status=400)


@capability_required(VIEW)
def alert_report(request):
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_report_undeclared,
            request.user,
            unit=data["unit"],
            full_name=data["full_name"],
            arrived_on=data["arrived_on"],
            phone=data["phone"],
            birth_year=data["birth_year"],
            origin_commune_code=data["origin"].code if data["origin"] else "",
            came_from=data["came_from"],
            address=data["address"],
            note=data["note"],
            client_id=client_id(request),
        )
        if done:
            alert, _created = done.value
            messages.success(request, _("Reported: the commune has the alert."))
            if in_scope(request.user, VIEW, alert):
                return redirect(alert)
            return redirect("movement:alert_report")
    return render(request, "movement/alerts/report.html", {"form": form})
