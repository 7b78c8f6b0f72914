"""The catalogue in force for a province (products, intervals, mixing, boosters, priority groups, the
coverage target) and, for the province's committee, its overrides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.access import capability_required
from chongdich.core.forms import submit
from chongdich.vaccination.actions import settings as actions
from chongdich.vaccination.forms.settings import CatalogueDayForm, ProvinceRulesForm
from chongdich.vaccination.models import VIEW
from chongdich.vaccination.selectors import settings as selectors


@capability_required(VIEW)
def rules_page(request):
    provinces = selectors.provinces_for(request.user)
    if not provinces:
        raise Http404
    chosen = request.GET.get("province") or request.POST.get("province") or provinces[0].code
    province = next((unit for unit in provinces if unit.code == chosen), None)
    if province is None:
        raise Http404
    day_form = CatalogueDayForm(request.GET or None)
    on = day_form.cleaned_data.get("on") if day_form.is_valid() else None
    on = on or clock.today()
    can_edit = selectors.may_edit(request.user, province)
    form = ProvinceRulesForm(request.POST or None, initial={"versions": selectors.overrides_text(province)})
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid() and submit(
            form, actions.do_save_province_rules, request.user, province, form.cleaned_data["versions"]
        ):
            messages.success(request, _("The province's vaccination rules are saved."))
            return redirect(f"{request.path}?province={province.code}")
    return render(
        request,
        "vaccination/settings/rules.html",
        {
            "provinces": provinces,
            "province": province,
            "day_form": day_form,
            "catalogue": selectors.catalogue(province.code, on),
            "on": on,
            "form": form if can_edit else None,
        },
    )
