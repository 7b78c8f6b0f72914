"""Sampling and result dates inside their plausible windows, on the form and in the service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chongdich.testing.actions import do_register_sample
from chongdich.testing.models import Sample


@pytest.mark.parametrize("typed", ["2012-06-01", "2020-01-15", "1900-01-01"])
def test_sample_form_refuses_a_sample_before_the_epidemic_and_keeps_the_date(client_of, make_person, lab, typed):
    person = make_person(cccd=None)
    response = client_of("health").post(
        f"{reverse('testing:sample_create')}?person={person.pk}",
        {"person": person.pk, "kind": "rt_pcr", "reason": "f1", "taken_on": typed, "lab": lab.pk, "client_id": "s-1"},
    )
    assert response.status_code == 200 and "taken_on" in response.context["form"].errors
    assert "23/01/2020" in " ".join(response.context["form"].errors["taken_on"])
    assert f'value="{typed}"' in response.content.decode() and not Sample.objects.exists()


def test_the_service_refuses_a_sample_in_2012(personas, make_person):
    with pytest.raises(ValidationError) as refused:
        do_register_sample(
            personas["health"], person=make_person(cccd=None), kind="rt_pcr", reason="f1", taken_on=date(2012, 6, 1)
        )
    assert "taken_on" in refused.value.message_dict and not Sample.objects.exists()
