"""The JSON API under /api/v1/ (OpenAPI at /api/docs), scoped exactly like the pages."""

from __future__ import annotations

from ninja import NinjaAPI

from chongdich.accounts.api_docs import api_docs_access
from chongdich.api import errors, people, risk, territory, testing
from chongdich.api.auth import AUTH

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
errors.install(api)
