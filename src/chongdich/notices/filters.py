"""Filters of the notifications list: unread or all, and the kind."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chongdich.notices.selectors import kind_choices

UNREAD, READ = "unread", "read"


class ReceiptFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(UNREAD, _("Unread")), (READ, _("Read"))],
        empty_label=_("All"),
        method="in_state",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="notice__kind", choices=kind_choices, empty_label=_("All kinds")
    )

    def in_state(self, queryset, name, value):
        if value == UNREAD:
            return queryset.filter(read_at__isnull=True)
        if value == READ:
            return queryset.filter(read_at__isnull=False)
        return queryset

    def results(self):
        """The rows the filters select; an invalid filter value shows everything rather than an error."""
        return self.qs if self.is_valid() else self.queryset
