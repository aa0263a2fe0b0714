"""The /websocket endpoint: reads frames into the DDP session, runs what it asks, writes back."""

import asyncio
import contextlib
import time

import structlog
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection, DirectWriter
from chinwag.ddp.direct import direct_writer

# Importing the method modules registers their methods.
from chinwag.ddp.methods import (  # noqa: F401
    REGISTRY,
    MethodContext,
    account,
    config,
    editing,
    email,
    messages,
    room_settings,
    rooms,
    search,
    streams,
    two_factor,
)
from chinwag.ddp.presence import PresenceTracker, SharedPresence
from chinwag.ddp.protocol import DdpSession, MethodCall, MethodError, Request, Subscribe
from chinwag.ddp.rate_limits import check_ddp_limits
from chinwag.ddp.streams import StreamHub
from chinwag.ddp.subscriptions import subscribe
from chinwag.domain.errors import ChinwagError
from chinwag.domain.ids import random_id
from chinwag.domain.models import Status, User
from chinwag.domain.settings_registry import PREFERENCE_PREFIX
from chinwag.events.types import Event, TokenRevoked, UserDeleted, UserLoggedOut, UserUpdated

log = structlog.get_logger(__name__)

IDLE_PING_SECONDS = 30.0


async def run_method(
    deps: Deps,
    connection: Connection,
    call: MethodCall,
    presence: PresenceTracker | None = None,
    hub: StreamHub | None = None,
) -> None:
    """Run a method and put its `result` (or Meteor error) into the connection's session."""
    fn = REGISTRY.get(call.method)
    if fn is None:
        error = MethodError(404, f"Method '{call.method}' not found")
        connection.session.result(call.id, error=error)
        return
    try:
        result = await fn(MethodContext(deps, connection, presence, hub), call.params)
    except MethodError as error:
        connection.session.result(call.id, error=error)
    except ChinwagError as exc:
        details = exc.details or None
        connection.session.result(call.id, error=MethodError(exc.code, exc.reason, details))
    except Exception:
        log.exception("method failed", method=call.method)
        connection.session.result(call.id, error=MethodError(500, "Internal server error"))
    else:
        connection.session.result(call.id, result)


