"""My account at 360 and 1366 px: tokens with their expiry day, and the password change page."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1366])
def test_tokens_show_their_expiry_and_the_password_can_be_changed(page, live_server, personas, login, artifacts, width):
    from chongdich.accounts.models import ApiToken

    ApiToken.issue(personas["health"], name="Điện thoại cũ của trạm", expires_at=timezone.now() - timedelta(days=3))
    page.set_viewport_size({"width": width, "height": 900})
    login("health")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.fill("#id_name", "Máy tính bảng tổ lấy mẫu")
    until = timezone.localdate() + timedelta(days=30)
    page.fill("#id_valid_until", until.isoformat())
    page.click("#token-form button[type=submit]")
    page.wait_for_selector("#new-token")
    assert page.locator(".token-expiry", has_text=until.strftime("%d/%m/%Y")).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"profile-token-{width}.png"), full_page=True)
    page.click("text=Đổi mật khẩu")
    page.fill("#id_old_password", "test-password-123")
    page.fill("#id_new_password1", "chongdich2025")
    page.fill("#id_new_password2", "chongdich2025")
    page.click("#password-submit")
    page.wait_for_selector(".errorlist")
    assert "tên hệ thống" in page.inner_text(".errorlist")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"password-change-{width}.png"), full_page=True)
