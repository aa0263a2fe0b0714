"""DDP methods, registered under their Rocket.Chat names against snake_case functions."""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from chinwag.actions.auth import authenticate
from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection
from chinwag.ddp.presence import PresenceTracker
from chinwag.ddp.protocol import MethodError
from chinwag.ddp.renderers import own_document
from chinwag.ddp.streams import OWN_USER, OWN_USER_SUB, Listener, StreamHub
from chinwag.domain.errors import Unauthorized
from chinwag.domain.models import Status, User


@dataclass
class MethodContext:
    deps: Deps
    connection: Connection
    presence: PresenceTracker | None = None  # None over the HTTP bridge: no socket to track
    hub: StreamHub | None = None  # None over the HTTP bridge: nothing to stream to

    async def set_presence(self, state: Status | None) -> None:
        user = self.connection.user
        if self.presence is not None and user is not None:
            await self.presence.set(user.id, self.connection.id, state)

    async def sign_in(self, user: User, token: str) -> None:
        """The socket is now this user's: online, and sent its own document (Meteor's
        `users` collection), kept current while the login lasts."""
        await self.sign_out()
        self.connection.user, self.connection.token = user, token
        self.connection.last_active, self.connection.idle_away = time.monotonic(), False
        await self.set_presence(Status.ONLINE)
        if self.hub is not None:
            listener = Listener(self.connection, OWN_USER_SUB, OWN_USER, user.id)
            self.hub.add(f"user:{user.id}", listener)
            own = own_document(self.deps, user)
            self.connection.session.added("users", user.id, own)

    async def refresh(self) -> None:
        """Take the user anew from the (event-evicted) login cache before each request, so
        a changed role, a deactivation or a revoked token counts at once."""
        if not await self.login_holds():
            await self.sign_out()

    async def login_holds(self) -> bool:
        """Whether the socket's token still logs its user in (taking the user anew)."""
        user, token = self.connection.user, self.connection.token
        if user is None or token is None:
            return True  # nothing to lose
        try:
            self.connection.user = await authenticate(self.deps, user.id, token)
        except Unauthorized:
            return False
        return True

    async def sign_out(self) -> None:
        """The socket's login ended: offline for it, and every subscription stops."""
        user = self.connection.user
        if user is None:
            return
        await self.set_presence(None)
        if self.hub is not None:
            self.hub.stop_all(self.connection)
            self.connection.session.removed("users", user.id)
        self.connection.user = self.connection.token = None

    @property
    def user(self) -> User:
        """The logged-in user; methods that need one get a Meteor 'not logged in' error."""
        if self.connection.user is None:
            raise MethodError("not-authorized", "You must be logged in to do this.")
        return self.connection.user


Method = Callable[[MethodContext, list[Any]], Awaitable[Any]]
REGISTRY: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    def register(fn: Method) -> Method:
        REGISTRY[name] = fn
        return fn

    return register


def param(params: list[Any], index: int, kind: type, default: Any = ...) -> Any:
    """The index-th parameter, of this type; a clear client error otherwise."""
    if index >= len(params) or params[index] is None:
        if default is ...:
            raise MethodError("error-invalid-params", f"Parameter {index + 1} is required")
        return default
    value = params[index]
    if not isinstance(value, kind):
        raise MethodError("error-invalid-params", f"Parameter {index + 1} must be {kind.__name__}")
    return value
