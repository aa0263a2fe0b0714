"""Handing a queued mail to an SMTP server with aiosmtplib."""

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

import aiosmtplib

from chinwag.domain.mail import QueuedMail, SmtpSettings


def build_message(mail: QueuedMail, smtp: SmtpSettings) -> EmailMessage:
    """A MIME message: plain text, with the HTML body as its alternative when there is one."""
    message = EmailMessage()
    message["From"] = formataddr((smtp.from_name, smtp.from_address))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    domain = smtp.from_address.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=mail.id, domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class SmtpTransport:
    """One connection per mail: account mail is rare, and a fresh connection has no state to
    go stale between a sender's steps."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout

    async def send(self, mail: QueuedMail, smtp: SmtpSettings) -> None:
        tls_at_once = smtp.protocol == "smtps"
        await aiosmtplib.send(
            build_message(mail, smtp),
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username or None,
            password=smtp.password or None,
            use_tls=tls_at_once,
            # SMTP_IgnoreTLS: never upgrade; otherwise STARTTLS whenever the server offers it.
            start_tls=False if (tls_at_once or smtp.ignore_tls) else None,
            timeout=self.timeout,
        )
