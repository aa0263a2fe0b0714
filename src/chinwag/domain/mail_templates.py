"""The text of every mail Chinwag sends, in one place so it can be translated.

Each template is a plain-text body and a simple HTML one built from the same strings;
`{site}`, `{name}`, `{url}` and `{hours}` are filled in, HTML-escaped for the HTML body.
"""

import html

from chinwag.domain.mail import Mail

STRINGS: dict[str, str] = {
    "verify.subject": "[{site}] - Email address verification",
    "verify.greeting": "Hi {name},",
    "verify.body": "Please confirm this is your email address for {site} by opening this link:",
    "verify.button": "Verify your email",
    "verify.ignore": "If you did not create an account on {site}, you can ignore this email.",
    "reset.subject": "[{site}] - Password Recovery",
    "reset.greeting": "Hi {name},",
    "reset.body": "Forgot your password? Let's get you a new one. Open this link to choose it:",
    "reset.button": "Reset your password",
    "reset.expiry": "The link works once and expires in {hours} hours.",
    "reset.ignore": (
        "If you didn't ask for your password to be reset, you can ignore this email: "
        "your password stays as it is."
    ),
    "invite.subject": "You have been invited to {site}",
    "invite.greeting": "Welcome to {site}!",
    "invite.body": "You have been invited to join {site}. Open this link to create your account:",
    "invite.button": "Join the chat",
    "code.subject": "[{site}] - Authentication code",
    "code.intro": "Here is your authentication code:",
    "code.secret": "Do not provide this code to anyone.",
    "code.ignore": "If you didn't try to log in to your account, please ignore this email.",
    "footer": "This email was sent by {site} ({site_url}).",
}


def _one_line(text: str) -> str:
    """Subjects go into a mail header: no line breaks, whatever Site_Name holds."""
    return " ".join(text.split())


def _render(
    prefix: str, lines: tuple[str, ...], values: dict[str, str], *, trailer: tuple[str, ...] = ()
) -> Mail:
    """Greeting, body, the link, then `trailer` lines and the footer; as text and as HTML."""
    text_values = values
    html_values = {k: html.escape(v) for k, v in values.items()}
    url = values["url"]

    def say(key: str, escaped: bool = False) -> str:
        return STRINGS[key].format(**(html_values if escaped else text_values))

    before = [say(k) for k in lines]
    after = [say(k) for k in (*trailer, "footer")]
    text = "\n\n".join([*before, url, *after]) + "\n"
    parts = [f"<p>{say(k, escaped=True)}</p>" for k in lines]
    button = say(f"{prefix}.button", escaped=True)
    parts.append(f'<p><a href="{html.escape(url, quote=True)}">{button}</a></p>')
    parts += [f"<p>{say(k, escaped=True)}</p>" for k in (*trailer, "footer")]
    body = "\n".join(parts)
    return Mail(
        subject=_one_line(say(f"{prefix}.subject")),
        text=text,
        html=f'<!DOCTYPE html>\n<html><body style="font-family: sans-serif">\n{body}\n'
        "</body></html>\n",
    )


def verify_email(site: str, site_url: str, name: str, url: str) -> Mail:
    values = {"site": site, "site_url": site_url, "name": name, "url": url}
    return _render("verify", ("verify.greeting", "verify.body"), values, trailer=("verify.ignore",))


def reset_password(site: str, site_url: str, name: str, url: str, hours: int) -> Mail:
    values = {"site": site, "site_url": site_url, "name": name, "url": url, "hours": str(hours)}
    return _render(
        "reset",
        ("reset.greeting", "reset.body"),
        values,
        trailer=("reset.expiry", "reset.ignore"),
    )


def invitation(site: str, site_url: str, url: str) -> Mail:
    values = {"site": site, "site_url": site_url, "url": url}
    return _render("invite", ("invite.greeting", "invite.body"), values)


def two_factor_code(site: str, site_url: str, code: str) -> Mail:
    """The code of an email second factor (Rocket.Chat's "Authentication code" mail)."""
    values = {"site": site, "site_url": site_url, "code": code}
    escaped = {k: html.escape(v) for k, v in values.items()}
    lines = ("code.intro", "code.secret", "code.ignore", "footer")
    say = [STRINGS[k].format(**values) for k in lines]
    text = "\n\n".join([say[0], code, *say[1:]]) + "\n"
    parts = [f"<p>{STRINGS[lines[0]].format(**escaped)}</p>"]
    parts.append(f'<p style="font-size: 30px"><b>{escaped["code"]}</b></p>')
    parts += [f"<p>{STRINGS[k].format(**escaped)}</p>" for k in lines[1:]]
    body = "\n".join(parts)
    return Mail(
        subject=_one_line(STRINGS["code.subject"].format(**values)),
        text=text,
        html=f'<!DOCTYPE html>\n<html><body style="font-family: sans-serif">\n{body}\n'
        "</body></html>\n",
    )
