"""The certificates list as a table: a person, their doses, the link to their certificate."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chongdich.people.models import Person

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}


class CertificateTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("Full name"),
        order_by=("folded_name", "pk"),
        linkify=lambda record: reverse("vaccination:certificate", args=[record.pk]),
    )
    born = tables.Column(verbose_name=_("Date of birth"), accessor="birth_year", order_by=("birth_year", "pk"))
    unit = tables.Column(verbose_name=_("Area"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    doses = tables.Column(verbose_name=_("Doses"))
    last_dose = tables.DateColumn(verbose_name=_("Last dose"), format="d/m/Y")

    class Meta:
        model = Person
        fields = ("full_name", "born", "unit", "doses", "last_dose")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "certificates-table"}
        empty_text = _("Nobody with a recorded dose matches.")

    def render_born(self, record):
        return record.date_of_birth.strftime("%d/%m/%Y") if record.date_of_birth else record.birth_year
