"""Forms that work with a bad connection (issue 11 §1, §4): the outbox (static/movement/outbox.js) and
the service worker (/movement/sw.js) in a real browser, against the stand-in form of outbox_demo.py."""

from __future__ import annotations

import re
import time

import pytest

from chongdich.movement.models import Declaration
from tests.browser import outbox_demo

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = "/movement/outbox-demo/"


@pytest.fixture
def demo(settings, live_server, personas, login, page):
    settings.ROOT_URLCONF = "tests.browser.outbox_demo"
    outbox_demo.BEHAVIOUR.update(delay=0.0, fail=False, posts=0)
    login("health")
    page.goto(live_server.url + DEMO)
    _wait_for_copy(page)
    yield live_server.url + DEMO
    outbox_demo.BEHAVIOUR.update(delay=0.0, fail=False, posts=0)


def _wait_for_copy(page, timeout=15.0):
    """The service worker controls the page and keeps a copy of it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(
            """async () => !!navigator.serviceWorker.controller &&
                 !!(await caches.match(location.href, {ignoreVary: true}))"""
        ):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker kept no copy of the page")


def _entries(page):
    return page.evaluate("() => window.chongdichOutbox.all()")


def _waiting(page) -> int:
    return int(page.get_attribute("[data-outbox-status=demo]", "data-outbox-waiting") or 0)


def _fill(page, name, phone=""):
    page.fill("#id_full_name", name)
    page.fill("#id_phone", phone)
    page.click("#demo-submit")


def test_offline_entries_wait_on_the_device_and_are_sent_once(page, demo, artifacts, expect_errors):
    # The worker tries the network for the page first (headless chromium's emulated offline mode does not
    # reach the worker's navigator.onLine): the browser logs that attempt.
    expect_errors.extend(["net::ERR_INTERNET_DISCONNECTED"])
    page.set_viewport_size({"width": 360, "height": 800})
    page.context.set_offline(True)
    page.fill("#id_checkpoint", "Chốt Bù Gia Mập")
    _fill(page, "Nguyễn Văn An", "0912345678")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã lưu trên máy, sẽ gửi khi có mạng')")
    assert page.inner_text("[data-outbox-badge]").strip() == "1 chờ gửi"
    # The form is ready for the next person: cleared, the checkpoint kept, a new client id.
    assert page.input_value("#id_full_name") == ""
    assert page.input_value("#id_checkpoint") == "Chốt Bù Gia Mập"
    [entry] = _entries(page)
    assert page.input_value("input[name=client_id]") not in ("server-made", entry["id"])
    assert dict(entry["fields"])["full_name"] == "Nguyễn Văn An"
    assert dict(entry["fields"])["csrfmiddlewaretoken"]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", dict(entry["fields"])["at"]
    )  # when, server clock
    assert page.input_value("input[name=at]") == ""  # the next entry gets its own time
    page.screenshot(path=str(artifacts / "outbox-queued-360.png"), full_page=True)

    # Reloaded without a connection: the page comes from the worker's copy, the outbox is still there.
    page.reload()
    page.wait_for_selector("#demo-form")
    page.wait_for_function("() => document.querySelector('[data-outbox-status=demo]')?.dataset.outboxWaiting === '1'")
    assert page.input_value("input[name=client_id]") not in ("server-made", entry["id"])
    _fill(page, "Trần Thị Bình")
    page.wait_for_function("() => document.querySelector('[data-outbox-status=demo]').dataset.outboxWaiting === '2'")
    ids = {e["id"] for e in _entries(page)}
    assert len(ids) == 2 and Declaration.objects.count() == 0
    assert outbox_demo.BEHAVIOUR["posts"] == 0

    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelector('[data-outbox-status=demo]').dataset.outboxWaiting === '0'")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã gửi các mục lưu trên máy')")
    assert _entries(page) == []
    assert sorted(Declaration.objects.values_list("full_name", flat=True)) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert set(Declaration.objects.values_list("client_id", flat=True)) == ids
    assert outbox_demo.BEHAVIOUR["posts"] == 2
    page.screenshot(path=str(artifacts / "outbox-sent-360.png"), full_page=True)


def test_an_answer_lost_on_the_way_makes_no_duplicate(page, demo, expect_errors):
    outbox_demo.BEHAVIOUR["delay"] = 3.0  # saved, but the answer comes after the form's 1.5 s
    _fill(page, "Lê Văn Cường")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã lưu trên máy')", timeout=10000)
    [entry] = _entries(page)
    deadline = time.monotonic() + 10
    while Declaration.objects.count() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Declaration.objects.count() == 1  # the server has it; the device does not know
    outbox_demo.BEHAVIOUR["delay"] = 0.0
    page.wait_for_timeout(3000)  # let the slow answer finish
    page.click("[data-outbox-send]")
    page.wait_for_function("() => document.querySelector('[data-outbox-status=demo]').dataset.outboxWaiting === '0'")
    assert outbox_demo.BEHAVIOUR["posts"] >= 2  # sent again (the retry, Background Sync, the button)…
    [row] = Declaration.objects.all()  # …one row
    assert row.client_id == entry["id"]


def test_a_refused_entry_is_listed_with_the_servers_message(page, demo, expect_errors, artifacts):
    expect_errors.extend([422])
    page.set_viewport_size({"width": 360, "height": 800})
    page.context.set_offline(True)
    _fill(page, "REFUSE Phạm Văn Dũng", "0987654321")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã lưu trên máy')")
    page.context.set_offline(False)
    page.wait_for_selector("[data-outbox-refused]:not([hidden])")
    assert page.inner_text("[data-outbox-refused-count]") == "1"
    text = page.inner_text("[data-outbox-refused-list]")
    assert "REFUSE Phạm Văn Dũng · 0987654321" in text
    assert "Họ và tên: Tên này bị máy chủ từ chối (thử)." in text
    page.screenshot(path=str(artifacts / "outbox-refused-360.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.screenshot(path=str(artifacts / "outbox-refused-1366.png"), full_page=True)
    # Still there after a reload; opened in the form to correct it, then sent with its own client id.
    page.reload()
    page.wait_for_selector("[data-outbox-refused]:not([hidden])")
    [entry] = _entries(page)
    assert entry["state"] == "refused"
    page.click("[data-outbox-edit]")
    page.wait_for_function("() => document.querySelector('#id_full_name').value !== ''")
    assert page.input_value("#id_full_name") == "REFUSE Phạm Văn Dũng"
    assert page.input_value("input[name=client_id]") == entry["id"]
    page.fill("#id_full_name", "Phạm Văn Dũng")
    page.click("#demo-submit")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã gửi')")
    assert "Đã nhận" in page.inner_text("[data-outbox-answer]")
    [row] = Declaration.objects.all()
    assert (row.full_name, row.client_id) == ("Phạm Văn Dũng", entry["id"])
    assert _entries(page) == []


def test_a_refusal_while_online_is_shown_on_the_form(page, demo, expect_errors):
    expect_errors.extend([422])
    _fill(page, "REFUSE Hoàng Văn Em", "0911111111")
    page.wait_for_selector("#demo-form .errorlist")
    assert "Tên này bị máy chủ từ chối" in page.inner_text("#demo-form")
    assert page.input_value("#id_full_name") == "REFUSE Hoàng Văn Em"  # what they typed is kept
    assert page.input_value("#id_phone") == "0911111111"
    assert _entries(page) == []  # nothing waits: the person in front of the form corrects it
    page.fill("#id_full_name", "Hoàng Văn Em")
    page.click("#demo-submit")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã gửi')")
    assert Declaration.objects.get().full_name == "Hoàng Văn Em"


def test_a_server_error_keeps_the_entry_for_later(page, demo, expect_errors):
    expect_errors.extend([503])
    outbox_demo.BEHAVIOUR["fail"] = True
    _fill(page, "Võ Thị Giang")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã lưu trên máy')")
    assert _waiting(page) == 1
    outbox_demo.BEHAVIOUR["fail"] = False
    page.click("[data-outbox-send]")
    page.wait_for_function("() => document.querySelector('[data-outbox-status=demo]').dataset.outboxWaiting === '0'")
    assert Declaration.objects.get().full_name == "Võ Thị Giang"


def test_a_session_that_ended_keeps_the_entry_and_a_new_token_sends_it(
    page, demo, login, live_server, expect_errors, no_console_errors
):
    expect_errors.extend([403])
    page.context.set_offline(True)
    _fill(page, "Đặng Văn Hùng")
    page.wait_for_selector("[data-outbox-message]:has-text('Đã lưu trên máy')")
    page.context.clear_cookies()  # the session ended (and with the next sign-in, the CSRF token changes)
    page.context.set_offline(False)
    page.wait_for_selector("[data-outbox-message]:has-text('Phiên đăng nhập đã hết')")
    assert page.get_attribute("[data-outbox-message] a", "href") == "/accounts/login/?next=" + DEMO.replace("/", "%2F")
    [entry] = _entries(page)
    assert entry["state"] == "signin" and Declaration.objects.count() == 0
    login("health")  # a new session, a new CSRF secret: the stored token is refused (403) once
    page.goto(live_server.url + DEMO)
    page.wait_for_function("() => document.querySelector('[data-outbox-status=demo]')?.dataset.outboxWaiting === '0'")
    assert Declaration.objects.get().client_id == entry["id"]
    assert _entries(page) == []
    assert any("status of 403" in e for e in no_console_errors)  # the old token was refused, then renewed


@pytest.fixture
def expect_errors(no_console_errors):
    """The browser logs every 4xx/5xx answer as a console error: a test names the statuses it provokes on
    purpose (``expect_errors.extend([422])``, or a text such as a network error provoked by going offline);
    anything else still fails it."""
    statuses: list[int | str] = []
    yield statuses
    expected = [re.compile(rf"status of {s}\b" if isinstance(s, int) else re.escape(s)) for s in statuses]
    no_console_errors[:] = [e for e in no_console_errors if not any(p.search(e) for p in expected)]
