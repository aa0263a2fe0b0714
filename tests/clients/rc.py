"""Driving the PyPI `rocketchat-API` client: sign-ins, throwaway users, settings for one block."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from rocketchat_API.APIExceptions.RocketExceptions import RocketApiException
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import ADMIN

PASSWORD = "e2e-pass-123"


def sign_in(server_url: str, username: str, password: str = PASSWORD) -> RocketChat:
    return RocketChat(username, password, server_url=server_url)


def sign_in_admin(server_url: str) -> RocketChat:
    return sign_in(server_url, ADMIN[0], ADMIN[1])


def anonymous(server_url: str) -> RocketChat:
    return RocketChat(server_url=server_url)


def make_user(admin: RocketChat, username: str, **extra: object) -> str:
    """An account made by an administrator (users.create); returns its id."""
    made = admin.users_create(
        email=f"{username}@example.com",
        name=username.title(),
        password=PASSWORD,
        username=username,
        **extra,
    )
    user_id: str = made["user"]["_id"]
    return user_id


def register(client: RocketChat, username: str, **extra: object) -> dict[str, object]:
    """Self sign-up (users.register) with the usual form; returns the new user."""
    created = client.users_register(
        email=f"{username}@example.com",
        name=username.title(),
        password=PASSWORD,
        username=username,
        **extra,
    )
    user: dict[str, object] = created["user"]
    return user


@contextmanager
def changed_setting(admin: RocketChat, setting_id: str, value: object) -> Iterator[None]:
    """A workspace setting changed through settings/:_id, put back afterwards: one server
    serves a whole module, so a test leaves the settings as it found them."""
    before = admin.settings_get(setting_id)["value"]
    admin.settings_update(setting_id, value)
    try:
        yield
    finally:
        admin.settings_update(setting_id, before)


@contextmanager
def refused(status: int, error_type: str | None = None) -> Iterator[None]:
    """The call inside raises the client's error for a Rocket.Chat envelope with this status
    (and errorType)."""
    with pytest.raises(RocketApiException) as caught:
        yield
    assert caught.value.status_code == status, caught.value.response
    if error_type is not None:
        assert caught.value.error_type == error_type, caught.value.response
