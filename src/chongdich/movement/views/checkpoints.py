"""Pages of checkpoints, shifts and passages: thin views (parse → one action or selector → render).

The passage screen (``passage_screen``) is phone-first and works with the offline outbox: its form is
marked ``data-outbox="passage"``, an invalid entry answers 400 with the form and its messages, a saved
one redirects back to an empty screen; a re-sent form (same ``client_id``) returns the passage it made.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.scoping import has_capability
from chongdich.movement.actions import checkpoints as actions
from chongdich.movement.actions import devices as device_actions
from chongdich.movement.exports.checkpoints import passages_workbook
from chongdich.movement.filters.checkpoints import CheckpointFilter, PassageFilter
from chongdich.movement.forms.checkpoints import CheckpointForm, PassageForm, ShiftForm, member_formset
from chongdich.movement.forms.venues import DeviceForm
from chongdich.movement.models import EDIT, VIEW, PassageAction
from chongdich.movement.selectors import checkpoints as selectors
from chongdich.movement.tables.checkpoints import CheckpointTable, PassageTable, ShiftTable
from chongdich.movement.views import devices

DOCUMENT_LANGUAGE = "vi"  # the printed shift log is in Vietnamese whatever the interface
PAGE_SIZE = 50
LOG_ROWS = 2000  # passages printed in one shift log (a busy gateway logs a few hundred a shift)


def _common(request) -> dict:
    return {"can_edit": has_capability(request.user, EDIT)}


def _passage_rows(table) -> list:
    return [row.record for row in table.page.object_list]


def _label_rows(table) -> None:
    """Names of the communes and checkpoints of the rows on the page (passages store codes and ids)."""
    rows = _passage_rows(table)
    table.names = selectors.commune_names(r.origin_commune_code for r in rows)
    table.checkpoints = selectors.checkpoint_names(r.checkpoint_id for r in rows)


# -- checkpoints ----------------------------------------------------------------------------------
@capability_required(VIEW)
def checkpoint_list(request):
    filters = CheckpointFilter(request.GET, selectors.checkpoints_for(request.user), request=request)
    table = CheckpointTable(filters.results())
    table.passages_url = reverse("movement:passages")
    table = paginate_table(request, table, per_page=PAGE_SIZE)
    return render(request, "movement/checkpoints/list.html", {"filter": filters, "table": table} | _common(request))


def _map_context(form) -> dict:
    return {"centres": selectors.commune_centres(form.fields["unit"].queryset)}


@capability_required(EDIT)
def checkpoint_create(request):
    form = CheckpointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            actions.do_create_checkpoint,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.checkpoint_data(),
            code=form.cleaned_data.get("code") or "",
            client_id=client_id(request),
        )
        if done:
            checkpoint, _created = done.value
            messages.success(request, _("Checkpoint %(name)s was created.") % {"name": checkpoint.name})
            return redirect(checkpoint)
    return render(
        request,
        "movement/checkpoints/form.html",
        {"form": form, "checkpoint": None} | _map_context(form),
        status=400 if form.is_bound and form.errors else 200,
    )


@capability_required(EDIT)
def checkpoint_edit(request, pk: int):
    checkpoint = selectors.checkpoint_page(request.user, pk, EDIT)
    initial = {name: getattr(checkpoint, name) for name in actions.CHECKPOINT_FIELDS} | {"unit": checkpoint.unit.code}
    form = CheckpointForm(request.POST or None, user=request.user, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        if submit(
            form,
            actions.do_update_checkpoint,
            request.user,
            checkpoint,
            unit=form.cleaned_data["unit"],
            data=form.checkpoint_data(),
        ):
            messages.success(request, _("Saved."))
            return redirect(checkpoint)
    return render(
        request,
        "movement/checkpoints/form.html",
        {"form": form, "checkpoint": checkpoint} | _map_context(form),
        status=400 if form.is_bound and form.errors else 200,
    )


@capability_required(VIEW)
def checkpoint_detail(request, pk: int):
    checkpoint = selectors.checkpoint_page(request.user, pk)
    shift = selectors.current_shift(checkpoint)
    shifts = paginate_table(request, ShiftTable(selectors.shifts_of(checkpoint)), per_page=20)
    recent = PassageTable(selectors.recent_passages(checkpoint), show_checkpoint=False, compact=True, orderable=False)
    recent.names = selectors.commune_names(p.origin_commune_code for p in recent.data)
    audit.record_read(request, _("Checkpoint"), [p for p in recent.data if p.person_id], obj=checkpoint)
    return render(
        request,
        "movement/checkpoints/detail.html",
        {
            "checkpoint": checkpoint,
            "shift": shift,
            "shift_counts": selectors.passage_counts(selectors.passages_of_shift(shift)) if shift else None,
            "shift_base": f"{reverse('movement:passages')}?shift={shift.pk}" if shift else "",
            "shifts": shifts,
            "days": selectors.daily_counts(checkpoint),
            "recent": recent,
            "devices": selectors.devices_of(checkpoint),
            "device_form": DeviceForm() if has_capability(request.user, EDIT) else None,
            "may_edit": selectors.may_edit(request.user, checkpoint),
            "today": clock.today(),
            "now": clock.now(),
        },
    )


# -- shifts ---------------------------------------------------------------------------------------
@capability_required(EDIT)
def shift_create(request, pk: int):
    checkpoint = selectors.checkpoint_page(request.user, pk, EDIT)
    form = ShiftForm(request.POST or None)
    members = member_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and members.is_valid():
        done = submit(
            form,
            actions.do_open_shift,
            request.user,
            checkpoint,
            data=form.shift_data(),
            members=members.members(),
            client_id=client_id(request),
        )
        if done:
            shift, _created = done.value
            messages.success(request, _("The shift was opened."))
            return redirect(shift)
    return render(
        request,
        "movement/checkpoints/shift_form.html",
        {"form": form, "members": members, "checkpoint": checkpoint, "shift": None},
        status=400 if form.is_bound and (form.errors or members.total_error_count()) else 200,
    )


@capability_required(EDIT)
def shift_edit(request, pk: int):
    shift = selectors.shift_page(request.user, pk, EDIT)
    initial = {name: getattr(shift, name) for name in actions.SHIFT_FIELDS}
    initial["starts_at"] = timezone.localtime(shift.starts_at)
    initial["ends_at"] = timezone.localtime(shift.ends_at)
    form = ShiftForm(request.POST or None, initial=initial)
    people = [{"full_name": m.full_name, "force": m.force, "phone": m.phone} for m in selectors.members_of(shift)]
    members = member_formset(request.POST or None, initial=people)
    if request.method == "POST" and form.is_valid() and members.is_valid():
        if submit(
            form, actions.do_update_shift, request.user, shift, data=form.shift_data(), members=members.members()
        ):
            messages.success(request, _("Saved."))
            return redirect(shift)
    return render(
        request,
        "movement/checkpoints/shift_form.html",
        {"form": form, "members": members, "checkpoint": shift.checkpoint, "shift": shift},
        status=400 if form.is_bound and (form.errors or members.total_error_count()) else 200,
    )


@capability_required(VIEW)
def shift_detail(request, pk: int):
    shift = selectors.shift_page(request.user, pk)
    passages = selectors.passages_of_shift(shift)
    table = paginate_table(request, PassageTable(passages, show_checkpoint=False), per_page=PAGE_SIZE)
    _label_rows(table)
    audit.record_read(request, _("Shift"), _passage_rows(table), obj=shift)
    return render(
        request,
        "movement/checkpoints/shift.html",
        {
            "shift": shift,
            "checkpoint": shift.checkpoint,
            "members": selectors.members_of(shift),
            "counts": selectors.passage_counts(passages),
            "table": table,
            "list_url": f"{reverse('movement:passages')}?shift={shift.pk}",
            "may_edit": selectors.may_edit(request.user, shift),
        },
    )


def _log(request, pk: int, what: str, action: str):
    shift = selectors.shift_page(request.user, pk)
    log = selectors.shift_log(shift, limit=LOG_ROWS)
    audit.record_read(request, what, [p for p in log.passages if p.person_id], obj=shift, action=action)
    with translation.override(DOCUMENT_LANGUAGE):
        document = render_to_string("movement/checkpoints/_shift_log.html", {"log": log})
    return shift, log, document


@capability_required(VIEW)
def shift_log(request, pk: int):
    shift, log, document = _log(request, pk, _("Shift log"), audit.AuditAction.VIEW)
    return render(request, "movement/checkpoints/shift_log.html", {"shift": shift, "document": document})


@capability_required(VIEW)
def shift_log_pdf(request, pk: int):
    import weasyprint  # imported here: Pango is loaded only when a PDF is made

    shift, log, document = _log(request, pk, _("Shift log (PDF)"), audit.AuditAction.EXPORT)
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string("movement/checkpoints/shift_log_pdf.html", {"log": log, "document": document})
    response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    start = timezone.localtime(shift.starts_at)
    response["Content-Disposition"] = f'inline; filename="so-ca-truc-{shift.checkpoint.code}-{start:%Y%m%d-%H%M}.pdf"'
    return response


# -- the passage screen ---------------------------------------------------------------------------
def _screen(request, checkpoint, form, *, status=200, preview=None):
    shift = selectors.current_shift(checkpoint)
    return render(
        request,
        "movement/checkpoints/pass.html",
        {
            "checkpoint": checkpoint,
            "form": form,
            "shift": shift,
            "today_total": selectors.today_total(checkpoint),
            "preview": preview,
            "preview_plate": selectors.plate_display(preview.plate, preview.vehicle_type) if preview else "",
            "preview_reasons": selectors.reasons_text(getattr(preview, "advice_reasons", ())),
            "actions": PassageAction.choices,
            "advised": getattr(preview, "advice", ""),
            "latest": selectors.latest_passages(checkpoint),
        },
        status=status,
    )


@capability_required(EDIT)
def passage_screen(request, pk: int):
    checkpoint = selectors.checkpoint_page(request.user, pk, EDIT)
    if request.method != "POST":
        return _screen(request, checkpoint, PassageForm())
    form = PassageForm(request.POST)
    if not form.is_valid():
        return _screen(request, checkpoint, form, status=400)
    if "preview" in request.POST:  # without JavaScript: the advice before the officer taps
        done = submit(form, actions.build_passage, request.user, checkpoint, form.passage_data())
        return _screen(request, checkpoint, form, status=200 if done else 400, preview=done.value)
    done = submit(form, actions.do_record_passage, request.user, checkpoint, form.passage_data(), client_id(request))
    if not done:
        return _screen(request, checkpoint, form, status=400)
    passage = done.value.passage
    messages.success(
        request,
        _("Logged: %(who)s — %(action)s.")
        % {
            "who": selectors.plate_display(passage.plate, passage.vehicle_type)
            or passage.full_name
            or _("a person on foot"),
            "action": PassageAction(passage.action).label,
        },
    )
    return redirect("movement:passage_screen", pk=checkpoint.pk)


@require_POST
@capability_required(EDIT)
def passage_preview(request, pk: int):
    """The screen's live preview (JSON): the plate as written, the green-lane card, the person's colour,
    the origin's level and the rules' advice for what is typed so far.  Nothing is saved."""
    checkpoint = selectors.checkpoint_page(request.user, pk, EDIT)
    form = PassageForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()})
    done = submit(form, actions.build_passage, request.user, checkpoint, form.passage_data())
    if not done:
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()})
    passage = done.value
    if passage.person_id:
        audit.record_read(request, _("Passage screen: the person's colour"), [passage.person], count=1)
    return JsonResponse({"ok": True} | selectors.preview_json(passage))


@require_GET
@capability_required(VIEW)
def commune_search(request):
    """Communes of the whole country matching ``?q=`` (reference data), for the picker's suggestions."""
    units = selectors.search_communes(request.GET.get("q", ""))
    return JsonResponse({"results": [{"code": u.code, "label": selectors.commune_label(u)} for u in units]})


