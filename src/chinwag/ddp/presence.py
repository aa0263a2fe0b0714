"""This process's view of who has sockets open, and in which state, per user."""

from datetime import datetime
from typing import Protocol

from chinwag.actions.connection_presence import set_connection_status
from chinwag.actions.deps import Deps
from chinwag.domain.models import Status


class SharedPresence(Protocol):
    """Where processes pool their users' connection states (Redis when scaled out)."""

    async def report(self, user_id: str, state: Status) -> Status:
        """Record this process's state for the user (OFFLINE: no socket here); return the
        state across every live process."""
        ...


class PresenceTracker:
    def __init__(self, deps: Deps, shared: SharedPresence | None = None) -> None:
        self.deps = deps
        self.shared = shared
        self._states: dict[str, dict[str, Status]] = {}  # user id -> connection id -> state

    def aggregate(self, user_id: str) -> Status:
        states = self._states.get(user_id, {}).values()
        if Status.ONLINE in states:
            return Status.ONLINE
        return Status.AWAY if states else Status.OFFLINE

    def is_online(self, user_id: str, connection_id: str) -> bool:
        return self._states.get(user_id, {}).get(connection_id) == Status.ONLINE

    async def set(self, user_id: str, connection_id: str, state: Status | None) -> None:
        """A socket logged in (ONLINE), went idle (AWAY) or closed / logged out (None)."""
        before = self.aggregate(user_id)
        states = self._states.setdefault(user_id, {})
        if state is None:
            states.pop(connection_id, None)
            if not states:
                del self._states[user_id]
        else:
            states[connection_id] = state
        after = self.aggregate(user_id)
        if after == before:
            return
        if self.shared is not None:
            after = await self.shared.report(user_id, after)
        await set_connection_status(self.deps, user_id, after)

    async def resync(self, _lost_at: datetime | None = None) -> None:
        """Report every local user again (the shared store may have lost them, or reaped this
        process while it was cut off), and store what the pooled states now say."""
        if self.shared is None:
            return
        for user_id in list(self._states):
            pooled = await self.shared.report(user_id, self.aggregate(user_id))
            await set_connection_status(self.deps, user_id, pooled)
