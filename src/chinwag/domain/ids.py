"""Meteor-style random ids and secrets."""

import secrets

UNMISTAKABLE = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"
SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def random_id(length: int = 17) -> str:
    """A Meteor `Random.id()`: 17 unmistakable characters (about 98 bits).

    The digits in base 55 of one draw of 64 more random bits than the id holds, so the
    bias is below 2**-64; one system call, where a choice per character made one each.
    """
    base = len(UNMISTAKABLE)
    bits = (base**length).bit_length() + 64
    value = int.from_bytes(secrets.token_bytes((bits + 7) // 8))
    chars = []
    for _ in range(length):
        value, digit = divmod(value, base)
        chars.append(UNMISTAKABLE[digit])
    return "".join(chars)


def random_secret(length: int = 43) -> str:
    """A Meteor `Random.secret()`: 43 url-safe characters (258 bits)."""
    return "".join(secrets.choice(SECRET_CHARS) for _ in range(length))


def invite_token() -> str:
    """An invite token: 24 unmistakable characters, about 139 bits, safe to paste."""
    return random_id(24)
