"""The JSON API under /api/v1/ (OpenAPI at /api/docs), scoped exactly like the pages.

This module only builds the NinjaAPI and mounts each app's router (``<app>/api.py``); the shared
plumbing is ``core.webapi``, the authentication ``accounts.api``."""

from __future__ import annotations

from ninja import NinjaAPI

from chongdich.accounts.api import AUTH
from chongdich.accounts.api_docs import api_docs_access
from chongdich.core.webapi import errors
from chongdich.forecast import api as forecast
from chongdich.movement import api as movement
from chongdich.people import api as people
from chongdich.risk import api as risk
from chongdich.territory import api as territory
from chongdich.testing import api as testing
from chongdich.vaccination import api as vaccination

api = NinjaAPI(
    title="chongdich API",
    version="1",
    description="Chống dịch — epidemic-response command system. All data is scoped to the caller's administrative area.",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=api_docs_access,  # signed-in users and token holders only (accounts/api_docs.py)
)
api.add_router("/", territory.router)
api.add_router("/", people.router)
api.add_router("/", testing.router)
api.add_router("/", risk.router)
api.add_router("/", vaccination.router)
api.add_router("/", movement.router)
api.add_router("/", forecast.router)
errors.install(api)
