"""Phú Văn's officer types the citizen ID of a resident of Đức Hạnh: a neutral warning, a transfer request,
the district approves, the person moves (issue 8 §1) — in a real browser, at phone and desk widths."""

import pytest

from chongdich.people.models import Person, TransferRequest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1366])
def test_neutral_warning_transfer_request_and_approval(
    page, live_server, world, personas, make_person, login, artifacts, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 800})
    resident = make_person(full_name="Hoàng Thị Mận", sex="F", birth_year=1961)
    login("other_commune")
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_full_name", "Hoàng Thị Mận")
    page.check("input[name=sex][value=F]")
    page.fill("#id_birth_year", "1961")
    page.fill("#id_cccd", resident.cccd)
    page.select_option("#id_unit", world.other_village.code)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("#elsewhere")
    box = page.inner_text("#duplicates")
    assert "đã được đăng ký ở địa bàn khác" in page.content() and "Thôn 1" not in box and "Đức Hạnh" not in box
    page.screenshot(path=str(artifacts / f"person-register-elsewhere-{width}.png"), full_page=True)
    page.click("#elsewhere a")
    page.fill("#id_note", "Bà về ở với con gái tại Thôn Đắk Son từ tháng 3.")
    page.screenshot(path=str(artifacts / f"transfer-request-{width}.png"), full_page=True)
    page.get_by_role("button", name="Gửi đề nghị").click()
    page.wait_for_selector("#my-requests")
    assert TransferRequest.objects.get().status == "pending"
    page.screenshot(path=str(artifacts / f"transfer-list-requester-{width}.png"), full_page=True)

    page.context.clear_cookies()
    login("district")
    page.goto(f"{live_server.url}/people/transfers/")
    page.screenshot(path=str(artifacts / f"transfer-list-district-{width}.png"), full_page=True)
    page.click("#to-decide tbody a")
    page.wait_for_selector("#transfer-person")
    assert "Hoàng Thị Mận" in page.inner_text("#transfer-person")
    page.screenshot(path=str(artifacts / f"transfer-decide-{width}.png"), full_page=True)
    page.click("button[value=approve]")
    page.wait_for_selector(".alert-success")
    assert Person.objects.get(pk=resident.pk).unit_id == world.other_village.pk
    assert console_errors == []
