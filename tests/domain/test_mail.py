"""Mail in the domain: templates, the back-off, SMTP ports; the MIME message built from them."""

from datetime import UTC, datetime, timedelta

import pytest

from chinwag.domain import mail_templates
from chinwag.domain.mail import (
    MailKind,
    MailState,
    QueuedMail,
    RetryPolicy,
    SmtpSettings,
    smtp_port,
)
from chinwag.mail.smtp import build_message


def test_back_off_doubles_up_to_its_cap_and_gives_up() -> None:
    policy = RetryPolicy()
    delays = [policy.delay(n) for n in range(1, 12)]
    assert delays[:3] == [timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40)]
    assert delays[-1] == timedelta(hours=1) and max(delays) == timedelta(hours=1)
    assert policy.delay(10_000) == timedelta(hours=1)
    total = sum((policy.delay(n) for n in range(1, policy.max_attempts)), timedelta())
    assert timedelta(hours=10) < total < timedelta(hours=14)  # what an outage may last
    assert not policy.gives_up(policy.max_attempts - 1) and policy.gives_up(policy.max_attempts)


def test_smtp_ports() -> None:
    assert smtp_port("", "smtp") == 25 and smtp_port(" ", "smtps") == 465
    assert smtp_port("2525", "smtp") == 2525
    for bad in ("0", "65536", "-1", "25a", "x" * 99):
        with pytest.raises(ValueError, match="SMTP_Port"):
            smtp_port(bad, "smtp")


def test_the_smtp_password_is_never_in_a_repr() -> None:
    smtp = SmtpSettings("mx", 25, "smtp", True, "me", "hunter2", "a@b.c")
    assert "hunter2" not in repr(smtp)


def test_templates_escape_html_and_keep_subjects_on_one_line() -> None:
    mail = mail_templates.reset_password(
        site="Ops <Team>\r\nBcc: x@evil.test",
        site_url="https://chat.example.com",
        name="<b>Al</b>",
        url="https://chat.example.com/reset-password/t0k&n",
        hours=24,
    )
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.subject == "[Ops <Team> Bcc: x@evil.test] - Password Recovery"
    assert "Hi <b>Al</b>," in mail.text and "/reset-password/t0k&n\n" in mail.text
    assert mail.html is not None
    assert "&lt;b&gt;Al&lt;/b&gt;" in mail.html and "<b>Al</b>" not in mail.html
    assert 'href="https://chat.example.com/reset-password/t0k&amp;n"' in mail.html


def test_every_template_string_is_used() -> None:
    rendered = [
        mail_templates.verify_email("S", "u", "n", "https://x/verify-email/t"),
        mail_templates.reset_password("S", "u", "n", "https://x/reset-password/t", 24),
        mail_templates.invitation("S", "u", "https://x/register"),
        mail_templates.two_factor_code("S", "u", "123-456"),
    ]
    everything = "".join(m.subject + m.text + (m.html or "") for m in rendered)
    for key, text in mail_templates.STRINGS.items():
        fixed = text.split("{")[0].strip() or text.split("}")[-1].strip()
        assert fixed in everything, key


def test_the_mime_message_has_both_bodies_and_a_sender() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    mail = QueuedMail(
        id="m1",
        kind=MailKind.INVITATION,
        to="dave@example.com",
        subject="Hé, you are invited",
        text="Hello\n",
        html="<p>Hello</p>",
        state=MailState.PENDING,
        attempts=0,
        last_error=None,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    smtp = SmtpSettings("mx", 25, "smtp", True, "", "", "noreply@chat.example.com", "Chinwag")
    message = build_message(mail, smtp)
    assert message["From"] == "Chinwag <noreply@chat.example.com>"
    assert message["Subject"] == "Hé, you are invited"
    assert message["Message-ID"].endswith("@chat.example.com>")
    assert message.get_body(preferencelist=("plain",)) is not None
    assert message.get_body(preferencelist=("html",)) is not None
