"""A kind registered for the notices' own tests (the real kinds are registered by the apps that publish)."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from chongdich.core.roles import Role
from chongdich.notices import gateways, kinds

TEST_KIND = kinds.Kind(
    "test.level_rose",
    _("The level of %(unit)s rose to %(level)s"),
    roles=(Role.COMMUNE_COMMITTEE, Role.DISTRICT_COMMITTEE, Role.PROVINCE_COMMITTEE, Role.HEALTH_STAFF),
    severity="warning",
    help=_("Sent when a commune's level rises."),
)
NATIONAL_KIND = kinds.Kind("test.national", _("Something national happened"), roles=(Role.NATIONAL_ADMIN,))


@pytest.fixture(autouse=True)
def test_kinds():
    kinds.register(TEST_KIND)
    kinds.register(NATIONAL_KIND)
    gateways.outbox.clear()
    yield TEST_KIND
    kinds.unregister(TEST_KIND.code)
    kinds.unregister(NATIONAL_KIND.code)
    gateways.outbox.clear()


@pytest.fixture
def memory_gateways(settings):
    settings.CHONGDICH_SMS_GATEWAY = "chongdich.notices.gateways.MemoryGateway"
    settings.CHONGDICH_ZALO_GATEWAY = "chongdich.notices.gateways.MemoryGateway"
    return gateways.outbox
