"""The reconciliation work list of the national platform's records, and one record's page with its three
resolutions (attach to a person, create the person, dismiss)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.access import capability_required, get_for_user_or_404
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.people.identity import display_phone
from chongdich.vaccination.actions.platform import (
    default_sex,
    do_attach_record,
    do_create_person_from_record,
    do_dismiss_record,
)
from chongdich.vaccination.filters.platform import PlatformRecordFilter
from chongdich.vaccination.forms.platform import AttachForm, CreatePersonForm, DismissForm
from chongdich.vaccination.models import VIEW, Mismatch, PlatformRecord
from chongdich.vaccination.selectors.platform import (
    can_edit_record,
    people_named,
    problem_counts,
    units_for_new_person,
    visible_candidates,
)
from chongdich.vaccination.tables.platform import PlatformRecordTable


@capability_required(VIEW)
def reconcile_list(request):
    filters = PlatformRecordFilter(request.GET or None, request=request)
    table = paginate_table(request, PlatformRecordTable(filters.qs), per_page=50, lazy=False)
    records = [row.record for row in table.page.object_list]
    audit.record_read(
        request, _("Platform records to reconcile"), people_named(records), detail={"records": [r.pk for r in records]}
    )
    params = request.GET.copy()
    for name in ("problem", "page"):
        params.pop(name, None)
    return render(
        request,
        "vaccination/platform/list.html",
        {
            "filter": filters,
            "table": table,
            "counts": problem_counts(filters.without_problem),
            "chosen_problem": filters.form.cleaned_data.get("problem") if filters.is_valid() else "",
            "base_query": params.urlencode(),
        },
    )


# Registering the person is offered when the registry may not have them (not for a CCCD it already holds).
CREATABLE = (Mismatch.NO_MATCH, Mismatch.SEVERAL)


@capability_required(VIEW)
def reconcile(request, pk: int):
    record = get_for_user_or_404(PlatformRecord, request.user, VIEW, pk=pk)
    candidates, elsewhere = visible_candidates(request.user, record)
    editable = can_edit_record(request.user, record) and record.status == "open"
    units = units_for_new_person(request.user, record) if editable else []
    doing = request.POST.get("do") if request.method == "POST" and editable else None
    attach = AttachForm(request.POST if doing == "attach" else None, candidates=candidates, prefix="attach")
    create = CreatePersonForm(
        request.POST if doing == "create" else None,
        units=units,
        prefix="create",
        initial={"sex": default_sex(record), "unit": units[0].code if units else None},
    )
    dismiss = DismissForm(request.POST if doing == "dismiss" else None, prefix="dismiss")
    done = None
    if doing == "attach" and attach.is_valid():
        done = submit(attach, do_attach_record, request.user, record, attach.cleaned_data["person"])
    elif doing == "create" and create.is_valid():
        done = submit(
            create,
            do_create_person_from_record,
            request.user,
            record,
            unit=create.cleaned_data["unit"],
            sex=create.cleaned_data["sex"],
            client_id=client_id(request),
        )
    elif doing == "dismiss" and dismiss.is_valid():
        done = submit(dismiss, do_dismiss_record, request.user, record, dismiss.cleaned_data["reason"])
    if done:
        messages.success(request, done.value.resolution or _("Saved."))
        return redirect(done.value.get_absolute_url())
    audit.record_read(request, _("Platform record to reconcile"), candidates, obj=record, label=record.full_name)
    return render(
        request,
        "vaccination/platform/detail.html",
        {
            "record": record,
            "candidates": candidates,
            "elsewhere": elsewhere,
            "editable": editable,
            "attach": attach,
            "create": create,
            "dismiss": dismiss,
            "can_create": bool(units) and record.problem in CREATABLE,
            "can_attach": record.problem != Mismatch.BAD_RECORD,
            "phone": display_phone(record.phone),
            "doing": doing,
        },
    )
