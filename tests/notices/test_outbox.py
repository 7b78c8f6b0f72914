"""The outbox: email through Django's backend, SMS/Zalo through the configured gateway; a failing
gateway is retried with a backoff, then given up; nothing is sent twice; the daily digest once per day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.notices import actions, outbox
from chongdich.notices.models import Delivery, DeliveryStatus, Digest, Preference, Receipt
from tests.notices.conftest import TEST_KIND

pytestmark = pytest.mark.django_db


class BrokenGateway:
    calls = 0

    def __init__(self, channel=""):
        self.channel = channel

    def send(self, to, text):
        BrokenGateway.calls += 1
        raise ConnectionError("gateway down")


@pytest.fixture
def addresses(world, personas):
    User.objects.filter(username="commune").update(email="commune@example.vn", phone="+84911111111")
    User.objects.filter(username="district").update(email="district@example.vn")
    Preference.objects.create(user=personas["commune"], sms="warning", zalo="warning")


def publish(unit, key="k1", **kw):
    return actions.publish(TEST_KIND.code, unit, key, {"unit": unit.name, "level": "3"}, link="/risk/", **kw)[0]


def test_sends_by_every_channel_once(world, addresses, memory_gateways):
    publish(world.commune)
    result = outbox.send_pending()
    assert result.sent == 4  # commune: email, SMS, Zalo; district: email
    assert sorted(m.to[0] for m in mail.outbox) == ["commune@example.vn", "district@example.vn"]
    assert sorted((s.channel, s.to) for s in memory_gateways) == [("sms", "+84911111111"), ("zalo", "+84911111111")]
    # in the recipient's language (Vietnamese), rendered now, the link on its own line
    assert "Xã Đức Hạnh" in memory_gateways[0].text and memory_gateways[0].text.endswith("/risk/")
    assert mail.outbox[0].subject.startswith("[Chống dịch]")
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # a second run, or a re-publish of the same key, sends nothing more
    assert outbox.send_pending().sent == 0
    publish(world.commune)
    assert outbox.send_pending().sent == 0
    assert len(mail.outbox) == 2 and len(memory_gateways) == 2


def test_a_failing_gateway_is_retried_with_backoff_then_given_up(world, addresses, settings, memory_gateways):
    settings.CHONGDICH_SMS_GATEWAY = "tests.notices.test_outbox.BrokenGateway"
    settings.CHONGDICH_NOTICE_MAX_ATTEMPTS = 3
    BrokenGateway.calls = 0
    publish(world.commune)
    result = outbox.send_pending()
    assert result.sent == 3 and result.retried == 1
    sms = Delivery.objects.get(channel="sms")
    assert sms.status == DeliveryStatus.PENDING and sms.attempts == 1 and "gateway down" in sms.last_error
    assert sms.due_at > timezone.now()  # waits for its backoff: not retried at once
    assert outbox.send_pending().retried == 0 and BrokenGateway.calls == 1
    for attempt in (2, 3):
        Delivery.objects.filter(pk=sms.pk).update(due_at=timezone.now() - timedelta(seconds=1))
        outbox.send_pending()
        assert Delivery.objects.get(pk=sms.pk).attempts == attempt
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.FAILED and BrokenGateway.calls == 3
    Delivery.objects.filter(pk=sms.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert outbox.send_pending().sent == 0 and BrokenGateway.calls == 3  # given up: never again


def test_a_worker_that_died_after_its_claim_leaves_the_row_to_another(world, addresses, memory_gateways):
    publish(world.commune)
    claimed = outbox._claim(Delivery, timezone.now(), 100)  # claimed, then the worker "dies"
    assert len(claimed) == 4
    assert outbox.send_pending().sent == 0  # leased: not taken again at once
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))  # the lease ran out
    assert outbox.send_pending().sent == 4
    assert len(mail.outbox) == 2


def test_a_claimed_row_is_claimed_once(world, addresses):
    publish(world.commune)
    now = timezone.now()
    first = outbox._claim(Delivery, now, 100)
    second = outbox._claim(Delivery, now, 100)
    assert len(first) == 4 and second == []


def test_address_removed_since_publish_is_a_failed_attempt(world, addresses, memory_gateways):
    publish(world.commune)
    User.objects.filter(username="district").update(email="")
    result = outbox.send_pending()
    assert result.sent == 3 and result.retried == 1


def test_digest_once_per_user_and_day(world, personas, addresses):
    day = date(2026, 12, 8)
    publish(world.commune, "a", day=day)
    publish(world.commune, "b", day=day)
    publish(world.commune, "other-day", day=day - timedelta(days=1))
    mail.outbox.clear()
    Receipt.objects.filter(user=personas["district"], notice__key="a").update(read_at=timezone.now())
    result = outbox.send_digests(day)
    assert result.sent == 2
    by_user = {m.to[0]: m for m in mail.outbox}
    assert set(by_user) == {"commune@example.vn", "district@example.vn"}
    assert "2" in by_user["commune@example.vn"].subject
    assert by_user["district@example.vn"].body.count("Xã Đức Hạnh") == 1  # only the unread one
    assert Digest.objects.get(user=personas["commune"], day=day).count == 2
    # again: nothing more
    assert outbox.send_digests(day).sent == 0
    call_command("send_digests", "--day", day.isoformat())
    assert len(mail.outbox) == 2


def test_digest_respects_the_preference(world, personas, addresses):
    day = date(2026, 12, 8)
    Preference.objects.filter(user=personas["commune"]).update(digest=False)
    publish(world.commune, "a", day=day)
    mail.outbox.clear()
    outbox.send_digests(day)
    assert [m.to[0] for m in mail.outbox] == ["district@example.vn"]


def test_publish_queues_sending_after_commit(world, addresses, memory_gateways, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.commune)
    # the immediate task backend of the tests ran send_notices once the publish committed
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_commands(world, addresses, memory_gateways, capsys):
    publish(world.commune)
    call_command("send_notices")
    assert "sent: 4" in capsys.readouterr().out
    with pytest.raises(Exception, match="--day"):
        call_command("send_digests", "--day", "yesterday")


def test_with_the_database_worker_the_task_is_queued_with_the_deliveries(world, addresses, settings):
    from django_tasks_db.models import DBTaskResult

    from chongdich.notices.tasks import send_notices

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    publish(world.commune)  # no commit in this test: the task row is written in the same transaction
    publish(world.commune, key="k2")
    assert DBTaskResult.objects.filter(task_path=send_notices.module_path, status="READY").count() == 1
