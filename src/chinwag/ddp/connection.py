"""One client socket: its DDP session, who logged in on it, and a bounded outbound queue."""

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

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
    queue: asyncio.Queue[str | None] = field(init=False)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.queue_size)

    def send_frame(self, frame: str) -> None:
        """Queue an already serialized frame; a client that cannot keep up is dropped."""
        if self.overflowed:
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
        # A full queue means the writer sees `overflowed` and stops by itself.
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)
