"""Admission and quarantine dates inside their plausible windows: a future last exposure at a facility
admission (or a year typed wrong) is refused on the form and by the service, with what was typed kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chongdich.care.actions import do_admit, do_order_home_quarantine
from chongdich.care.models import HomeOrder, Stay
from chongdich.core import clock


def admission(person, **extra):
    return {
        "person": person.pk,
        "purpose": "quarantine_entrant",
        "bed_type": "quarantine",
        "on": "2022-03-02",
        "client_id": "adm-1",
        **extra,
    }


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("last_exposure", (date.today() + timedelta(days=3)).isoformat()),  # a future exposure
        ("last_exposure", "2012-03-01"),
        ("on", "2012-03-02"),
        ("last_dose", "1921-03-01"),
    ],
)
def test_admission_with_an_implausible_date_is_refused_and_kept(client_of, quarantine_site, make_person, field, typed):
    person = make_person(full_name="Phạm Văn Ba")
    response = client_of("commune").post(
        reverse("care:admit", args=[quarantine_site.pk]), admission(person, **{field: typed})
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    assert f'value="{typed}"' in response.content.decode()
    assert not Stay.objects.exists()


def test_the_service_refuses_a_future_exposure_at_admission(personas, quarantine_site, make_person):
    with pytest.raises(ValidationError) as refused:
        do_admit(
            personas["commune"],
            make_person(),
            facility=quarantine_site,
            bed_type="quarantine",
            purpose="quarantine_entrant",
            on=date(2022, 3, 2),
            last_exposure=clock.today() + timedelta(days=1),
        )
    assert "last_exposure" in refused.value.message_dict and not Stay.objects.exists()


def test_home_quarantine_from_2012_is_refused(personas, make_person):
    with pytest.raises(ValidationError) as refused:
        do_order_home_quarantine(personas["commune"], make_person(), last_exposure=date(2012, 3, 1))
    assert "last_exposure" in refused.value.message_dict and not HomeOrder.objects.exists()
