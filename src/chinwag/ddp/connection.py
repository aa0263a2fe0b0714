"""One client socket: its DDP session, who logged in on it, and how frames reach it.

Frames go straight onto the socket's transport when the server can reach it (see
`ddp/direct.py`): the hub frames an event once and writes the same bytes to every socket,
with no task switch per delivery. Otherwise they go through a bounded queue that a writer
task drains. Either way a client that cannot keep up (a full queue, or too many bytes
waiting in its transport) is dropped rather than slowing everyone.
"""

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from chinwag.ddp.ejson import dumps
from chinwag.ddp.protocol import DdpSession
from chinwag.domain.models import User


@dataclass(slots=True)
class Connection:
    id: str
    session: DdpSession
    queue_size: int = 1024
    user: User | None = None
    token: str | None = None
    client_ip: str | None = None
    user_agent: str | None = None
    # Over method.call: the x-2fa-code / x-2fa-method headers of the HTTP request.
    two_factor_headers: tuple[str | None, str | None] = (None, None)
    overflowed: bool = False
    presence_sub: str | None = None  # the stream-user-presence subscription carrying frames
    last_active: float = 0.0  # monotonic time of the client's last method or subscription
    idle_away: bool = False  # the server set this socket away for being idle
    direct: "DirectWriter | None" = None
    queue: asyncio.Queue[str | None] | None = field(init=False)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.queue_size) if self.direct is None else None

    def send_frame(self, frame: str, wire: bytes | None = None) -> None:
        """Send an already serialized frame (`wire`: the same as a WebSocket frame, when the
        caller framed it once for many sockets); a client that cannot keep up is dropped."""
        if self.overflowed:
            return
        if self.queue is None:
            assert self.direct is not None
            if not self.direct.write(wire if wire is not None else text_frame(frame)):
                self.overflowed = True
                self.close()
            return
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.overflowed = True
            self.close()

    def flush(self) -> None:
        """Queue what the session has to say."""
        for message in self.session.outgoing():
            self.send_frame(dumps(message))

    def send(self, message: dict[str, Any]) -> None:
        self.send_frame(dumps(message))

    def close(self) -> None:
        """Ask the writer to end the socket (after what is already queued, unless overflowed)."""
        self.session.closed = True
        if self.queue is None:
            if self.overflowed and self.direct is not None:
                self.direct.abort()
            return
        # A full queue means the writer sees `overflowed` and stops by itself.
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)


class Transport(Protocol):
    def write(self, data: bytes) -> None: ...
    def get_write_buffer_size(self) -> int: ...
    def close(self) -> None: ...


@dataclass(slots=True)
class DirectWriter:
    """Writes finished WebSocket frames onto a socket's transport."""

    transport: Transport
    is_open: Callable[[], bool]
    max_buffered: int = 4 * 1024 * 1024  # bytes waiting for a slow client before it is dropped

    def write(self, data: bytes) -> bool:
        """False when the client is too far behind to keep."""
        if not self.is_open():
            return True  # closing: nothing more goes out, and nothing to drop
        if self.transport.get_write_buffer_size() > self.max_buffered:
            return False
        self.transport.write(data)
        return True

    def abort(self) -> None:
        self.transport.close()


def text_frame(payload: str | bytes) -> bytes:
    """A final, unmasked WebSocket text frame (RFC 6455, 5.2), as a server sends it."""
    data = payload.encode() if isinstance(payload, str) else payload
    n = len(data)
    if n < 126:
        return bytes((0x81, n)) + data
    if n < 65536:
        return bytes((0x81, 126)) + n.to_bytes(2, "big") + data
    return bytes((0x81, 127)) + n.to_bytes(8, "big") + data
