"""publish: idempotent by key, recipients by unit and role (guarantee 1), mutes, the outbox rows."""

from __future__ import annotations

import pytest
from django.utils import translation

from chongdich.accounts.models import Grant, User
from chongdich.notices import actions
from chongdich.notices.models import Delivery, Mute, Notice, Preference, Receipt
from tests.notices.conftest import NATIONAL_KIND, TEST_KIND

pytestmark = pytest.mark.django_db


def receivers(notice):
    return set(Receipt.objects.filter(notice=notice).values_list("user__username", flat=True))


def publish(unit, key="k1", **kw):
    return actions.publish(TEST_KIND.code, unit, key, {"unit": unit.name, "level": "3"}, link="/", **kw)


def test_publish_is_idempotent_by_key(world, personas):
    notice, created = publish(world.commune)
    again, created_again = publish(world.commune)
    assert created and not created_again
    assert again.pk == notice.pk
    assert Notice.objects.count() == 1
    assert Receipt.objects.filter(notice=notice).count() == len(receivers(notice))


def test_recipients_are_the_unit_and_the_units_above_with_a_role_of_the_kind(world, personas):
    notice, _ = publish(world.commune)
    # commune committee and health staff of the commune, district and province committees above it;
    # not the other commune's committee (a sibling), not the viewer (role not in the kind), not the
    # checkpoint officer, not the community team of a village below (a child-only grant).
    assert receivers(notice) == {"commune", "health", "district", "province"}


def test_a_notice_about_a_village_reaches_its_commune_but_a_commune_notice_not_the_village(world, personas):
    Grant.objects.create(user=personas["community"], role="health_staff", unit=world.village)
    village_notice, _ = publish(world.village, key="village")
    commune_notice, _ = publish(world.commune, key="commune")
    assert "community" in receivers(village_notice)
    assert "community" not in receivers(commune_notice)


def test_other_area_and_sibling_get_nothing(world, personas):
    notice, _ = publish(world.other_commune)
    assert receivers(notice) == {"other_commune", "district", "province"}
    far, _ = publish(world.far_commune, key="far")
    assert receivers(far) == set()


def test_muted_and_inactive_users_receive_nothing(world, personas):
    Mute.objects.create(user=personas["health"], kind=TEST_KIND.code)
    User.objects.filter(pk=personas["district"].pk).update(is_active=False)
    notice, _ = publish(world.commune)
    assert receivers(notice) == {"commune", "province"}


def test_a_national_kind_reaches_national_administrators_anywhere(world, personas):
    notice, _ = actions.publish(NATIONAL_KIND.code, world.far_commune, "n1", {})
    assert receivers(notice) == {"national"}


def test_deliveries_follow_preferences_and_addresses(world, personas):
    User.objects.filter(username="commune").update(email="commune@example.vn", phone="+84911111111")
    User.objects.filter(username="district").update(email="district@example.vn")
    Preference.objects.create(user=personas["province"], email="danger")  # a warning is below it
    User.objects.filter(username="province").update(email="province@example.vn")
    notice, _ = publish(world.commune)
    rows = set(Delivery.objects.values_list("receipt__user__username", "channel"))
    # warning: email by default (from warnings on), SMS only for dangers by default
    assert rows == {("commune", "email"), ("district", "email")}
    publish(world.commune, key="k2", severity="danger")
    rows = set(Delivery.objects.filter(receipt__notice__key="k2").values_list("receipt__user__username", "channel"))
    assert rows == {("commune", "email"), ("commune", "sms"), ("district", "email"), ("province", "email")}


def test_unknown_kind_and_bad_arguments_are_programming_errors(world):
    with pytest.raises(LookupError):
        actions.publish("nobody.registered", world.commune, "x", {})
    with pytest.raises(ValueError):
        actions.publish(TEST_KIND.code, world.commune, "", {})
    with pytest.raises(ValueError):
        actions.publish(TEST_KIND.code, world.commune, "x", {}, severity="loud")
    with pytest.raises(ValueError):
        actions.publish(TEST_KIND.code, world.commune, "x", {}, link="https://evil.example/")


def test_text_is_rendered_in_the_readers_language_never_stored(world, personas):
    notice, _ = publish(world.commune)
    assert "text" not in notice.params
    with translation.override("en"):
        assert notice.text == "The level of Xã Đức Hạnh rose to 3"
    notice.params = {}
    assert "…" in notice.text  # a missing param never raises
