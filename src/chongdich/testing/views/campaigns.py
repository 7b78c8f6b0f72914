"""Screening campaigns: target lists (by search or by filter), coverage, untested people and their export."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.testing.actions import (
    MAX_TARGETS_PER_ADD,
    do_add_targets,
    do_create_campaign,
    do_remove_targets,
    do_update_campaign,
)
from chongdich.testing.exports import export_untested
from chongdich.testing.forms import CampaignForm, TargetFilterForm
from chongdich.testing.selectors import (
    campaign_candidates,
    campaign_page,
    campaigns_with_coverage,
    people_by_ids,
    target_preview,
    targetable_people,
    untested_targets,
)
from chongdich.testing.tables import CampaignTable

UNTESTED_SHOWN = 100
PREVIEW_SHOWN = 50


@capability_required(Cap.TESTS_VIEW)
def campaign_list(request):
    table = paginate_table(
        request, CampaignTable(campaigns_with_coverage(request.user, clock.today())), per_page=30, lazy=False
    )
    return render(
        request,
        "testing/campaigns/list.html",
        {"table": table, "can_create": has_capability(request.user, Cap.TESTS_EDIT)},
    )


@capability_required(Cap.TESTS_VIEW)
def campaign_detail(request, pk: int):
    today = clock.today()
    campaign = campaign_page(request.user, pk, today=today)
    can_edit = in_scope(request.user, Cap.TESTS_EDIT, campaign)
    query = request.GET.get("q", "").strip()
    found = campaign_candidates(request.user, campaign, query) if can_edit else []
    untested = list(untested_targets(campaign, today, request.user)[:UNTESTED_SHOWN])
    audit.record_read(request, _("Campaign"), untested, found, obj=campaign)
    return render(
        request,
        "testing/campaigns/detail.html",
        {
            "campaign": campaign,
            "breadcrumbs": campaign.unit.ancestors(),
            "untested": untested,
            "untested_shown": UNTESTED_SHOWN,
            "can_edit": can_edit,
            "query": query,
            "found": found,
        },
    )


@capability_required(Cap.TESTS_EDIT)
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            do_create_campaign,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.campaign_data(),
            client_id=client_id(request),
        )
        if done:
            campaign, _created = done.value
            messages.success(request, _("The campaign was created. Now add the people it aims at."))
            return redirect(campaign)
    return render(request, "testing/campaigns/form.html", {"form": form})


@capability_required(Cap.TESTS_EDIT)
def campaign_edit(request, pk: int):
    campaign = campaign_page(request.user, pk, Cap.TESTS_EDIT)
    initial = {
        "name": campaign.name,
        "unit": campaign.unit.code,
        "target_description": campaign.target_description,
        "start": campaign.start,
        "end": campaign.end,
        "sample_kind": campaign.sample_kind,
    }
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    form.fields["unit"].disabled = True  # the target list was drawn from this area
    if request.method == "POST" and form.is_valid():
        if submit(form, do_update_campaign, request.user, campaign, data=form.campaign_data()):
            messages.success(request, _("Saved."))
            return redirect(campaign)
    return render(request, "testing/campaigns/form.html", {"form": form, "campaign": campaign})


@capability_required(Cap.TESTS_EDIT)
def campaign_targets(request, pk: int):
    """Add everyone matching a filter: the count and the first names are shown before adding."""
    campaign = campaign_page(request.user, pk, Cap.TESTS_EDIT)
    form = TargetFilterForm(request.POST or request.GET or None, campaign=campaign)
    matches, count, preview = None, 0, []
    if form.is_bound and form.is_valid():
        matches = form.apply(targetable_people(request.user, campaign))
        if request.method == "POST":
            done = submit(form, do_add_targets, request.user, campaign, matches)
            if done:
                messages.success(request, _("%(count)s people were added to the target list.") % {"count": done.value})
                return redirect(campaign)
        count, preview = target_preview(matches, PREVIEW_SHOWN)
        audit.record_read(request, _("Add people to the target list"), preview, obj=campaign, count=count)
    return render(
        request,
        "testing/campaigns/targets.html",
        {
            "campaign": campaign,
            "form": form,
            "matches": matches,
            "count": count,
            "preview": preview,
            "too_many": count > MAX_TARGETS_PER_ADD,
            "max_targets": MAX_TARGETS_PER_ADD,
            "params": [(k, v) for k, v in (form.data or {}).items() if v and k in form.fields],
        },
    )


def _posted_people(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("person") if v.isdigit()]


@require_POST
@capability_required(Cap.TESTS_EDIT)
def campaign_add(request, pk: int):
    campaign = campaign_page(request.user, pk, Cap.TESTS_EDIT)
    done = submit(request, do_add_targets, request.user, campaign, people_by_ids(request.user, _posted_people(request)))
    if done:
        messages.success(request, _("%(count)s people were added to the target list.") % {"count": done.value})
    return redirect(campaign)


@require_POST
@capability_required(Cap.TESTS_EDIT)
def campaign_remove(request, pk: int):
    campaign = campaign_page(request.user, pk, Cap.TESTS_EDIT)
    done = submit(request, do_remove_targets, request.user, campaign, _posted_people(request))
    if done:
        messages.success(request, _("%(count)s people were removed from the target list.") % {"count": done.value})
    return redirect(campaign)


@capability_required(Cap.TESTS_VIEW)
def campaign_untested_export(request, pk: int):
    campaign = campaign_page(request.user, pk)
    untested = untested_targets(campaign, clock.today(), request.user)
    content, count = export_untested(untested)
    audit.record_read(
        request,
        _("Not tested yet"),
        untested,
        obj=campaign,
        action=audit.AuditAction.EXPORT,
        count=count,
        detail={"rows": count, "list": "untested"},
    )
    return xlsx_response(content, f"chua-xet-nghiem-{campaign.pk}-{clock.today():%Y%m%d}.xlsx")
