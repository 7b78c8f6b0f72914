"""Manual result entry: on a sample's page, or by typing codes one after another at the lab bench."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.forms import submit
from chongdich.core.roles import Cap
from chongdich.testing.actions import do_record_result
from chongdich.testing.forms import ResultByCodeForm, ResultForm
from chongdich.testing.results import normalize_code
from chongdich.testing.selectors import sample_by_code, sample_page


def _record(request, form, sample) -> bool:
    data = form.cleaned_data
    done = submit(
        form,
        do_record_result,
        request.user,
        sample,
        status=data["status"],
        ct=data["ct_value"],
        result_on=data["result_on"],
        correction=data["correction"],
    )
    if done:
        messages.success(request, _("The result of %(code)s was saved.") % {"code": sample.code})
    return bool(done)


@capability_required(Cap.TESTS_EDIT)
def sample_result(request, pk: int):
    sample = sample_page(request.user, pk, Cap.TESTS_EDIT)
    initial = (
        {"status": sample.status, "ct_value": sample.ct_value, "result_on": sample.result_on}
        if sample.result_on
        else None
    )
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _record(request, form, sample):
        return redirect(sample)
    audit.record_read(request, _("Enter a result"), obj=sample)
    return render(request, "testing/samples/result_form.html", {"form": form, "sample": sample})


@capability_required(Cap.TESTS_EDIT)
def result_entry(request):
    """One result after another by sample code; the form comes back empty, keeping the date."""
    form = ResultByCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        sample = sample_by_code(request.user, code, Cap.TESTS_EDIT)
        if sample is None:
            form.add_error("code", _("No sample with code “%(code)s” was found in your area.") % {"code": code})
        elif _record(request, form, sample):
            return redirect(f"{request.path}?result_on={form.cleaned_data['result_on']:%Y-%m-%d}")
    elif request.GET.get("result_on"):
        form = ResultByCodeForm(initial={"result_on": request.GET["result_on"]})
    return render(request, "testing/results/entry.html", {"form": form})
