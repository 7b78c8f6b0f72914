"""Production: refuses to start with the development secret or with DEBUG on by accident; HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_SECRET_KEY, SECRET_KEY, env_bool

if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters in production "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
DEBUG = env_bool("DEBUG", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS only: plain HTTP is redirected and browsers are told (HSTS) to never use it again for this host.
# TLS ends at the reverse proxy, whose X-Forwarded-Proto says whether the client used HTTPS (the proxy must
# set it, overwriting what the client sent).  The health check stays reachable over HTTP for a monitor.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Subdomains and the browsers' preload list are the domain owner's decision (a provincial gov.vn domain
# has other sites): both are off unless set above, and Django's reminders about them are silenced.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
