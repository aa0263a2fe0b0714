"""A real SMTP server for tests (aiosmtpd on a free loopback port) and what it received."""

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller

from chinwag.actions.deps import Deps
from chinwag.actions.mail import DeliveryReport, deliver_due
from chinwag.domain.mail import RetryPolicy
from chinwag.mail.smtp import SmtpTransport
from tests.clients.live import free_port
from tests.conftest_helpers import set_setting

# A two-factor code as the mails show it: 123-456.
CODE = re.compile(r"\b(\d{3})-(\d{3})\b")
LINK = re.compile(r"https?://\S+/(verify-email|reset-password|register)(?:/(\S+))?")


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = cast(bytes, envelope.original_content or envelope.content)
        parsed = message_from_bytes(content, policy=policy.default)
        self.messages.append(cast(EmailMessage, parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0) -> list[EmailMessage]:
        """For a live server's background sender: wait until `count` mails reached `address`."""
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        got = self.to(address)
        assert len(got) >= count, f"{len(got)} mails to {address}, wanted {count}"
        return got


class SmtpServer:
    """aiosmtpd in its own thread; stop() and start() again on the same port for outages."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@contextmanager
def running_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    """One SMTP server for a module's live server."""
    with running_smtp() as server:
        yield server


async def use_smtp(deps: Deps, server: SmtpServer) -> None:
    """Point the workspace's SMTP settings at the test server."""
    await set_setting(deps, "SMTP_Host", "127.0.0.1")
    await set_setting(deps, "SMTP_Port", str(server.port))


async def deliver(deps: Deps, policy: RetryPolicy | None = None) -> DeliveryReport:
    """One sender step, as the background sender takes it."""
    return await deliver_due(deps, SmtpTransport(timeout=5), policy)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return cast(str, part.get_content())


def link_in(message: EmailMessage) -> tuple[str, str, str]:
    """(url, kind, token) of the link in a mail's text."""
    found = LINK.search(text_of(message))
    assert found is not None, text_of(message)
    return found.group(0), found.group(1), found.group(2) or ""
