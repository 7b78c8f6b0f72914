"""The province's movement settings: its committee edits them, the others read them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core.access import capability_required
from chongdich.core.forms import submit
from chongdich.movement.actions.settings import do_save_movement_settings
from chongdich.movement.forms.settings import LEVEL_CHOICES, MovementSettingsForm
from chongdich.movement.models import VIEW
from chongdich.movement.selectors import settings as selectors


@capability_required(VIEW)
def settings_page(request):
    provinces = selectors.provinces_for(request.user)
    if not provinces:
        raise Http404
    chosen = request.GET.get("province") or request.POST.get("province") or provinces[0].code
    province = next((unit for unit in provinces if unit.code == chosen), None)
    if province is None:
        raise Http404
    setting = selectors.setting_for(province.code)
    can_edit = selectors.may_edit(request.user, province)
    watched = selectors.watched_units_of(setting)
    found = []
    if request.method == "POST":
        if not can_edit:
            raise Http404
        posted = selectors.units_of_codes(request.POST.getlist("watched_units")[:500])
        found = selectors.find_units(request.POST.get("unit_query", ""))
        units = list({unit.code: unit for unit in [*posted, *found]}.values())
        form = MovementSettingsForm(request.POST, unit_choices=_choices(units))
        if request.POST.get("action") != "find" and form.is_valid():
            if submit(form, do_save_movement_settings, request.user, province, form.values()):
                messages.success(request, _("The province's movement settings are saved."))
                return redirect(f"{request.path}?province={province.code}")
    else:
        form = MovementSettingsForm(
            initial={
                "alert_levels": setting.alert_levels,
                "watched_units": [unit.code for unit in watched],
                "trip_grace_minutes": setting.trip_grace_minutes,
                "checkin_stay_minutes": setting.checkin_stay_minutes,
                "checkin_margin_minutes": setting.checkin_margin_minutes,
            },
            unit_choices=_choices(watched),
        )
    levels = dict(LEVEL_CHOICES)
    return render(
        request,
        "movement/settings/settings.html",
        {
            "provinces": provinces,
            "province": province,
            "setting": setting,
            "form": form if can_edit else None,
            "searched": request.method == "POST" and request.POST.get("action") == "find",
            "found": found,
            "levels": [levels[level] for level in setting.alert_levels if level in levels],
            "watched": [selectors.unit_label(unit) for unit in watched],
        },
    )


def _choices(units) -> list[tuple[str, str]]:
    return [(unit.code, selectors.unit_label(unit)) for unit in units]
