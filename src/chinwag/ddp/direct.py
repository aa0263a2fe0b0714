"""Reaching a WebSocket's transport under uvicorn, so stream frames skip the per-frame ASGI
path (see `Connection.send_frame`).

This leans on uvicorn's sans-I/O WebSocket protocol: the ASGI `send` it hands the app is a
method of the protocol object, which holds the transport and the websockets state machine.
Anything else (another server, a negotiated compression extension, a wrapped `send`) gets
None and the portable queue-and-writer path.
"""

from typing import Any

from chinwag.ddp.connection import DirectWriter


def direct_writer(send: Any) -> DirectWriter | None:
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
        from websockets.protocol import State
    except ImportError:  # pragma: no cover - both ship with uvicorn[standard]
        return None
    protocol = getattr(send, "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol) or protocol.conn.extensions:
        return None
    conn = protocol.conn

    def is_open() -> bool:
        return conn.state is State.OPEN and not protocol.close_sent

    return DirectWriter(protocol.transport, is_open)
