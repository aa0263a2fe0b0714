"""The mail queue's actions on a real database: mail written in the action's transaction,
claims that never overlap (SKIP LOCKED on PostgreSQL), and the background sender."""

import asyncio
from datetime import timedelta

import pytest

from chinwag.actions.deps import Deps
from chinwag.actions.invitations import send_invitation_emails
from chinwag.actions.mail import queue_mail
from chinwag.actions.password_reset import forgot_password
from chinwag.domain.errors import ChinwagError
from chinwag.domain.mail import Mail, MailKind, MailState
from chinwag.events.types import MailQueued
from chinwag.mail.sender import MailSender
from chinwag.mail.smtp import SmtpTransport
from chinwag.pubsub.memory import MemoryBus
from chinwag.storage.mail import MailRepo
from tests.conftest import Persona
from tests.conftest_helpers import user_named
from tests.mail_support import SmtpServer, smtp_server, use_smtp

__all__ = ["smtp_server"]  # the fixture, used by name

MAIL = Mail(subject="Hello", text="Hello there\n")


async def test_mail_is_queued_with_its_cause_and_announced_after_commit(
    deps: Deps, admin: Persona
) -> None:
    assert isinstance(deps.bus, MemoryBus)
    boss = await user_named(deps, "boss")
    with deps.bus.capture() as published:
        await send_invitation_emails(deps, boss, ["a@example.com", "b@example.com"])
    assert published == [MailQueued(count=1), MailQueued(count=1)]
    with pytest.raises(ChinwagError), deps.bus.capture() as published:
        async with deps.uow() as uow:
            await queue_mail(deps, uow, MailKind.INVITATION, "c@example.com", MAIL)
            raise ChinwagError("boom")  # the action failed: its mail goes with it
    assert published == []
    async with deps.reader() as uow:
        mails, total = await uow.mail.list_mail((), 0, None)
    assert total == 2 and {m.to for m in mails} == {"a@example.com", "b@example.com"}


async def test_two_senders_never_claim_the_same_mail(deps: Deps, admin: Persona) -> None:
    async with deps.uow() as uow:
        for n in range(6):
            await queue_mail(deps, uow, MailKind.INVITATION, f"p{n}@example.com", MAIL)
    now = deps.clock.now()
    lease = now + timedelta(minutes=5)
    if deps.db.is_sqlite:
        # One writer: claims follow each other, and a claimed mail is no longer due.
        async with deps.uow() as uow:
            first = await uow.mail.claim_due(now, lease, 4)
        async with deps.uow() as uow:
            second = await uow.mail.claim_due(now, lease, 4)
    else:
        # Two processes' transactions open at once: the second skips the rows the first locked.
        async with deps.db.begin() as one, deps.db.begin() as two:
            first = await MailRepo(one).claim_due(now, lease, 4)
            second = await MailRepo(two).claim_due(now, lease, 4)
    assert len(first) == 4 and len(second) == 2
    assert not {m.id for m in first} & {m.id for m in second}
    async with deps.reader() as uow:
        mails, _ = await uow.mail.list_mail((MailState.SENDING,), 0, None)
    assert len(mails) == 6


async def test_the_background_sender_delivers_queued_mail_at_once(
    deps: Deps, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    sender = MailSender(deps, SmtpTransport(timeout=5), idle_seconds=60)
    sender.start()
    try:
        await asyncio.sleep(0.05)  # its first, empty step
        await forgot_password(deps, "alice@example.com")
        for _ in range(200):
            if smtp_server.inbox.messages:
                break
            await asyncio.sleep(0.02)
    finally:
        await sender.stop()
    assert [m["To"] for m in smtp_server.inbox.messages] == ["alice@example.com"]
