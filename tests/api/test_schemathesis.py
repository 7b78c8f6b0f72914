"""Schemathesis over the OpenAPI schema: every operation, positive and negative data, one token with
the broadest role, a bounded budget (``SCHEMATHESIS_EXAMPLES`` per operation): 0 server errors and
answers that conform to the schema."""

from __future__ import annotations

import os
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from chongdich.accounts.models import ApiToken
from chongdich.api.management_docs import openapi_schema

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "60"))

schema = schemathesis.openapi.from_dict(openapi_schema())
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]


@pytest.fixture
def app():
    """Django's WSGI application inside the test's transaction: like the test client, it must not close
    the connection at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def auth(personas, make_person):
    """The national administrator's token, and a little data for the reads to find."""
    from chongdich.testing.actions import do_register_sample

    person = make_person(cccd=None)
    do_register_sample(personas["national"], person=person, kind="rt_pcr", reason="f1", taken_on=date(2021, 8, 1))
    _token, raw = ApiToken.issue(personas["national"], name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_api_never_answers_a_server_error(case, app, auth):
    case.call_and_validate(app=app, headers=auth, checks=CHECKS)
