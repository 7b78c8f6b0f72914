"""An officer uploads a person list in the browser: a list whose every row is wrong offers no confirmation
and ends red, saying nothing can be imported; a good list is confirmed and ends green."""

import pytest

from chongdich.people.models import Person
from tests.conftest import valid_cccd
from tests.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)
HEADER = ["Họ và tên", "Giới tính", "Năm sinh", "Số CCCD", "Thôn"]


def upload(page, live_server, tmp_path, rows, name):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes([HEADER, *rows]))
    page.goto(f"{live_server.url}/imports/new/people.persons/")
    page.set_input_files("#id_file", str(path))
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#import-status")


@pytest.mark.parametrize("width", [360, 1366])
def test_import_pages(page, live_server, world, personas, login, artifacts, console_errors, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 800})
    login("commune")
    upload(
        page,
        live_server,
        tmp_path,
        [["Sai Tên 1", "X", 1970, "", "Thôn 1"], ["Sai Tên 2", "Y", 1971, "", "Thôn 1"]],
        "sai.xlsx",
    )
    status = page.locator("#import-status")
    assert "Không có dòng nào nhập được" in status.inner_text()
    assert status.locator("button", has_text="Xác nhận và nhập").count() == 0
    assert status.locator(".alert-success").count() == 0 and status.locator(".bg-danger").count() == 1
    page.screenshot(path=str(artifacts / f"import-all-rejected-{width}.png"), full_page=True)

    upload(page, live_server, tmp_path, [["Mai Văn Lực", "Nam", 1970, valid_cccd("M", 1970), "Thôn 1"]], "dung.xlsx")
    page.click("text=Xác nhận và nhập")
    page.wait_for_selector("#import-status .alert-success")
    assert "Đã nhập xong: đã lưu 1 dòng." in page.inner_text("#import-status")
    page.screenshot(path=str(artifacts / f"import-done-{width}.png"), full_page=True)
    assert Person.objects.count() == 1
    assert console_errors == []
