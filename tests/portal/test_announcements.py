"""Announcements: written by the committees in scope (audited), shown on the pages of their area and
the areas inside it while published; level changes announced 48 hours ahead are announced on the
portal automatically, once, and marked cancelled when a later assessment reverses them."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.models import AuditEvent
from chongdich.portal.actions import (
    do_create_announcement,
    do_edit_announcement,
    do_sync_level_announcements,
    do_withdraw_announcement,
)
from chongdich.portal.models import Announcement, AnnouncementKind
from tests.portal.conftest import DAY, at

pytestmark = pytest.mark.django_db


def page(client, path):
    cache.clear()
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_district_announcement_shows_on_its_communes(levels, personas, anonymous):
    item = do_create_announcement(
        personas["district"],
        levels.district,
        kind=AnnouncementKind.MEASURE,
        title="Tạm dừng chợ phiên",
        body="Từ 21/8 tạm dừng hoạt động các chợ phiên trên địa bàn huyện.",
    )
    assert "Tạm dừng chợ phiên" in page(anonymous, "/public/25228/")
    assert "Tạm dừng chợ phiên" in page(anonymous, "/public/691/")
    assert "Tạm dừng chợ phiên" not in page(anonymous, "/public/26734/")  # another province's ward
    detail = page(anonymous, f"/public/announcements/{item.pk}/")
    assert "Từ 21/8 tạm dừng" in detail and "District" not in detail
    assert AuditEvent.objects.filter(
        object_type="portal.announcement", action="create", actor=personas["district"]
    ).exists()


def test_scheduled_expired_and_withdrawn_are_not_shown(levels, personas, anonymous):
    officer = personas["commune"]
    later = do_create_announcement(
        officer,
        levels.commune,
        title="Thông báo hẹn giờ",
        body="Sẽ đăng vào ngày mai lúc 7 giờ.",
        publish_at=at(DAY + timedelta(days=1), 7),
    )
    do_create_announcement(
        officer,
        levels.commune,
        title="Thông báo đã hết hạn",
        body="Hiển thị đến hôm qua thôi.",
        publish_at=at(DAY - timedelta(days=3)),
        expires_at=at(DAY - timedelta(days=1)),
    )
    shown = do_create_announcement(
        officer, levels.commune, title="Thông báo đang hiện", body="Nội dung đang hiển thị.", publish_at=at(DAY, 6)
    )
    html = page(anonymous, "/public/25228/")
    assert "Thông báo đang hiện" in html and "Thông báo hẹn giờ" not in html and "Thông báo đã hết hạn" not in html
    assert anonymous.get(f"/public/announcements/{later.pk}/").status_code == 404
    do_withdraw_announcement(officer, shown)
    assert "Thông báo đang hiện" not in page(anonymous, "/public/25228/")
    with pytest.raises(ValidationError):
        do_withdraw_announcement(officer, shown)


@pytest.mark.parametrize("persona", ["other_commune", "viewer", "health", "community"])
def test_only_committees_in_scope_publish(levels, personas, persona):
    with pytest.raises(PermissionDenied):
        do_create_announcement(
            personas[persona], levels.commune, title="Không được phép", body="Không được đăng tin này."
        )


def test_validation_and_resend(levels, personas):
    officer = personas["commune"]
    with pytest.raises(ValidationError) as error:
        do_create_announcement(officer, levels.commune, title="abc", body="ngắn")
    assert set(error.value.message_dict) == {"title", "body"}
    with pytest.raises(ValidationError):
        do_create_announcement(officer, levels.village, title="Thông báo thôn", body="Thôn không phải đơn vị đăng tin.")
    first = do_create_announcement(
        officer, levels.commune, title="Gửi hai lần", body="Bấm gửi hai lần.", client_id="abc"
    )
    again = do_create_announcement(
        officer, levels.commune, title="Gửi hai lần", body="Bấm gửi hai lần.", client_id="abc"
    )
    assert first.pk == again.pk and Announcement.objects.count() == 1
    edited = do_edit_announcement(officer, first, title="Đã sửa tiêu đề")
    assert edited.title == "Đã sửa tiêu đề" and edited.body == "Bấm gửi hai lần."


def test_automatic_announcement_from_the_risk_module(levels, anonymous):
    result = do_sync_level_announcements()
    assert result == {"created": 1, "cancelled": 0}
    item = Announcement.objects.get()
    assert item.kind == AnnouncementKind.LEVEL_CHANGE and item.automatic and item.created_by is None
    assert item.unit == levels.commune and (item.framework, item.level) == ("2686", 3)
    assert (item.previous_framework, item.previous_level) == ("2686", 2)
    assert item.effective_from == at(DAY + timedelta(days=2)) and item.publish_at == at(DAY)
    assert do_sync_level_announcements() == {"created": 0, "cancelled": 0}  # no duplicate
    html = page(anonymous, "/public/25228/")
    link = re.search(rf'<a href="/public/announcements/{item.pk}/">(.*?)</a>', html, re.S).group(1)
    assert "Xã Đức Hạnh" in link and "Đỏ · Nguy cơ rất cao" in link and "08:00 22/08/2021" in link
    detail = page(anonymous, f"/public/announcements/{item.pk}/")
    assert "Cam · Nguy cơ cao" in detail and "Đỏ · Nguy cơ rất cao" in detail


def test_the_real_assessment_announces_a_stronger_level(world, personas, anonymous):
    """A commune's committee applies red (R-14): the next assessment announces it 48 hours ahead, the
    portal announces it once; withdrawing the decision the same day cancels the announcement."""
    from chongdich.risk.actions import do_override, do_withdraw_override
    from chongdich.risk.assess import assess_day
    from chongdich.tallies.models import DailyTally
    from chongdich.territory.models import Adjacency

    for a, b in ((world.commune, world.other_commune), (world.other_commune, world.border_commune)):
        Adjacency.objects.create(unit=a, neighbour=b)
        Adjacency.objects.create(unit=b, neighbour=a)
    DailyTally.objects.create(
        unit=world.commune,
        unit_path=world.commune.path,
        province_code="70",
        day=DAY - timedelta(days=2),
        cases_new_community=1,
        cases_new_community_unknown_source=1,
    )
    assess_day(DAY - timedelta(days=1))
    assess_day(DAY)
    assert not Announcement.objects.exists()  # first levels take effect at once: nothing to announce
    decision = do_override(
        personas["commune"], world.commune, level=3, reason="Quyết định số 45/QĐ-UBND ngày 20/8/2021"
    )
    assess_day(DAY)  # the assessment itself announces the change on the portal…
    assert do_sync_level_announcements()["created"] == 0  # …once: a later sync adds no duplicate
    item = Announcement.objects.get(unit=world.commune)
    assert item.level == 3 and item.effective_from - item.publish_at == timedelta(hours=48)
    assert f"/public/announcements/{item.pk}/" in page(anonymous, "/public/25228/")
    do_withdraw_override(personas["commune"], decision)
    assess_day(DAY)
    item.refresh_from_db()
    assert item.cancelled_at is not None
    assert 'class="alert alert-secondary"' in page(anonymous, f"/public/announcements/{item.pk}/")  # shown as cancelled
    assert 'class="small text-danger"' in page(anonymous, "/public/25228/")


def test_sync_command(levels):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sync_announcements", stdout=out)
    assert "1 new" in out.getvalue() and Announcement.objects.count() == 1
