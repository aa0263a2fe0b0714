"""Rules for usernames, emails and email domains, as Rocket.Chat's settings define them."""

import re
from collections.abc import Iterable

from chinwag.domain.errors import ChinwagError, InvalidParams

EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")

# Throw-away mail services, refused while Accounts_UseDefaultBlockedDomainsList is on.
DISPOSABLE_DOMAINS = frozenset(
    {
        "mailinator.com",
        "guerrillamail.com",
        "guerrillamail.net",
        "sharklasers.com",
        "10minutemail.com",
        "yopmail.com",
        "trashmail.com",
        "tempmail.com",
        "temp-mail.org",
        "dispostable.com",
        "getnada.com",
        "maildrop.cc",
        "throwawaymail.com",
        "fakeinbox.com",
    }
)


def split_list(text: str) -> list[str]:
    """A comma-separated setting as a list of trimmed, lower-cased, non-empty items."""
    return [item.strip().lower() for item in text.split(",") if item.strip()]


DEFAULT_USERNAME_PATTERN = "[0-9a-zA-Z-_.]+"


def _matches(pattern: str, text: str) -> bool:
    """Full match; an operator's broken pattern falls back to the default, never to a 500."""
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return re.fullmatch(DEFAULT_USERNAME_PATTERN, text) is not None


# Longest accepted values, the same on every store (PostgreSQL enforces column widths, SQLite not).
MAX_USERNAME = 120
MAX_EMAIL = 320
MAX_NAME = 200


def check_username(username: str, pattern: str, blocked: Iterable[str]) -> None:
    if not username or len(username) > MAX_USERNAME or not _matches(pattern, username):
        raise ChinwagError(
            "error-input-is-not-a-valid-field", f"{username} is not a valid username"
        )
    if username.lower() in blocked:
        raise ChinwagError("error-blocked-username", f"{username} is blocked and can't be used!")


def check_name(name: str) -> None:
    if len(name) > MAX_NAME:
        raise InvalidParams(f"The name must be at most {MAX_NAME} characters")


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def _domain_matches(domain: str, listed: str) -> bool:
    return domain == listed or domain.endswith("." + listed)


def check_email(
    email: str,
    allowed: Iterable[str],
    blocked: Iterable[str],
    block_disposable: bool,
) -> None:
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise ChinwagError("error-invalid-email", f"Invalid email {email}")
    domain = email_domain(email)
    allowed = list(allowed)
    if allowed and not any(_domain_matches(domain, d) for d in allowed):
        raise ChinwagError("error-invalid-domain", "The email domain is not allowed")
    refused = set(blocked) | (DISPOSABLE_DOMAINS if block_disposable else set())
    if any(_domain_matches(domain, d) for d in refused):
        raise ChinwagError("error-email-domain-blacklisted", "The email domain is blacklisted")
