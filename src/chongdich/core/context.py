"""The request being served, for audit records written deep inside services, and its client's address."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip

_current_request: ContextVar[HttpRequest | None] = ContextVar("chongdich_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def from_trusted_proxy(address: str | None) -> bool:
    """Whether the connection comes from one of the reverse proxies named in TRUSTED_PROXIES."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, for the audit log and the login lockout (django-axes calls it).

    The connection's address, unless it is a trusted reverse proxy: then the address the proxy wrote in
    its header (X-Forwarded-For), read by django-ipware as far from the end as there are proxies.  A
    forwarded address sent by anyone else is ignored, so that nobody can pose as another client.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    if not from_trusted_proxy(remote):
        return remote
    forwarded, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
        strict=False,
    )
    return forwarded or remote
