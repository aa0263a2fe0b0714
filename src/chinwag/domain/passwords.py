"""Meteor's password scheme: bcrypt over the SHA-256 hex digest; hashed login tokens."""

import base64
import hashlib

import bcrypt


def sha256_hex(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def hash_digest(digest: str, rounds: int) -> str:
    """bcrypt of the SHA-256 hex digest, as `services.password.bcrypt` holds it. CPU-heavy."""
    return bcrypt.hashpw(digest.encode(), bcrypt.gensalt(rounds)).decode()


def check_digest(digest: str, hashed: str) -> bool:
    """Compare a SHA-256 hex digest to a stored bcrypt hash. CPU-heavy."""
    try:
        return bcrypt.checkpw(digest.encode(), hashed.encode())
    except ValueError:
        return False


def hash_login_token(token: str) -> str:
    """Meteor's `Accounts._hashLoginToken`: base64 of SHA-256."""
    return base64.b64encode(hashlib.sha256(token.encode()).digest()).decode()
