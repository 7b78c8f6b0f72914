from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.care import case_link
from chongdich.care.actions import do_admit, do_discharge, do_transfer
from chongdich.care.forms import AdmitForm, DischargeForm, TransferForm
from chongdich.care.models import BedType, StayPurpose
from chongdich.care.selectors import (
    active_orders_of,
    last_f1_contact,
    open_facilities,
    open_facility_page,
    open_stay_of,
    stay_page,
    with_beds,
)
from chongdich.care.views.common import candidates, picked_person
from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.roles import Cap


def _admission_defaults(person) -> dict:
    """Purpose and exposure day guessed from the person's case or F1 contact records."""
    if case_link.active_case_of(person.pk) is not None:
        return {"purpose": StayPurpose.TREATMENT, "bed_type": BedType.TREATMENT}
    contact = last_f1_contact(person)
    if contact is not None:
        return {
            "purpose": StayPurpose.QUARANTINE_F1,
            "bed_type": BedType.QUARANTINE,
            "last_exposure": contact.last_exposure,
        }
    return {"purpose": StayPurpose.QUARANTINE_ENTRANT, "bed_type": BedType.QUARANTINE}


@capability_required(Cap.CARE_EDIT)
def admit(request, pk: int):
    """Choose a person (search), then admit them: purpose, bed type, date, overflow."""
    facility = open_facility_page(request.user, pk)
    person = picked_person(request, Cap.PEOPLE_VIEW)
    if person is None:
        query, found = candidates(request)
        if query:
            audit.record_read(request, _("Admit"), found, obj=facility)
        return render(
            request, "care/admit.html", {"facility": with_beds([facility])[0], "query": query, "found": found}
        )
    form = AdmitForm(request.POST or None, initial=_admission_defaults(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_admit,
            request.user,
            person,
            facility=facility,
            bed_type=data["bed_type"],
            purpose=data["purpose"],
            on=data["on"],
            overflow=data["overflow"],
            last_exposure=data.get("last_exposure"),
            vaccination=form.vaccination(),
            note=data.get("note") or "",
            client_id=client_id(request),
        )
        if done:
            messages.success(
                request,
                _("%(name)s was admitted to %(facility)s.") % {"name": person.full_name, "facility": facility.name},
            )
            return redirect(facility)
    audit.record_read(request, _("Admit"), [person], obj=facility)
    return render(
        request,
        "care/admit.html",
        {
            "facility": with_beds([facility])[0],
            "person": person,
            "form": form,
            "current": open_stay_of(person.pk),
            "orders": active_orders_of(person.pk),
        },
    )


@capability_required(Cap.CARE_EDIT)
def discharge(request, pk: int):
    stay = stay_page(request.user, pk)
    form = DischargeForm(
        request.POST or None, initial={"reason": "recovered" if stay.purpose == StayPurpose.TREATMENT else "completed"}
    )
    if request.method == "POST" and form.is_valid():
        if submit(form, do_discharge, request.user, stay, **form.cleaned_data):
            messages.success(request, _("%(name)s was discharged.") % {"name": stay.person.full_name})
            return redirect(stay.facility)
    audit.record_read(request, _("Discharge"), obj=stay)
    return render(request, "care/stay_form.html", {"stay": stay, "form": form, "title": _("Discharge")})


@capability_required(Cap.CARE_EDIT)
def transfer(request, pk: int):
    stay = stay_page(request.user, pk)
    form = TransferForm(
        request.POST or None, facilities=open_facilities(request.user), initial={"bed_type": stay.bed_type}
    )
    if request.method == "POST" and form.is_valid():
        done = submit(form, do_transfer, request.user, stay, **form.cleaned_data)
        if done:
            new = done.value
            messages.success(
                request,
                _("%(name)s was transferred to %(facility)s.")
                % {"name": stay.person.full_name, "facility": new.facility.name},
            )
            return redirect(new.facility)
    audit.record_read(request, _("Transfer"), obj=stay)
    return render(request, "care/stay_form.html", {"stay": stay, "form": form, "title": _("Transfer")})


@capability_required(Cap.CARE_EDIT)
def admit_choice(request):
    """The person page's "Admit to [facility]" form (GET, no JavaScript) → that facility's admission form."""
    facility, person = request.GET.get("facility", ""), request.GET.get("person", "")
    if not (facility.isdigit() and person.isdigit()):
        raise Http404
    return redirect(f"{reverse('care:admit', args=[int(facility)])}?person={int(person)}")
