"""Each error is said once, where it belongs: never both above a form and on its field, never twice."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver

ERROR_CLASSES = ("errorlist", "alert-danger", "invalid-feedback", "text-danger")
SKIP = ("/api/", "/accounts/logout", "/i18n/", "/public/language/", "/admin/")


class ErrorTexts(HTMLParser):
    """The text of every element shown as an error (error lists, danger alerts)."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # > 0 inside an error element
        self.stack: list[bool] = []
        self.current: list[str] = []
        self.kind = ""
        self.errors: list[tuple[str, str]] = []  # (kind: "alert" | "field", text)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "input", "img", "meta", "link", "hr"):
            return
        classes = (dict(attrs).get("class") or "").split()
        opens = self.depth == 0 and any(name in classes for name in ERROR_CLASSES)
        self.stack.append(opens)
        if opens:
            self.depth = 1
            self.kind = "alert" if "alert-danger" in classes else "field"
        elif self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("br", "input", "img", "meta", "link", "hr") or not self.stack:
            return
        opened = self.stack.pop()
        if self.depth:
            self.depth -= 1
            if opened or self.depth == 0:
                text = " ".join("".join(self.current).split())
                if text:
                    self.errors.append((self.kind, text))
                self.current, self.depth = [], 0

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 3]


def repeated_errors(html: str) -> list[str]:
    """Sentences said twice: twice in one error box, or in a box above the form and again elsewhere.
    (Different fields may each say "This field is required.")"""
    parser = ErrorTexts()
    parser.feed(html)
    repeated = set()
    for _kind, text in parser.errors:
        repeated |= {s for s, n in Counter(_sentences(text)).items() if n > 1}
    in_alerts = Counter(s for kind, text in parser.errors if kind == "alert" for s in set(_sentences(text)))
    anywhere = Counter(s for _kind, text in parser.errors for s in set(_sentences(text)))
    repeated |= {s for s in in_alerts if anywhere[s] > 1}
    return sorted(repeated)


def test_the_check_sees_an_error_said_twice():
    html = (
        '<div class="alert alert-danger"><div>Người này đã được đăng ký.</div></div>'
        '<ul class="errorlist"><li>Người này đã được đăng ký.</li></ul>'
    )
    assert repeated_errors(html) == ["Người này đã được đăng ký."]
    two_fields = '<ul class="errorlist"><li>Trường này là bắt buộc.</li></ul><ul class="errorlist"><li>Trường này là bắt buộc.</li></ul>'
    assert repeated_errors(two_fields) == []


def _plain_routes(resolver=None, prefix=""):
    """Every route without parameters: the form pages among them are found by their content."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _plain_routes(entry, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route and "^" not in route:
            yield "/" + route.lstrip("^").rstrip("$")


def test_no_form_page_says_an_error_twice(world, personas, client_of):
    client = client_of("national")
    checked, repeated = 0, []
    for path in sorted(set(_plain_routes())):
        if any(part in path for part in SKIP) or path.endswith((".xlsx", ".pdf", ".json", ".geojson")):
            continue
        page = client.get(path)
        if page.status_code != 200 or b'method="post"' not in page.content:
            continue
        answer = client.post(path, {"client_id": "errors-once"})
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        checked += 1
        repeated += [f"{path}: {text}" for text in repeated_errors(answer.content.decode())]
    assert checked >= 10
    assert not repeated, "\n".join(repeated)
