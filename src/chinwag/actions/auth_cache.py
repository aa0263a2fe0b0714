"""Recently authenticated tokens and their users, so a request's auth costs no query.

Entries leave on the events that change them (published after commit, on every process's
bus) and after `ttl` seconds at most, which bounds the damage of an event that never came.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chinwag.domain.models import User
from chinwag.events.types import (
    Event,
    RoleChanged,
    SettingChanged,
    TokenRevoked,
    UserDeleted,
    UserLoggedOut,
    UserStatusChanged,
    UserUpdated,
)


@dataclass(frozen=True)
class CachedToken:
    user_id: str
    expires_at: datetime | None
    personal: bool
    cached_at: float


class AuthCache:
    def __init__(
        self,
        max_entries: int = 50_000,
        ttl: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._monotonic = monotonic
        self._tokens: dict[str, CachedToken] = {}
        self._users: dict[str, tuple[User, float]] = {}

    def lookup(self, hashed: str, user_id: str, now: datetime, personal_ok: bool) -> User | None:
        """The cached user for this token, if every cached fact still holds."""
        token = self._tokens.get(hashed)
        if token is None or token.user_id != user_id or self._stale(token.cached_at):
            return None
        if token.expires_at is not None and token.expires_at <= now:
            return None
        if token.personal and not personal_ok:
            return None
        cached = self._users.get(user_id)
        if cached is None or self._stale(cached[1]):
            return None
        return cached[0]

    def remember(self, hashed: str, token: tuple[str, datetime | None, bool], user: User) -> None:
        stamp = self._monotonic()
        self._bound(self._tokens)
        self._bound(self._users)
        self._tokens[hashed] = CachedToken(token[0], token[1], token[2], stamp)
        self._users[user.id] = (user, stamp)

    def forget_user(self, user_id: str, tokens: bool = False) -> None:
        self._users.pop(user_id, None)
        if tokens:
            for hashed in [h for h, t in self._tokens.items() if t.user_id == user_id]:
                del self._tokens[hashed]

    def clear(self) -> None:
        self._tokens.clear()
        self._users.clear()

    async def on_event(self, event: Event) -> None:
        match event:
            case TokenRevoked() | UserLoggedOut() | UserDeleted():
                self.forget_user(event.user_id, tokens=True)
            case UserUpdated() | UserStatusChanged():
                self.forget_user(event.user_id)
            case RoleChanged(user_id=str(user_id)):
                self.forget_user(user_id)
            case SettingChanged(
                setting_id="API_Enable_Personal_Access_Tokens" | "Accounts_LoginExpiration"
            ):
                self.clear()

    def _stale(self, cached_at: float) -> bool:
        return self._monotonic() - cached_at > self.ttl

    def _bound(self, table: dict[str, Any]) -> None:
        if len(table) >= self.max_entries:
            del table[next(iter(table))]  # oldest first: dicts keep insertion order
