"""What users saw cut off: the overdue tasks' deadlines on the dashboard at 1366 px, the care (and
testing) tabs at 360 px.  Measured in the browser: a text is fully visible when it lies inside the
window and inside every ancestor that clips (overflow other than visible), on one line."""

from datetime import timedelta

import pytest

from tests.dashboard.world import TODAY, at, task

pytestmark = [pytest.mark.django_db(transaction=True)]

# Returns, for the elements matched by a selector, the ones not fully visible and why.
HIDDEN_ELEMENTS = """(selector) => {
  const why = (rect, element) => {
    if (rect.width === 0 || rect.height === 0) return 'not shown';
    if (rect.left < -1 || rect.right > window.innerWidth + 1) return 'outside the window';
    for (let a = element.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const box = a.getBoundingClientRect();
      if (rect.left < box.left - 1 || rect.right > box.right + 1 || rect.top < box.top - 1 || rect.bottom > box.bottom + 1)
        return 'cut by ' + a.tagName.toLowerCase() + '.' + a.className.split(' ').join('.');
    }
    return null;
  };
  window.__whyHidden = why;
  return Array.from(document.querySelectorAll(selector))
    .map(e => [e.innerText.trim(), why(e.getBoundingClientRect(), e)]).filter(([, reason]) => reason);
}"""

# Every deadline text ("hạn 14:00 07/08/2021") inside a container: on one line and fully visible.
HIDDEN_DEADLINES = """([selector, pattern]) => {
  const container = document.querySelector(selector);
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const regex = new RegExp(pattern, 'g');
  const found = [], problems = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(regex)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
      found.push(match[0]);
      if (lines.size !== 1) { problems.push([match[0], 'split over ' + lines.size + ' lines']); continue; }
      const reason = window.__whyHidden(range.getBoundingClientRect(), node.parentElement);
      if (reason) problems.push([match[0], reason]);
    }
  }
  return {found, problems};
}"""

LONG_TASKS = [
    ("Rà soát địa điểm, lập phương án bệnh viện dã chiến", "Ban Chỉ đạo phòng, chống dịch COVID-19 huyện"),
    ("Kích hoạt Tổ COVID cộng đồng ở thôn, ấp có ca bệnh; rà soát từng hộ theo danh sách", "Ủy ban nhân dân các xã"),
    ("Khoanh vùng, phong tỏa ổ dịch; lập chốt kiểm soát ra vào vùng phong tỏa", "Công an huyện"),
    ("Truy vết, lấy mẫu xét nghiệm F1, F2 và khu vực liên quan", "Trung tâm Y tế huyện"),
    ("Điều trị F0 không triệu chứng tại nhà, trạm y tế xã theo dõi hằng ngày", "Trung tâm Y tế huyện"),
    ("Đề nghị tỉnh hỗ trợ nhân lực, trang thiết bị y tế", "Ủy ban nhân dân huyện"),
]


@pytest.fixture
def many_overdue_tasks(outbreak):  # noqa: F811
    for number, (what, agency) in enumerate(LONG_TASKS):
        item = task(outbreak.district, what, at(TODAY - timedelta(days=3 + number)))
        type(item).objects.filter(pk=item.pk).update(agency_vi=agency)
    return outbreak


@pytest.mark.parametrize("width", [360, 1366])
def test_overdue_tasks_show_their_whole_deadline(
    page, live_server, many_overdue_tasks, personas, login, artifacts, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login("district")
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#dash-tasks").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"dashboard-overdue-tasks-{width}.png"), full_page=True)
    page.evaluate(HIDDEN_ELEMENTS, "#dash-tasks")  # installs the helper
    result = page.evaluate(HIDDEN_DEADLINES, ["#dash-tasks", r"hạn \d\d:\d\d \d\d/\d\d/\d{4}"])
    assert len(result["found"]) >= 5, result
    assert result["problems"] == []


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("path", ["/care/", "/testing/"])
def test_section_tabs_are_all_visible(page, live_server, world, personas, login, artifacts, width, path):
    page.set_viewport_size({"width": width, "height": 800})
    login("national")
    page.goto(f"{live_server.url}{path}")
    tabs = page.locator("main .section-nav .nav-link, main .nav-pills .nav-link")
    assert tabs.count() >= 4
    page.screenshot(path=str(artifacts / f"tabs{path.replace('/', '-')}{width}.png"))
    assert page.evaluate(HIDDEN_ELEMENTS, "main .nav-pills .nav-link") == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