# -- passages -------------------------------------------------------------------------------------
@capability_required(VIEW)
def passage_list(request):
    filters = PassageFilter(request.GET, selectors.passages_for(request.user), request=request)
    passages = filters.results()
    table = paginate_table(request, PassageTable(passages), per_page=PAGE_SIZE)
    _label_rows(table)
    audit.record_read(request, _("Passages"), _passage_rows(table))
    query = request.GET.urlencode()
    narrowed = request.GET.copy()
    for key in ("direction", "action", "page", "sort"):
        narrowed.pop(key, None)
    return render(
        request,
        "movement/checkpoints/passages.html",
        {
            "filter": filters,
            "table": table,
            "counts": selectors.passage_counts(passages),
            "export_url": reverse("movement:passages_export") + (f"?{query}" if query else ""),
            "list_base": f"{reverse('movement:passages')}?{narrowed.urlencode()}",
        }
        | _common(request),
    )


@capability_required(VIEW)
def passage_export(request):
    filters = PassageFilter(request.GET, selectors.passages_for(request.user), request=request)
    passages = filters.results()
    content, count = passages_workbook(
        passages, selectors.checkpoint_names_for(request.user), selectors.commune_names_of(passages)
    )
    audit.record_read(
        request,
        _("Passages (Excel)"),
        selectors.people_of(passages),
        action=audit.AuditAction.EXPORT,
        count=count,
    )
    return xlsx_response(content, f"luot-qua-chot-{clock.today():%Y%m%d}.xlsx")


# -- device tokens of a checkpoint (phones or tablets sending passages through the API) ----------------
@require_POST
@capability_required(EDIT)
def checkpoint_device_create(request, pk: int):
    checkpoint = selectors.checkpoint_page(request.user, pk, EDIT)
    return devices.make_device(request, checkpoint, reverse("movement:checkpoint_device_create", args=[checkpoint.pk]))


@require_POST
@capability_required(EDIT)
def checkpoint_device_revoke(request, pk: int):
    device = selectors.checkpoint_device(request.user, pk)
    if submit(request, device_actions.do_revoke_device, request.user, device):
        messages.success(request, _("The device's token was revoked: it can no longer send passages."))
    return redirect(device.checkpoint)
