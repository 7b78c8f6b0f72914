"""Screening campaigns: target lists (by search or by filter), coverage, untested people and their export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import add_errors, client_id
from chongdich.core.pagination import SafePaginator
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.people.selectors import people_for, search_people
from chongdich.testing.actions import (
    MAX_TARGETS_PER_ADD,
    do_add_targets,
    do_create_campaign,
    do_remove_targets,
    do_update_campaign,
)
from chongdich.testing.exports import export_untested
from chongdich.testing.forms import CampaignForm, TargetFilterForm
from chongdich.testing.selectors import Coverage, campaigns_for, untested_targets, with_coverage

UNTESTED_SHOWN = 100
PREVIEW_SHOWN = 50


def _attach_coverage(campaigns) -> list:
    campaigns = list(campaigns)
    for campaign in campaigns:
        campaign.coverage = Coverage(campaign.target_count, campaign.tested_count)
    return campaigns


@capability_required(Cap.TESTS_VIEW)
def campaign_list(request):
    today = clock.today()
    campaigns = with_coverage(campaigns_for(request.user).select_related("unit"), today).order_by("-start", "-pk")
    page = SafePaginator(campaigns, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "testing/campaigns/list.html",
        {
            "page": page,
            "campaigns": _attach_coverage(page.object_list),
            "can_create": not scope_for(request.user, Cap.TESTS_EDIT).empty,
        },
    )


def _campaign(request, pk: int, capability: str = Cap.TESTS_VIEW):
    return get_in_scope_or_404(campaigns_for(request.user, capability).select_related("unit"), pk=pk)


@capability_required(Cap.TESTS_VIEW)
def campaign_detail(request, pk: int):
    today = clock.today()
    found_campaigns = _attach_coverage(
        with_coverage(campaigns_for(request.user).select_related("unit").filter(pk=pk), today)
    )
    if not found_campaigns:
        raise Http404
    campaign = found_campaigns[0]
    can_edit = scope_for(request.user, Cap.TESTS_EDIT).contains(campaign.unit_path)
    query = request.GET.get("q", "").strip()
    found = []
    if can_edit and query:
        people = people_for(request.user).filter(unit_path__startswith=campaign.unit_path).select_related("unit")
        found = list(search_people(request.user, query, base=people).exclude(campaigns=campaign)[:20])
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
        try:
            campaign, _created = do_create_campaign(
                request.user, unit=form.cleaned_data["unit"], data=form.campaign_data(), client_id=client_id(request)
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The campaign was created. Now add the people it aims at."))
            return redirect("testing:campaign", pk=campaign.pk)
    return render(request, "testing/campaigns/form.html", {"form": form})


@capability_required(Cap.TESTS_EDIT)
def campaign_edit(request, pk: int):
    campaign = _campaign(request, pk, Cap.TESTS_EDIT)
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
        try:
            do_update_campaign(request.user, campaign, data=form.campaign_data())
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("testing:campaign", pk=campaign.pk)
    return render(request, "testing/campaigns/form.html", {"form": form, "campaign": campaign})


@capability_required(Cap.TESTS_EDIT)
def campaign_targets(request, pk: int):
    """Add everyone matching a filter: the count and the first names are shown before adding."""
    campaign = _campaign(request, pk, Cap.TESTS_EDIT)
    form = TargetFilterForm(request.POST or request.GET or None, campaign=campaign)
    matches, count, preview = None, 0, []
    if form.is_bound and form.is_valid():
        people = people_for(request.user).filter(unit_path__startswith=campaign.unit_path).exclude(campaigns=campaign)
        matches = form.apply(people)
        count = matches.count()
        if request.method == "POST":
            try:
                added = do_add_targets(request.user, campaign, matches)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("%(count)s people were added to the target list.") % {"count": added})
                return redirect("testing:campaign", pk=campaign.pk)
        preview = list(matches.select_related("unit").order_by("unit_path", "folded_name", "pk")[:PREVIEW_SHOWN])
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
    campaign = _campaign(request, pk, Cap.TESTS_EDIT)
    people = people_for(request.user).filter(pk__in=_posted_people(request))
    try:
        added = do_add_targets(request.user, campaign, list(people))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("%(count)s people were added to the target list.") % {"count": added})
    return redirect("testing:campaign", pk=campaign.pk)


@require_POST
@capability_required(Cap.TESTS_EDIT)
def campaign_remove(request, pk: int):
    campaign = _campaign(request, pk, Cap.TESTS_EDIT)
    try:
        removed = do_remove_targets(request.user, campaign, _posted_people(request))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)s people were removed from the target list.") % {"count": removed})
    return redirect("testing:campaign", pk=campaign.pk)


@capability_required(Cap.TESTS_VIEW)
def campaign_untested_export(request, pk: int):
    campaign = _campaign(request, pk)
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
