"""Second factors as Rocket.Chat has them: TOTP with backup codes, and codes sent by mail.

Pure functions: secrets, provisioning links, QR codes, code checks and hashes. Nothing here
reads the clock or the database; callers pass the time in.
"""

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import pyotp
import segno

from chinwag.domain.ids import random_id

BACKUP_CODE_COUNT = 12  # Rocket.Chat's TOTP.generateCodes
BACKUP_CODE_LENGTH = 8  # a code this long is tried as a backup code, as Rocket.Chat does
EMAIL_CODE_DIGITS = 6

TOTP = "totp"
EMAIL = "email"
PASSWORD = "password"


@dataclass(frozen=True)
class TwoFactorSecrets:
    """What a user's second factors need to be checked; codes only as hashes."""

    totp_secret: str | None = None
    totp_temp_secret: str | None = None
    backup_codes: tuple[str, ...] = ()
    email_code_hash: str | None = None
    email_code_expires_at: datetime | None = None
    email_code_attempts: int = 0


@dataclass(frozen=True)
class Enrolment:
    """The answer of 2fa:enable: the secret, its otpauth:// link, and the link as a QR code."""

    secret: str
    url: str
    qr_svg: str = field(repr=False)


def new_totp_secret() -> str:
    """160 random bits, base32 as authenticator apps take them."""
    return pyotp.random_base32()


def otpauth_url(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer or None)


def qr_svg_data_uri(url: str) -> str:
    """The link as an SVG QR code, in a data: URI an <img> can show."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def enrolment(secret: str, account: str, issuer: str) -> Enrolment:
    url = otpauth_url(secret, account, issuer)
    return Enrolment(secret=secret, url=url, qr_svg=qr_svg_data_uri(url))


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def totp_matches(secret: str, code: str, at: datetime, max_delta: int) -> bool:
    """A 6-digit code from the app, accepting `max_delta` 30-second steps either side."""
    digits = _digits(code)
    if len(digits) != 6:
        return False
    when = int(at.timestamp())  # pyotp reads a datetime as local time
    return pyotp.TOTP(secret).verify(digits, for_time=when, valid_window=max(0, max_delta))


def hash_backup_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def new_backup_codes() -> tuple[list[str], list[str]]:
    """Twelve single-use codes (shown once) and the hashes that are stored."""
    codes = [random_id(BACKUP_CODE_LENGTH) for _ in range(BACKUP_CODE_COUNT)]
    return codes, [hash_backup_code(c) for c in codes]


def is_backup_code_shape(code: str) -> bool:
    return len(code.strip()) == BACKUP_CODE_LENGTH


def remaining_after_backup(hashes: tuple[str, ...], code: str) -> tuple[str, ...] | None:
    """The stored hashes without the presented backup code's, or None if it is not one."""
    wanted = hash_backup_code(code)
    for i, stored in enumerate(hashes):
        if hmac.compare_digest(stored, wanted):
            return hashes[:i] + hashes[i + 1 :]
    return None


def new_email_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(EMAIL_CODE_DIGITS))


def hash_email_code(user_id: str, code: str) -> str:
    """Keyed by the user, so equal codes of two users hash apart."""
    return hashlib.sha256(f"{user_id}:{_digits(code)}".encode()).hexdigest()


def email_code_matches(user_id: str, stored_hash: str, code: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_email_code(user_id, code))


def display_email_code(code: str) -> str:
    """123456 → 123-456, as Rocket.Chat writes it in the mail."""
    return f"{code[:3]}-{code[3:]}"


def fingerprint(user_agent: str | None, address: str | None) -> str:
    """Which client a remembered second factor belongs to (Rocket.Chat hashes the same two)."""
    data = json.dumps({"userAgent": user_agent or "", "clientAddress": address or ""})
    return hashlib.sha256(data.encode()).hexdigest()
