"""Where SMS and Zalo messages go: a pluggable gateway per channel.

A gateway is a class with ``send(to: str, text: str) -> None`` that raises on failure (any exception: the
outbox counts the attempt, keeps the message and tries again later).  Settings name the class by its
dotted path::

    CHONGDICH_SMS_GATEWAY = "chongdich.notices.gateways.ConsoleGateway"    # the default
    CHONGDICH_ZALO_GATEWAY = "chongdich.notices.gateways.ConsoleGateway"

A provider's gateway (an SMS brandname service, the Zalo Official Account API) is a class of the same
shape in the deployment's own package.  Email goes through Django's email backend (``EMAIL_BACKEND``),
not through a gateway.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("chongdich.notices")

DEFAULT = "chongdich.notices.gateways.ConsoleGateway"
SETTINGS = {"sms": "CHONGDICH_SMS_GATEWAY", "zalo": "CHONGDICH_ZALO_GATEWAY"}


class Gateway:
    """The interface: deliver ``text`` to ``to`` (a phone number) or raise."""

    channel: str = ""

    def __init__(self, channel: str = ""):
        self.channel = channel

    def send(self, to: str, text: str) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class ConsoleGateway(Gateway):
    """Writes each message to the log and to standard output (the demo and development)."""

    def send(self, to: str, text: str) -> None:
        line = f"[{self.channel or 'message'} → {to}] {text}"
        log.info(line)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


@dataclass
class Sent:
    channel: str
    to: str
    text: str


# What the in-memory gateway "sent", like django.core.mail.outbox for the locmem email backend.
outbox: list[Sent] = []


class MemoryGateway(Gateway):
    """Keeps each message in ``gateways.outbox`` (tests)."""

    def send(self, to: str, text: str) -> None:
        outbox.append(Sent(self.channel, to, text))


@cache
def _gateway(channel: str, dotted: str) -> Gateway:
    return import_string(dotted)(channel)


def gateway(channel: str) -> Gateway:
    """The configured gateway of ``channel`` ("sms" or "zalo")."""
    return _gateway(channel, getattr(settings, SETTINGS[channel], DEFAULT) or DEFAULT)