class DdpServer:
    def __init__(
        self,
        deps: Deps,
        hub: StreamHub,
        queue_size: int = 1024,
        ping_seconds: float = IDLE_PING_SECONDS,
        presence: SharedPresence | None = None,
    ) -> None:
        self.deps = deps
        self.hub = hub
        self.queue_size = queue_size
        self.ping_seconds = ping_seconds
        self.presence = PresenceTracker(deps, presence)

    async def on_event(self, event: Event) -> None:
        """A login ended (logout elsewhere, revoked tokens, deactivation, deletion): that user's
        sockets here whose token no longer holds lose their login at once, rather than at
        their next request; after a forced logout they are told so first (`force_logout`)."""
        if isinstance(event, UserUpdated) and "active" not in event.fields:
            return
        if not isinstance(event, TokenRevoked | UserLoggedOut | UserDeleted | UserUpdated):
            return
        for connection in self.hub.connections_of(event.user_id):
            ctx = MethodContext(self.deps, connection, self.presence, self.hub)
            if await ctx.login_holds():
                continue
            if isinstance(event, UserLoggedOut):
                uid = event.user_id
                self.hub.send_to(
                    connection, f"user:{uid}", "stream-notify-user", f"{uid}/force_logout", []
                )
            await ctx.sign_out()
            connection.flush()

    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The endpoint as a bare ASGI app: with uvicorn, frames go straight to the socket."""
        await self.endpoint(WebSocket(scope, receive, send), direct_writer(send))

    async def endpoint(self, websocket: WebSocket, direct: DirectWriter | None = None) -> None:
        await websocket.accept()
        connection = Connection(
            id=random_id(),
            session=DdpSession(session_id=random_id()),
            queue_size=self.queue_size,
            client_ip=websocket.client.host if websocket.client else None,
            user_agent=websocket.headers.get("user-agent"),
            direct=direct_writer(websocket._send) if direct else None,
        )
        self.hub.connections[connection.id] = connection
        connection.send({"server_id": "0"})
        writer = None
        if connection.queue is not None:
            writer = asyncio.create_task(self._write(websocket, connection))
        try:
            await self._read(websocket, connection)
        except WebSocketDisconnect:
            pass
        finally:
            self.hub.drop_connection(connection)
            if connection.user is not None:
                await self.presence.set(connection.user.id, connection.id, None)
            connection.close()
            if writer is not None:
                writer.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await writer
            else:
                with contextlib.suppress(Exception):
                    await websocket.close()

    async def _read(self, websocket: WebSocket, connection: Connection) -> None:
        """Read frames until the socket closes; ping a silent client, drop it if it stays
        silent, and set a logged-in socket away once its user's idle time has passed."""
        heard, pinged = time.monotonic(), False
        while not connection.session.closed:
            idle_at = self._idle_at(connection)
            wake = (
                heard + self.ping_seconds
                if idle_at is None
                else min(heard + self.ping_seconds, idle_at)
            )
            try:  # asyncio.timeout, unlike wait_for, makes no task per frame read
                async with asyncio.timeout(max(wake - time.monotonic(), 0)):
                    text = await websocket.receive_text()
            except TimeoutError:
                now = time.monotonic()
                if idle_at is not None and now >= idle_at:
                    await self._presence(connection, Status.AWAY, idle=True)
                if now >= heard + self.ping_seconds:
                    if pinged:
                        return  # no answer to our ping: the client is gone
                    connection.send({"msg": "ping"})
                    heard, pinged = now, True
                continue
            heard, pinged = time.monotonic(), False
            for request in connection.session.receive(text):
                await self._handle(connection, request)
            connection.flush()

    def _idle_at(self, connection: Connection) -> float | None:
        """When this socket counts as idle: Rocket.Chat's auto-away preferences of its user."""
        user = connection.user
        if (
            user is None
            or connection.idle_away
            or not self.presence.is_online(user.id, connection.id)
        ):
            return None
        if not self._preference(user, "enableAutoAway"):
            return None
        limit = self._preference(user, "idleTimeLimit")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
            return None
        return connection.last_active + limit

    def _preference(self, user: User, key: str) -> object:
        if key in user.preferences:
            return user.preferences[key]
        return self.deps.settings.get(PREFERENCE_PREFIX + key)

    async def _presence(self, connection: Connection, state: Status, idle: bool) -> None:
        if connection.user is not None:
            connection.idle_away = idle
            await self.presence.set(connection.user.id, connection.id, state)

    async def _handle(self, connection: Connection, request: Request) -> None:
        ctx = MethodContext(self.deps, connection, self.presence, self.hub)
        await ctx.refresh()
        if not (isinstance(request, MethodCall) and request.method.startswith("UserPresence:")):
            connection.last_active = time.monotonic()
            if connection.idle_away:  # back from idle
                await self._presence(connection, Status.ONLINE, idle=False)
        if isinstance(request, MethodCall | Subscribe):
            name = request.method if isinstance(request, MethodCall) else request.name
            refused = await check_ddp_limits(self.deps, connection, name)
            if refused is not None and isinstance(request, MethodCall):
                connection.session.result(request.id, error=refused)
            elif refused is not None:
                connection.session.nosub(request.id, refused)
            elif isinstance(request, MethodCall):
                await run_method(self.deps, connection, request, self.presence, self.hub)
            else:
                await subscribe(self.hub, connection, request)
        else:
            self.hub.remove(connection, request.id)
            connection.session.nosub(request.id)

    async def _write(self, websocket: WebSocket, connection: Connection) -> None:
        assert connection.queue is not None
        while True:
            frame = await connection.queue.get()
            if frame is None or connection.overflowed:
                await websocket.close()
                return
            await websocket.send_text(frame)
