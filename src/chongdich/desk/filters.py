"""Filters of the audit log."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chongdich.core import selectors
from chongdich.core.models import AuditAction


class AuditFilter(django_filters.FilterSet):
    """Events the user may read (their area's, and their own actions), by action and by user."""

    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices, empty_label=_("All actions"))
    actor = django_filters.CharFilter(label=_("User"), field_name="actor_label", lookup_expr="icontains")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, selectors.audit_events(user), **kwargs)
        self.form.fields["action"].widget.attrs.update({"class": "form-select", "aria-label": _("Action")})
        self.form.fields["actor"].widget.attrs.update(
            {"class": "form-control", "placeholder": _("User"), "aria-label": _("User")}
        )
