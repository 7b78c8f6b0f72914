from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from chongdich.care.worklists import DEFAULT_FOLLOW_UP_HOURS, work_lists
from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability

HOURS_CHOICES = (12, 24, 36, 48)


@capability_required(Cap.CARE_VIEW)
def today(request):
    """Tests due today, quarantines ending today, overdue follow-ups and open alerts, in the user's area."""
    hours = request.GET.get("hours", "")
    hours = int(hours) if hours.isdigit() and int(hours) in HOURS_CHOICES else DEFAULT_FOLLOW_UP_HOURS
    lists = work_lists(request.user, hours=hours)
    audit.record_read(request, _("Today's work"), *(section.rows for section in lists.sections))
    return render(
        request,
        "care/worklist.html",
        {
            "lists": lists,
            "hours_choices": HOURS_CHOICES,
            "can_edit": has_capability(request.user, Cap.CARE_EDIT),
        },
    )
