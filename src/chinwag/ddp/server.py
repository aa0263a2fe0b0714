"""The /websocket endpoint: reads frames into the DDP session, runs what it asks, writes back."""

import asyncio
import contextlib

import structlog
from starlette.websockets import WebSocket, WebSocketDisconnect

from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection

# Importing the method modules registers their methods.
from chinwag.ddp.methods import (  # noqa: F401
    REGISTRY,
    MethodContext,
    account,
    config,
    editing,
    email,
    messages,
    rooms,
    streams,
)
from chinwag.ddp.presence import PresenceTracker
from chinwag.ddp.protocol import DdpSession, MethodCall, MethodError, Request, Subscribe
from chinwag.ddp.streams import StreamHub
from chinwag.ddp.subscriptions import subscribe
from chinwag.domain.errors import ChinwagError
from chinwag.domain.ids import random_id

log = structlog.get_logger(__name__)

IDLE_PING_SECONDS = 30.0


async def run_method(
    deps: Deps, connection: Connection, call: MethodCall, presence: PresenceTracker | None = None
) -> None:
    """Run a method and put its `result` (or Meteor error) into the connection's session."""
    fn = REGISTRY.get(call.method)
    if fn is None:
        error = MethodError(404, f"Method '{call.method}' not found")
        connection.session.result(call.id, error=error)
        return
    try:
        result = await fn(MethodContext(deps, connection, presence), call.params)
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
    def __init__(self, deps: Deps, hub: StreamHub, queue_size: int = 1024) -> None:
        self.deps = deps
        self.hub = hub
        self.queue_size = queue_size
        self.presence = PresenceTracker(deps)

    async def endpoint(self, websocket: WebSocket) -> None:
        await websocket.accept()
        connection = Connection(
            id=random_id(),
            session=DdpSession(session_id=random_id()),
            queue_size=self.queue_size,
            client_ip=websocket.client.host if websocket.client else None,
        )
        self.hub.connections[connection.id] = connection
        connection.send({"server_id": "0"})
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
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer

    async def _read(self, websocket: WebSocket, connection: Connection) -> None:
        silent = 0
        while not connection.session.closed:
            try:
                text = await asyncio.wait_for(websocket.receive_text(), IDLE_PING_SECONDS)
            except TimeoutError:
                silent += 1
                if silent > 1:
                    return  # no answer to our ping: the client is gone
                connection.send({"msg": "ping"})
                continue
            silent = 0
            for request in connection.session.receive(text):
                await self._handle(connection, request)
            connection.flush()

    async def _handle(self, connection: Connection, request: Request) -> None:
        if isinstance(request, MethodCall):
            await self._call(connection, request)
        elif isinstance(request, Subscribe):
            await subscribe(self.hub, connection, request)
        else:
            self.hub.remove(connection, request.id)
            connection.session.nosub(request.id)

    async def _call(self, connection: Connection, call: MethodCall) -> None:
        await run_method(self.deps, connection, call, self.presence)

    async def _write(self, websocket: WebSocket, connection: Connection) -> None:
        while True:
            frame = await connection.queue.get()
            if frame is None or connection.overflowed:
                await websocket.close()
                return
            await websocket.send_text(frame)
