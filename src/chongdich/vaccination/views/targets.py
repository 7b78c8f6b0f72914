"""Pages of the target lists: the target list (with its counts, export, enrolment and invitation of
everyone listed), the due and overdue list, enrolment by an uploaded list of CCCD, a session's
invitations (statuses, Excel, printable slips) and the person page's enrolment form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_for_user_or_404
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.scoping import has_capability, in_scope
from chongdich.people.models import Person
from chongdich.vaccination.actions import targets as act
from chongdich.vaccination.exports.targets import export_due, export_invitations, export_targets
from chongdich.vaccination.filters.targets import DueFilter, TargetFilter
from chongdich.vaccination.forms.targets import (
    EnrolForm,
    EnrolManyForm,
    EnrolUploadForm,
    InvitationStatusForm,
    InviteForm,
)
from chongdich.vaccination.models import EDIT, VIEW, InvitationStatus
from chongdich.vaccination.selectors import targets as read
from chongdich.vaccination.tables.targets import DueTable, InvitationTable, TargetTable

PAGE_SIZE = 50
SLIPS_AT_MOST = 1000


def _province(request, filters) -> str | None:
    unit = filters.chosen_unit()
    return unit.province_code if unit is not None else read.user_province(request.user)


def _filter_params(filters) -> list[tuple[str, str]]:
    return [(k, v) for k, v in filters.active_filters().items() if k != "page"]


# -- the target list ------------------------------------------------------------------------------------
@capability_required(VIEW)
def target_list(request):
    filters = TargetFilter(request.GET or None, request=request)
    day = filters.day()
    province = _province(request, filters)
    names = dict(read.group_choices(day, province))
    people = read.target_rows(filters.people(), day)
    table = paginate_table(
        request,
        TargetTable(people.select_related("unit"), group_names=names, order_by=request.GET.get("sort") or "full_name"),
        per_page=PAGE_SIZE,
        lazy=False,
    )
    counts = read.state_counts(filters.before_state())
    audit.record_read(request, _("Target list"), table.page.object_list, count=table.paginator.count)
    can_edit = has_capability(request.user, EDIT)
    params = _filter_params(filters)
    return render(
        request,
        "vaccination/targets/list.html",
        {
            "filters": filters,
            "table": table,
            "day": day,
            "counts": counts,
            "states": [
                (
                    state,
                    label,
                    counts[state],
                    urlencode([*[(k, v) for k, v in params if k != "doses"], ("doses", state)]),
                )
                for state, label in read.DoseState.CHOICES
            ],
            "all_url": urlencode([(k, v) for k, v in params if k != "doses"]),
            "params": params,
            "query": urlencode(params),
            "can_edit": can_edit,
            "enrol_form": EnrolManyForm(province_code=province) if can_edit else None,
            "invite_form": InviteForm(user=request.user) if can_edit else None,
            "max_enrol": act.MAX_ENROL_AT_ONCE,
            "max_invite": act.MAX_INVITE_AT_ONCE,
        },
    )


@capability_required(VIEW)
def target_export(request):
    filters = TargetFilter(request.GET or None, request=request)
    day = filters.day()
    people = read.target_rows(filters.people(), day)
    content, count = export_targets(people, dict(read.group_choices(day, _province(request, filters))))
    audit.record_read(
        request,
        _("Target list"),
        filters.people(),
        action=audit.AuditAction.EXPORT,
        count=count,
        detail={"rows": count, "list": "vaccination_targets"},
    )
    return xlsx_response(content, f"danh-sach-doi-tuong-tiem-{day:%Y%m%d}.xlsx")


@require_POST
@capability_required(EDIT)
def target_enrol(request):
    """Everyone of the filtered list into a priority group."""
    filters = TargetFilter(request.POST, request=request)
    form = EnrolManyForm(request.POST, province_code=_province(request, filters))
    back = reverse("vaccination:targets") + "?" + urlencode(_filter_params(filters))
    if not filters.valid():
        messages.error(request, _("The filters are not valid: correct them first."))
    elif not form.is_valid():
        messages.error(request, _("Choose a priority group from the list."))
    else:
        done = submit(request, act.do_enrol_many, request.user, filters.people(), form.cleaned_data["into_group"])
        if done:
            added, already = done.value
            messages.success(
                request,
                _("%(added)s people were put in the group (%(already)s were in it already).")
                % {
                    "added": number_format(added, force_grouping=True),
                    "already": number_format(already, force_grouping=True),
                },
            )
    return redirect(back)


def _invite(request, people, back: str):
    form = InviteForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a session from the list (planned or open, from today on)."))
        return redirect(back)
    session = form.cleaned_data["session"]
    done = submit(request, act.do_invite, request.user, session, people)
    if not done:
        return redirect(back)
    invited, before = done.value
    messages.success(
        request,
        _("%(invited)s people were invited (%(before)s had been invited already). Print their slips below.")
        % {
            "invited": number_format(invited, force_grouping=True),
            "before": number_format(before, force_grouping=True),
        },
    )
    return redirect("vaccination:invitations", pk=session.pk)


@require_POST
@capability_required(EDIT)
def target_invite(request):
    filters = TargetFilter(request.POST, request=request)
    back = reverse("vaccination:targets") + "?" + urlencode(_filter_params(filters))
    if not filters.valid():
        messages.error(request, _("The filters are not valid: correct them first."))
        return redirect(back)
    return _invite(request, filters.people(), back)


# -- due and overdue --------------------------------------------------------------------------------------
def _due(request, data):
    filters = DueFilter(data or None, request=request)
    day = filters.day()
    cfg = read.config_for(_province(request, filters))
    rows = read.due_rows(filters.people(), day, cfg, late_by=filters.lateness()) if filters.valid() else []
    return filters, day, rows


@capability_required(VIEW)
def due_list(request):
    filters, day, rows = _due(request, request.GET)
    table = paginate_table(request, DueTable(rows), per_page=PAGE_SIZE, lazy=False)
    audit.record_read(request, _("Due for a dose"), table.page.object_list, count=len(rows))
    can_edit = has_capability(request.user, EDIT)
    params = _filter_params(filters)
    return render(
        request,
        "vaccination/targets/due.html",
        {
            "filters": filters,
            "table": table,
            "day": day,
            "count": len(rows),
            "overdue": sum(1 for row in rows if row.days_late),
            "late_by": filters.lateness(),
            "params": params,
            "query": urlencode(params),
            "can_edit": can_edit,
            "invite_form": InviteForm(user=request.user) if can_edit else None,
            "max_invite": act.MAX_INVITE_AT_ONCE,
        },
    )


@capability_required(VIEW)
def due_export(request):
    filters, day, rows = _due(request, request.GET)
    content, count = export_due(rows)
    audit.record_read(
        request,
        _("Due for a dose"),
        [row.pk for row in rows[: audit.PEOPLE_LISTED]],
        action=audit.AuditAction.EXPORT,
        count=count,
        detail={"rows": count, "list": "vaccination_due"},
    )
    return xlsx_response(content, f"den-han-tiem-{day:%Y%m%d}.xlsx")


@require_POST
@capability_required(EDIT)
def due_invite(request):
    filters, _day, rows = _due(request, request.POST)
    back = reverse("vaccination:due") + "?" + urlencode(_filter_params(filters))
    if not filters.valid():
        messages.error(request, _("The filters are not valid: correct them first."))
        return redirect(back)
    return _invite(request, [row.pk for row in rows], back)


# -- enrolment -----------------------------------------------------------------------------------------------
@capability_required(EDIT)
def enrol_upload(request):
    """A list of CCCD numbers (Excel or CSV) into a priority group; shows who was not found."""
    province = read.user_province(request.user)
    form = EnrolUploadForm(request.POST or None, request.FILES or None, province_code=province)
    result = None
    if request.method == "POST" and form.is_valid():
        numbers = [number for _row, number in form.numbers]
        found = read.people_by_cccd(request.user, numbers)
        missing = [(row, number) for row, number in form.numbers if number not in found]
        done = submit(form, act.do_enrol_many, request.user, list(found.values()), form.cleaned_data["group"])
        if done:
            added, already = done.value
            result = {
                "added": added,
                "already": already,
                "missing": missing[:200],
                "missing_count": len(missing),
                "bad": form.bad_numbers[:200],
                "bad_count": len(form.bad_numbers),
                "group": dict(read.group_choices(clock.today(), province)).get(form.cleaned_data["group"]),
            }
            audit.record_read(request, _("Priority group from a list of CCCD"), list(found.values()), count=len(found))
    return render(request, "vaccination/targets/upload.html", {"form": form, "result": result})


@require_POST
@capability_required(EDIT)
def person_enrol(request, pk: int):
    person = get_for_user_or_404(Person, request.user, EDIT, pk=pk)
    form = EnrolForm(request.POST, province_code=person.province_code)
    if form.is_valid():
        done = submit(
            request,
            act.do_enrol,
            request.user,
            person,
            form.cleaned_data["group"],
            since=form.cleaned_data.get("since"),
            note=form.cleaned_data.get("note") or "",
            client_id=client_id(request),
        )
        if done:
            _enrolment, created = done.value
            messages.success(request, _("Put in the group.") if created else _("Already in this group."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(person)


@require_POST
@capability_required(EDIT)
def unenrol(request, pk: int):
    enrolment = read.enrolment_for(request.user, pk, EDIT)
    if submit(request, act.do_unenrol, request.user, enrolment):
        messages.success(request, _("Taken out of the group."))
    return redirect(enrolment.person)


# -- invitations of a session -----------------------------------------------------------------------------
@capability_required(VIEW)
def invitation_list(request, pk: int):
    session = read.session_page(request.user, pk)
    invitations = read.invitations_of(request.user, session)
    table = paginate_table(request, InvitationTable(invitations), per_page=PAGE_SIZE, lazy=False)
    counts = read.invitation_counts(invitations)
    audit.record_read(request, _("Invitations"), table.page.object_list, obj=session, count=table.paginator.count)
    return render(
        request,
        "vaccination/targets/invitations.html",
        {
            "session": session,
            "table": table,
            "counts": counts,
            "statuses": [(value, label, counts[value]) for value, label in InvitationStatus.choices],
            "can_edit": in_scope(request.user, EDIT, session),
            "status_choices": InvitationStatusForm.base_fields["status"].choices,
            "session_url": read.session_url(session),
        },
    )


@capability_required(VIEW)
def invitation_export(request, pk: int):
    session = read.session_page(request.user, pk)
    invitations = read.invitations_of(request.user, session)
    content, count = export_invitations(invitations, dict(read.group_choices(session.day, session.province_code)))
    audit.record_read(
        request,
        _("Invitations"),
        invitations,
        obj=session,
        action=audit.AuditAction.EXPORT,
        count=count,
        detail={"rows": count, "list": "vaccination_invitations"},
    )
    return xlsx_response(content, f"giay-moi-tiem-{session.day:%Y%m%d}-{session.pk}.xlsx")


@capability_required(VIEW)
def invitation_slips(request, pk: int):
    """The printable slips: A4 sheets of slips with the QR code of each invitation's token."""
    session = read.session_page(request.user, pk)
    status = request.GET.get("status", "")
    invitations = read.invitations_of(request.user, session)
    if status in InvitationStatus.values:
        invitations = invitations.filter(status=status)
    slips = read.slips(invitations[:SLIPS_AT_MOST], session)
    audit.record_read(
        request, _("Invitation slips"), [s.invitation for s in slips], obj=session, action=audit.AuditAction.EXPORT
    )
    return render(
        request,
        "vaccination/targets/slips.html",
        {
            "session": session,
            "slips": slips,
            "sheets": [slips[i : i + read.SLIPS_PER_SHEET] for i in range(0, len(slips), read.SLIPS_PER_SHEET)],
            "back_url": reverse("vaccination:invitations", args=[session.pk]),
            "at_most": SLIPS_AT_MOST,
        },
    )


@require_POST
@capability_required(EDIT)
def invitation_status(request, pk: int):
    invitation = read.invitation_for(request.user, pk, EDIT)
    form = InvitationStatusForm(request.POST)
    if form.is_valid():
        submit(request, act.do_set_invitation_status, request.user, invitation, form.cleaned_data["status"])
    else:
        messages.error(request, _("Choose came, did not come, postponed or invited."))
    back = reverse("vaccination:invitations", args=[invitation.session_id])
    if request.POST.get("page", "").isdigit():
        back += f"?page={request.POST['page']}"
    return redirect(back)
