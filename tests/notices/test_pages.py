"""The pages through the client: the bell on every signed-in page, the list (own receipts only, filters,
mark read), opening a notice, the settings."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from chongdich.accounts.models import Grant
from chongdich.core.models import AuditEvent
from chongdich.notices import actions
from chongdich.notices.models import Mute, Preference, Receipt
from tests.notices.conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def publish(unit, key, link="/"):
    return actions.publish(TEST_KIND.code, unit, key, {"unit": unit.name, "level": "3"}, link=link)[0]


def test_bell_shows_the_unread_count_on_every_signed_in_page(world, personas, client_of):
    publish(world.commune, "a")
    publish(world.commune, "b")
    page = client_of("commune").get(reverse("home")).content.decode()
    assert 'id="notice-bell"' in page and 'id="notice-bell-count">2<' in page
    # the viewer receives nothing of this kind: a bell without a count
    page = client_of("viewer").get(reverse("home")).content.decode()
    assert 'id="notice-bell"' in page and "notice-bell-count" not in page
    assert 'id="notice-bell"' not in client_of(None).get(reverse("accounts:login")).content.decode()


def test_bell_count_is_one_query(world, personas, client_of, django_assert_max_num_queries):
    publish(world.commune, "a")
    request = RequestFactory().get("/")
    request.user = personas["commune"]
    request.user._chongdich_grants = [("commune_committee", world.commune.path)]  # grants read by the page already
    with django_assert_max_num_queries(1):
        html = Template("{% load notices %}{% notice_bell %}").render(Context({"request": request}))
    assert ">1<" in html


def test_list_shows_only_own_receipts_and_filters(world, personas, client_of):
    publish(world.commune, "mine")
    publish(world.other_commune, "theirs")
    c = client_of("commune")
    page = c.get(reverse("notices:list")).content.decode()
    assert "Xã Đức Hạnh" in page and "Xã Phú Văn" not in page.split('id="notice-table"')[1]
    assert c.get(reverse("notices:list"), {"state": "unread"}).status_code == 200
    assert c.get(reverse("notices:list"), {"kind": TEST_KIND.code, "page": "x"}).status_code == 200
    # an unknown filter value shows nothing rather than an error
    assert c.get(reverse("notices:list"), {"state": "bogus"}).status_code == 200


def test_another_users_notice_is_404_and_opening_marks_read(world, personas, client_of):
    mine = publish(world.commune, "mine", link="/territory/")
    theirs = publish(world.other_commune, "theirs")
    c = client_of("commune")
    assert c.get(reverse("notices:open", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("notices:open", args=[999999])).status_code == 404
    answer = c.get(reverse("notices:open", args=[mine.pk]))
    assert answer.status_code == 302 and answer["Location"] == "/territory/"
    assert Receipt.objects.get(user=personas["commune"], notice=mine).read_at is not None
    # the district's receipt of the same notice is untouched
    assert Receipt.objects.get(user=personas["district"], notice=mine).read_at is None


def test_mark_one_and_all_read(world, personas, client_of):
    a = publish(world.commune, "a")
    publish(world.commune, "b")
    theirs = publish(world.other_commune, "theirs")
    c = client_of("district")
    c.post(reverse("notices:read"), {"notice": a.pk})
    assert Receipt.objects.filter(user=personas["district"], read_at__isnull=True).count() == 2
    c.post(reverse("notices:read"), {"all": "1", "next": "/notices/?state=unread"})
    assert not Receipt.objects.filter(user=personas["district"], read_at__isnull=True).exists()
    # someone else's receipts are never touched
    assert Receipt.objects.filter(user=personas["other_commune"], notice=theirs, read_at__isnull=True).exists()
    assert c.post(reverse("notices:read"), {"notice": "abc"}).status_code == 302


def test_a_grant_taken_away_takes_its_notices_off_the_pages(world, personas, client_of):
    notice = publish(world.commune, "a")
    user = personas["health"]
    Grant.objects.filter(user=user).update(unit=world.far_commune)
    c = client_of("health")
    assert c.get(reverse("notices:open", args=[notice.pk])).status_code == 404
    assert "notice-bell-count" not in c.get(reverse("notices:list")).content.decode()


def test_settings_mute_and_channels(world, personas, client_of):
    c = client_of("commune")
    page = c.get(reverse("notices:settings")).content.decode()
    assert TEST_KIND.code in page
    answer = c.post(reverse("notices:settings"), {"email": "danger", "sms": "off", "zalo": "info", "digest": ""})
    assert answer.status_code == 302
    user = personas["commune"]
    assert Mute.objects.filter(user=user, kind=TEST_KIND.code).exists()
    preference = Preference.objects.get(user=user)
    assert (preference.email, preference.sms, preference.zalo, preference.digest) == ("danger", "off", "info", False)
    assert AuditEvent.objects.filter(actor=user, detail__has_key="notice_mute").exists()
    assert AuditEvent.objects.filter(actor=user, detail__has_key="notice_channels").exists()
    # muted: the next notice does not reach them
    notice = publish(world.commune, "after-mute")
    assert not Receipt.objects.filter(user=user, notice=notice).exists()
    # receive it again
    c.post(
        reverse("notices:settings"),
        {"email": "danger", "sms": "off", "zalo": "info", "receive": [TEST_KIND.code]},
    )
    assert not Mute.objects.filter(user=user, kind=TEST_KIND.code).exists()


def test_settings_refuse_odd_values_with_the_form_kept(world, personas, client_of):
    c = client_of("commune")
    answer = c.post(reverse("notices:settings"), {"email": "loud", "sms": "off", "zalo": "off", "receive": ["x"]})
    assert answer.status_code == 422
    assert not Preference.objects.filter(user=personas["commune"]).exists()
