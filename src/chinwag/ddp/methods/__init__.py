"""DDP methods, registered under their Rocket.Chat names against snake_case functions."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection
from chinwag.ddp.presence import PresenceTracker
from chinwag.ddp.protocol import MethodError
from chinwag.domain.models import Status, User


@dataclass
class MethodContext:
    deps: Deps
    connection: Connection
    presence: PresenceTracker | None = None  # None over the HTTP bridge: no socket to track

    async def set_presence(self, state: Status | None) -> None:
        user = self.connection.user
        if self.presence is not None and user is not None:
            await self.presence.set(user.id, self.connection.id, state)

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
