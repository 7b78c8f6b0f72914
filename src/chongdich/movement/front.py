"""The fast ingest front: a WSGI layer before Django that answers exactly the event POSTs
(``/api/v1/declarations``, ``/api/v1/checkins``, ``/api/v1/passages``) and hands everything else to Django.

Django's request cycle (15 middlewares, URL resolving, django-ninja's parsing) costs more than the
check-in itself; the front does only what these three operations need, with the same guarantees:

- the host is one of ``ALLOWED_HOSTS`` (else 400), HTTPS is required like everywhere when
  ``SECURE_SSL_REDIRECT`` is on (a plain-HTTP request goes to Django, which redirects it);
- a NUL character or broken Unicode in the query, a header or the body is a 400 with the edge's message
  (``core.edge``), a body over 64 KB a 413;
- the language is the one the user chose (cookie), else Vietnamese (``core.i18n``);
- the rate limit of declarations per client address (``core.context.client_ip``: the proxy's
  forwarded address only from a trusted proxy), the device token of check-ins and passages;
- the same validation, rows and answers (``movement.intake``), the same writer (``ingest.save_events``,
  group-committed by the process's writer thread);
- the API's response headers: JSON, ``Cache-Control: no-store``, ``Content-Language``, nosniff,
  ``X-Frame-Options``, ``Referrer-Policy`` (and HSTS when configured).

A failure of the database is a 503 ("try again": the device re-sends; its client id makes that
safe), never a half-written answer.  ``CHONGDICH_INGEST_FRONT=0`` turns the front off (Django answers
these operations through ``movement.api``).
"""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from urllib.parse import unquote

from django.conf import settings
from django.db import close_old_connections, connection
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from django.utils.translation import gettext as _

from chongdich.core.context import client_ip
from chongdich.core.edge import _bad_json, _where, bad_text
from chongdich.movement import devices, intake

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
PATHS = {"/api/v1/declarations": "declaration", "/api/v1/checkins": "checkin", "/api/v1/passages": "passage"}
REASONS = {
    200: "200 OK",
    201: "201 Created",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    405: "405 Method Not Allowed",
    413: "413 Request Entity Too Large",
    415: "415 Unsupported Media Type",
    422: "422 Unprocessable Entity",
    429: "429 Too Many Requests",
    503: "503 Service Unavailable",
}


class IngestFront:
    def __init__(self, app):
        self.app = app
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, environ, start_response):
        kind = PATHS.get(environ.get("PATH_INFO", ""))
        if kind is None or environ.get("REQUEST_METHOD") != "POST" or not self._secure_enough(environ):
            return self.app(environ, start_response)
        language = self._language(environ)
        translation.activate(language)
        try:
            answer = self._answer(kind, environ)
        except Exception:  # noqa: BLE001 - the database or a bug: the device tries again
            log.exception("ingest front: %s failed", kind)
            answer = intake.refused(503, _("The server could not save this now. Send it again in a moment."))
        finally:
            translation.deactivate()
        body = json.dumps(answer.body, ensure_ascii=False, default=str).encode()
        headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Content-Language", language),
            ("Vary", "Cookie"),
            ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY")),
            ("Referrer-Policy", getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin"),
            *answer.headers.items(),
        ]
        if getattr(settings, "SECURE_HSTS_SECONDS", 0) and environ.get("wsgi.url_scheme") == "https":
            headers.append(("Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}"))
        start_response(REASONS.get(answer.status, f"{answer.status} Error"), headers)
        return [body]

    # -- the edge -------------------------------------------------------------------------------------------
    def _secure_enough(self, environ) -> bool:
        if not getattr(settings, "SECURE_SSL_REDIRECT", False) or environ.get("wsgi.url_scheme") == "https":
            return True
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        return bool(header) and environ.get(header[0]) == header[1]

    def _language(self, environ) -> str:
        cookie = environ.get("HTTP_COOKIE")
        if cookie:
            chosen = parse_cookie(cookie).get(settings.LANGUAGE_COOKIE_NAME)
            if chosen in self.languages:
                return chosen
        return settings.LANGUAGE_CODE

    def _edge_refusal(self, environ, body: bytes | None) -> str | None:
        query = environ.get("QUERY_STRING", "")
        if query:
            try:
                decoded = unquote(query.replace("+", " "), errors="strict")
            except UnicodeDecodeError:
                return "query"
            if bad_text(decoded):
                return "query"
        for key, value in environ.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return "header"
        if body is not None and b"\x00" in body:
            return "body"
        return None

    def _refuse_edge(self, part: str) -> intake.Answer:
        message = _(
            "The data sent contains a character that cannot be stored (a NUL character or broken "
            "Unicode) in %(where)s. Remove it and send again."
        ) % {"where": _where(part)}
        return intake.Answer(400, {"detail": message, "errors": {part: [message]}})

    def _answer(self, kind: str, environ) -> intake.Answer:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        domain, _port = split_domain_port(host)
        allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
        if not domain or not validate_host(domain, allowed):
            return intake.refused(400, _("Bad request."))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return intake.refused(413, _("The data sent is too large."))
        body = environ["wsgi.input"].read(length) if length else b""
        part = self._edge_refusal(environ, body)
        if part is not None:
            return self._refuse_edge(part)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._refuse_edge("body")
        if not connection.in_atomic_block:  # (the tests' transaction: kept, as Django's test client does)
            close_old_connections()  # as Django does at each request: a dropped connection is replaced
        request = SimpleNamespace(META=environ)
        if kind == "declaration":
            limited = intake.rate_limited(client_ip(request))
            if limited is not None:
                return limited
            device = None
        else:
            device = devices.CACHE.authenticate(devices.from_header(environ.get("HTTP_AUTHORIZATION")))
            if device is None:
                return intake.refused(401, _("Send a valid device token: Authorization: Device dv_…"))
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return intake.refused(400, _("The data sent is not valid JSON."))
        if "\\u" in text and _bad_json(data):
            return self._refuse_edge("body")
        if kind == "declaration":
            return intake.accept_declaration(data, address=None, limited=False)
        if kind == "checkin":
            return intake.accept_checkin(data, device=device)
        return intake.accept_passage(data, device=device)
