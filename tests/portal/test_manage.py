"""The committees' pages to publish announcements and hotlines: login required, committees only (403
for other roles), their own area only (404 outside it)."""

import pytest

from chongdich.portal.actions import do_create_announcement
from chongdich.portal.models import Announcement, Hotline

pytestmark = pytest.mark.django_db


def test_login_and_role_required(levels, client_of):
    assert client_of(None).get("/public/manage/").status_code == 302
    assert client_of("viewer").get("/public/manage/").status_code == 403
    assert client_of("health").get("/public/manage/new/").status_code == 403
    assert client_of("commune").get("/public/manage/").status_code == 200


def test_publish_from_the_form(levels, client_of, anonymous):
    client = client_of("commune")
    response = client.post(
        "/public/manage/new/",
        {
            "unit": "25228",
            "kind": "measure",
            "title": "Giãn cách xã hội thôn 1",
            "body": "Thôn 1 thực hiện giãn cách theo Chỉ thị 16 từ 0 giờ ngày 21/8.",
            "client_id": "x1",
        },
    )
    assert response.status_code == 302
    item = Announcement.objects.get()
    assert item.created_by.username == "commune" and item.kind == "measure"
    assert (
        client.post(
            "/public/manage/new/",
            {
                "unit": "25228",
                "kind": "measure",
                "title": "Giãn cách xã hội thôn 1",
                "body": "Thôn 1 thực hiện giãn cách.",
                "client_id": "x1",
            },
        ).status_code
        == 302
    )
    assert Announcement.objects.count() == 1  # the same form sent twice
    html = client.get("/public/manage/").content.decode()
    assert "Giãn cách xã hội thôn 1" in html


def test_outside_the_area(levels, client_of, personas):
    response = client_of("commune").post(
        "/public/manage/new/",
        {"unit": "25229", "kind": "general", "title": "Tin của xã khác", "body": "Không thuộc địa bàn của tôi."},
    )
    assert response.status_code == 200 and 'id="id_unit_error"' in response.content.decode()
    item = do_create_announcement(
        personas["other_commune"], levels.other_commune, title="Tin xã Phú Văn", body="Thông báo của xã Phú Văn."
    )
    client = client_of("commune")
    assert "Tin xã Phú Văn" not in client.get("/public/manage/").content.decode()
    assert client.get(f"/public/manage/{item.pk}/").status_code == 404
    assert client.post(f"/public/manage/{item.pk}/withdraw/").status_code == 404
    assert client_of("district").post(f"/public/manage/{item.pk}/withdraw/").status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None


def test_edit_an_automatic_announcement(levels, client_of):
    from chongdich.portal.actions import do_sync_level_announcements

    do_sync_level_announcements()
    item = Announcement.objects.get()
    client = client_of("commune")
    assert client.get(f"/public/manage/{item.pk}/").status_code == 200
    client.post(
        f"/public/manage/{item.pk}/", {"title": "", "body": "Người dân chuẩn bị thực hiện các biện pháp cấp đỏ."}
    )
    item.refresh_from_db()
    assert item.body.startswith("Người dân") and item.level == 3 and item.title == ""


def test_hotlines(levels, client_of):
    client = client_of("commune")
    client.post("/public/manage/hotlines/add/", {"unit": "25228", "label": "Trạm Y tế xã", "number": "0271 3879 115"})
    hotline = Hotline.objects.get()
    assert hotline.dial == "02713879115"
    client.post("/public/manage/hotlines/add/", {"unit": "25228", "label": "Sai", "number": "abc"})
    assert Hotline.objects.count() == 1
    client.post("/public/manage/hotlines/add/", {"unit": "25229", "label": "Xã khác", "number": "0271 111 222"})
    assert Hotline.objects.count() == 1
    assert client_of("other_commune").post(f"/public/manage/hotlines/{hotline.pk}/remove/").status_code == 404
    client.post(f"/public/manage/hotlines/{hotline.pk}/remove/")
    assert not Hotline.objects.exists()
