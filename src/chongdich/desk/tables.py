from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from chongdich.core.models import AuditEvent
from chongdich.core.templatetags.chongdich import actor_name

SMALL = {"td": {"class": "small"}}
SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm small"}}

# The record of an event: linked to its page when in the user's area, else only "a record of another area".
RECORD = (
    "{% load i18n chongdich %}{% if record.in_scope %}"
    '{% if record.url %}<a href="{{ record.url }}">{{ record.object_label|default:record.object_id }}</a>'
    "{% else %}{{ record.object_label }}{% endif %}"
    ' <span class="text-secondary">· {{ record.object_type|model_label }}</span>'
    '{% if record.action == "search" and record.detail.q %} <span class="text-secondary">“{{ record.detail.q }}”</span>{% endif %}'
    '{% if record.detail.rows %} <span class="text-secondary">({{ record.detail.rows }} {% translate "rows" %})</span>{% endif %}'
    '{% else %}<span class="text-secondary">{% translate "A record of another area" %}</span>{% endif %}'
)


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("Time"), format="d/m/Y H:i:s", attrs=SMALL)
    actor = tables.Column(verbose_name=_("User"), empty_values=())
    action = tables.Column(verbose_name=_("Action"))
    record = tables.TemplateColumn(RECORD, verbose_name=_("Record"), empty_values=(), attrs=SMALL)
    ip = tables.Column(verbose_name=_("Address"), default="", attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = AuditEvent
        fields = ("at", "actor", "action", "record", "ip")
        orderable = False
        attrs = {"class": "table table-sm bg-white", "id": "audit-table"}
        empty_text = _("Nothing recorded.")

    def render_actor(self, record):
        return actor_name(record)
