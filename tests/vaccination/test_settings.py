"""The province's vaccination rules page: the catalogue in force, the province committee's overrides
(checked by the rules before they are saved, audited), refusals kept on the form, never a 500."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.vaccination import rules
from chongdich.vaccination.configuration import config_for
from chongdich.vaccination.models import ProvinceVaccinationSetting

ON = date(2021, 10, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned(settings):
    settings.CHONGDICH_TODAY = ON.isoformat()


def _four_weeks_json() -> str:
    version = rules.az_four_weeks("70")
    return json.dumps(
        [
            {
                "key": version.key,
                "version": version.version,
                "effective_from": version.effective_from.isoformat(),
                "province": "70",
                "values": version.values,
                "source": version.source,
            }
        ]
    )


def _az_minimum(province_code: str | None) -> int:
    return config_for(province_code).products(ON, province_code)["AZ"].interval(1).min_days


def test_the_page_shows_the_catalogue_in_force(world, client_of):
    page = client_of("commune").get(reverse("vaccination:rules"), {"on": "2021-10-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "AstraZeneca" in text and "Pfizer" in text
    assert page.context["catalogue"].groups, "the priority groups in force are listed"
    assert page.context["form"] is None, "a commune officer reads the rules, the province sets them"
    before = client_of("commune").get(reverse("vaccination:rules"), {"on": "2021-02-01"})
    assert before.status_code == 200 and before.context["catalogue"] is None


def test_the_province_lowers_the_astrazeneca_interval_and_it_applies(world, client_of, personas):
    assert _az_minimum("70") == 56
    page = client_of("province").post(reverse("vaccination:rules"), {"province": "70", "versions": _four_weeks_json()})
    assert page.status_code == 302
    assert _az_minimum("70") == 28, "the province's override is in force"
    assert _az_minimum("71") == 56, "other provinces keep the national interval"
    setting = ProvinceVaccinationSetting.objects.get(province__code="70")
    assert setting.updated_by == personas["province"]
    assert AuditEvent.objects.filter(unit_path="/70/", object_type="vaccination.provincevaccinationsetting").exists()


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"key": "x"}',
        '[{"key": "vaccination.products", "version": "x", "effective_from": "2021-09-20", "values": {}}]',
        '[{"key": "vaccination.nope", "version": "x", "effective_from": "2021-09-20", "values": {}, "province": "70"}]',
        '[{"key": "vaccination.products", "version": "x", "effective_from": "2021-09-20", "province": "70",'
        ' "values": {"products": {"AZ": {"intervals": {"1": {"min_days": 7}}}}}}]',
    ],
)
def test_a_bad_override_is_refused_on_the_form(world, client_of, text):
    page = client_of("province").post(reverse("vaccination:rules"), {"province": "70", "versions": text})
    assert page.status_code == 200
    assert page.context["form"].errors, "the refusal is shown"
    assert text in page.content.decode() or page.context["form"]["versions"].value() == text, "what was typed stays"
    assert not ProvinceVaccinationSetting.objects.exists()


def test_only_the_province_committee_may_save(world, client_of):
    for persona in ("commune", "district"):
        answer = client_of(persona).post(reverse("vaccination:rules"), {"province": "70", "versions": "[]"})
        assert answer.status_code == 404
    assert not ProvinceVaccinationSetting.objects.exists()


def test_another_province_is_not_found(world, client_of):
    assert client_of("commune").get(reverse("vaccination:rules"), {"province": "79"}).status_code == 404
    assert client_of("commune").get(reverse("vaccination:rules"), {"on": "not a date"}).status_code == 200
