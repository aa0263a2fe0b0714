"""The mail queue: mail is written with the action that causes it and delivered afterwards,
attempt by attempt, with back-off; administrators can see what is waiting or failed."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

import structlog

from chinwag.actions.access import require_permission
from chinwag.actions.deps import Deps
from chinwag.domain.ids import random_id
from chinwag.domain.mail import (
    Mail,
    MailKind,
    MailState,
    MailTransport,
    QueuedMail,
    RetryPolicy,
    SmtpSettings,
    smtp_port,
)
from chinwag.domain.models import User
from chinwag.events.types import MailQueued
from chinwag.storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

MAX_ERROR = 500
# Who may read the queue: the same administrators who may read the SMTP settings.
VIEW_QUEUE_PERMISSION = "view-privileged-setting"


def site_link(deps: Deps, *parts: str) -> str:
    """An absolute link into this workspace, from Site_Url (each part URL-quoted)."""
    base = deps.settings.str("Site_Url").rstrip("/")
    return "/".join([base, *(quote(p, safe="") for p in parts)])


async def queue_mail(deps: Deps, uow: UnitOfWork, kind: MailKind, to: str, mail: Mail) -> str:
    """Write a mail to the queue inside the caller's transaction; it leaves after commit."""
    now = deps.clock.now()
    mail_id = random_id()
    await uow.mail.insert_mail(
        {
            "id": mail_id,
            "kind": kind.value,
            "to_address": to,
            "subject": mail.subject,
            "text_body": mail.text,
            "html_body": mail.html,
            "state": MailState.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
        }
    )
    uow.emit(MailQueued(count=1))
    return mail_id


def smtp_settings(deps: Deps) -> SmtpSettings:
    """The SMTP settings as they are now. Raises ValueError for a port that is not one."""
    s = deps.settings
    protocol = s.str("SMTP_Protocol")
    host_of_site = urlsplit(s.str("Site_Url")).hostname or "localhost"
    return SmtpSettings(
        host=s.str("SMTP_Host").strip(),
        port=smtp_port(s.str("SMTP_Port"), protocol),
        protocol=protocol,
        ignore_tls=s.bool("SMTP_IgnoreTLS"),
        username=s.str("SMTP_Username"),
        password=s.str("SMTP_Password"),
        from_address=s.str("From_Email").strip() or f"no-reply@{host_of_site}",
        from_name=s.str("Site_Name"),
    )


@dataclass(frozen=True)
class DeliveryReport:
    """What one sender step did with the mail it claimed."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


def _error_text(exc: BaseException, secret: str) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if secret:
        text = text.replace(secret, "********")
    return text[:MAX_ERROR]


async def deliver_due(
    deps: Deps, transport: MailTransport, policy: RetryPolicy | None = None, limit: int = 20
) -> DeliveryReport:
    """One sender step: claim up to `limit` due mails and try each once.

    Until SMTP_Host is set nothing is claimed and mail waits, attempts uncounted."""
    policy = policy or RetryPolicy()
    config_error: str | None = None
    try:
        smtp = smtp_settings(deps)
    except ValueError as exc:
        smtp, config_error = None, str(exc)
    if smtp is not None and not smtp.configured:
        return DeliveryReport()
    now = deps.clock.now()
    async with deps.uow() as uow:
        claimed = await uow.mail.claim_due(now, now + policy.lease, limit)
    sent = retrying = failed = 0
    for mail in claimed:
        outcome = await _attempt(deps, transport, policy, mail, smtp, config_error)
        sent += outcome == MailState.SENT
        retrying += outcome == MailState.PENDING
        failed += outcome == MailState.FAILED
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)


async def _attempt(
    deps: Deps,
    transport: MailTransport,
    policy: RetryPolicy,
    mail: QueuedMail,
    smtp: SmtpSettings | None,
    config_error: str | None,
) -> MailState:
    attempts = mail.attempts + 1
    error = config_error
    if smtp is not None:
        try:
            await transport.send(mail, smtp)
        except Exception as exc:  # any failure of the mail server or the network
            error = _error_text(exc, smtp.password)
    now = deps.clock.now()
    about = {"mail_id": mail.id, "kind": mail.kind.value, "to": mail.to, "attempts": attempts}
    if error is None:
        async with deps.uow() as uow:
            await uow.mail.mark_sent(mail.id, attempts, now)
        log.info("mail sent", **about)
        return MailState.SENT
    retry_at: datetime | None = None
    if not policy.gives_up(attempts):
        retry_at = now + policy.delay(attempts)
    async with deps.uow() as uow:
        await uow.mail.mark_attempt_failed(mail.id, attempts, error, now, retry_at)
    if retry_at is None:
        log.error("mail failed", error=error, **about)
        return MailState.FAILED
    wait = (retry_at - now).total_seconds()
    log.warning("mail attempt failed", error=error, retry_in_seconds=wait, **about)
    return MailState.PENDING


async def list_mail_queue(
    deps: Deps, actor: User, states: tuple[MailState, ...], offset: int, count: int | None
) -> tuple[list[QueuedMail], int]:
    """chinwag.mail.queue: queued, sent and failed mail, newest first (bodies never shown)."""
    require_permission(deps, actor, VIEW_QUEUE_PERMISSION)
    async with deps.reader() as uow:
        return await uow.mail.list_mail(states, offset, count)
