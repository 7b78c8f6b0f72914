"""The login lockout and the audit log use the real client's address behind a trusted proxy, and ignore a
forwarded address sent by anyone else."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from chongdich.core.context import client_ip
from chongdich.core.models import AuditEvent
from tests.conftest import PASSWORD

NGINX = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    """TRUSTED_PROXIES=127.0.0.1, everything else as the settings make it from the environment's defaults."""
    settings.TRUSTED_PROXIES = [NGINX]


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("203.0.113.9", "", "203.0.113.9"),  # no proxy
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # a client reaching the server directly cannot pose as another
        (NGINX, "198.51.100.7", "198.51.100.7"),  # through nginx: the address nginx saw
        (NGINX, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # what the client wrote before nginx's entry is ignored
        (NGINX, "10.20.30.40", "10.20.30.40"),  # an office on the provincial network
        (NGINX, "", NGINX),  # nginx without the header: the proxy's own address
        (NGINX, "not-an-address", NGINX),
    ],
)
def test_client_address(behind_nginx, remote, forwarded, expected):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    )
    assert client_ip(request) == expected


def test_two_proxies_in_a_row(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.AXES_IPWARE_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT=2: a load balancer, then nginx
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"


def _fail(client, **meta):
    return client.post(reverse("accounts:login"), {"username": "commune", "password": "wrong"}, **meta)


def test_spoofed_forwarded_for_from_an_untrusted_source_is_ignored(behind_nginx, personas, settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):  # a new made-up address each time
        _fail(client, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt + 1}")
    response = client.post(
        reverse("accounts:login"),
        {"username": "commune", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429  # locked: the made-up addresses changed nothing
    assert set(AuditEvent.objects.filter(action="login_failed").values_list("ip", flat=True)) == {"203.0.113.9"}


def test_behind_the_trusted_proxy_locking_one_client_does_not_lock_another(behind_nginx, personas, settings):
    attacker, officer = Client(), Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(attacker, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert _fail(attacker, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.66").status_code == 429
    response = officer.post(
        reverse("accounts:login"),
        {"username": "commune", "password": PASSWORD},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="10.20.30.40",
    )
    assert response.status_code == 302  # the officer at the commune office signs in
    assert AuditEvent.objects.get(action="login").ip == "10.20.30.40"


def test_settings_from_the_environment():
    import os
    import subprocess
    import sys

    code = (
        "from chongdich.settings import base as b; "
        "print(b.TRUSTED_PROXIES, b.AXES_IPWARE_PROXY_COUNT, b.AXES_IPWARE_META_PRECEDENCE_ORDER, b.AXES_CLIENT_IP_CALLABLE)"
    )
    env = {
        **os.environ,
        "PYTHONPATH": "src",
        "TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/24",
        "TRUSTED_PROXY_COUNT": "2",
        "CLIENT_IP_HEADER": "X-Real-IP",
    }
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.split() == [
        "['127.0.0.1',",
        "'10.0.0.0/24']",
        "1",
        "('HTTP_X_REAL_IP',)",
        "chongdich.core.context.client_ip",
    ]
    env["TRUSTED_PROXIES"] = "127.0.0.1,nginx.local"  # a mistyped address stops the start
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).returncode != 0
