"""The mail queue on a real database: claims that never overlap (SKIP LOCKED on PostgreSQL),
and the background sender."""

import asyncio
from datetime import timedelta

from chinwag.actions.deps import Deps
from chinwag.actions.mail import queue_mail
from chinwag.actions.password_reset import forgot_password
from chinwag.domain.mail import Mail, MailKind, MailState
from chinwag.mail.sender import MailSender
from chinwag.mail.smtp import SmtpTransport
from chinwag.storage.mail import MailRepo
from tests.conftest import Persona
from tests.mail_support import SmtpServer, smtp_server, use_smtp

__all__ = ["smtp_server"]  # the fixture, used by name

MAIL = Mail(subject="Hello", text="Hello there\n")


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
