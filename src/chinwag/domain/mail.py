"""Outgoing mail: what the queue keeps, the SMTP settings it leaves with, when to try again."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol


class MailKind(StrEnum):
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"
    INVITATION = "invitation"
    TWO_FACTOR_CODE = "two-factor-code"


class MailState(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a sender; back to the queue if its lease runs out
    SENT = "sent"
    FAILED = "failed"  # out of attempts


@dataclass(frozen=True)
class Mail:
    """A message as templates render it: the subject, a plain-text body, an optional HTML one."""

    subject: str
    text: str
    html: str | None = None


@dataclass(frozen=True)
class QueuedMail:
    id: str
    kind: MailKind
    to: str
    subject: str
    text: str
    html: str | None
    state: MailState
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None


SMTP_PORTS = {"smtp": 25, "smtps": 465}


@dataclass(frozen=True)
class SmtpSettings:
    """Rocket.Chat's SMTP_* settings and From_Email, as one sender run reads them."""

    host: str
    port: int
    protocol: str  # "smtp" (STARTTLS when offered, unless ignore_tls) or "smtps" (TLS at once)
    ignore_tls: bool
    username: str
    password: str = field(repr=False)  # never in a log line, a repr or an error
    from_address: str
    from_name: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host)


def smtp_port(raw: str, protocol: str) -> int:
    """SMTP_Port is a string setting in Rocket.Chat; empty means the protocol's usual port."""
    text = raw.strip()
    if not text:
        return SMTP_PORTS.get(protocol, 25)
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"SMTP_Port {text[:20]!r} is not a port number")
    return int(text)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off between attempts, capped; past `max_attempts` a mail has failed.

    The defaults keep trying for about 12 hours, so an SMTP outage shorter than that loses
    nothing. `lease` is how long a claimed mail stays with a sender that went silent."""

    first_delay: timedelta = timedelta(seconds=10)
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 20
    lease: timedelta = timedelta(minutes=5)

    def delay(self, attempts: int) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt (1, 2, ...)."""
        doublings = min(max(attempts - 1, 0), 30)
        grown: timedelta = self.first_delay * (1 << doublings)
        return min(grown, self.max_delay)

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


class MailTransport(Protocol):
    """What hands a mail to a mail server (SMTP in production)."""

    async def send(self, mail: QueuedMail, smtp: SmtpSettings) -> None:
        """Deliver one mail or raise; the exception's text becomes the mail's last error."""
        ...
