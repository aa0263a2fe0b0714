"""A lean DDP client for load tests: WebSocket framing by hand on an asyncio Protocol, so
that thousands of sockets in one process cost little CPU and the server stays the bottleneck.

Stream frames on `stream-room-messages` are recognised by their first bytes and counted
without being parsed; everything else (connected, result, ready, ping) goes through orjson.
"""

import asyncio
import base64
import contextlib
import hashlib
import itertools
import os
import time
import zlib
from collections.abc import Callable
from typing import Any, cast

import orjson
from websockets.utils import apply_mask  # a client sends few, small frames

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# The server serializes stream frames with orjson in this key order (ddp/streams.py).
ROOM_CHANGED = b'{"msg":"changed","collection":"stream-room-messages"'
SYNC_TAIL = b"\x00\x00\xff\xff"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class DdpError(Exception):
    """The server answered a method or subscription with an error, or broke the protocol."""


class Tally:
    """What all sockets heard: room-message frames counted (and, for the post being timed,
    when each arrived), other frames, and sockets the server closed."""

    def __init__(self) -> None:
        self.frames = 0
        self.other = 0
        self.closed = 0  # by the server
        self.mark = b""  # the timed post's marker; empty when only counting
        self.arrivals: list[float] = []
        self.expected = 0
        self.complete = asyncio.Event()
        self.target = 0  # a frame count someone waits for
        self.reached = asyncio.Event()

    def expect(self, mark: str, count: int) -> None:
        """Start timing the post whose text contains `mark`, due on `count` sockets."""
        self.mark, self.arrivals, self.expected = mark.encode(), [], count
        self.complete.clear()

    async def reach(self, frames: int, limit: float) -> None:
        """Wait until `frames` room-message frames have arrived in all, or `limit` seconds."""
        if self.frames >= frames:
            return
        self.target = frames
        self.reached.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.reached.wait(), limit)
        self.target = 0

    def room_message(self, payload: bytes, at: float) -> None:
        self.frames += 1
        if self.target and self.frames >= self.target:
            self.reached.set()
        if self.mark and self.mark in payload:
            self.arrivals.append(at)
            if len(self.arrivals) >= self.expected:
                self.complete.set()


class DdpSocket(asyncio.Protocol):
    """One client WebSocket speaking DDP. Offers permessage-deflate when `deflate` is set
    (as browsers do); it never compresses what it sends, which RFC 7692 allows."""

    def __init__(self, host: str, port: int, tally: Tally, deflate: bool = False) -> None:
        self.host, self.port, self.tally, self.deflate = host, port, tally, deflate
        self.transport: asyncio.Transport | None = None
        self.upgraded = False
        self.closing = False
        self.inflater: Any = None
        self.inflate_bits = 15
        self.fresh_inflater = False
        self.buf = b""
        self.fragments: list[bytes] = []
        self.compressed = False
        self.ids = itertools.count(1)
        self.pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        loop = asyncio.get_running_loop()
        self.connected: asyncio.Future[None] = loop.create_future()
        self.lost: asyncio.Future[None] = loop.create_future()
        self.key = base64.b64encode(os.urandom(16))

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        extension = b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        self.transport.write(
            b"GET /websocket HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
            b"%s\r\n"
            % (self.host.encode(), self.port, self.key, extension if self.deflate else b"")
        )

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closing:
            self.tally.closed += 1
        error = DdpError(f"socket closed: {exc}")
        futures: list[asyncio.Future[Any]] = [self.connected, *self.pending.values()]
        for future in futures:
            if not future.done():
                future.set_exception(error)
        self.pending.clear()
        if not self.lost.done():
            self.lost.set_result(None)

    def data_received(self, data: bytes) -> None:
        buf = self.buf + data if self.buf else data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                self.buf = buf
                return
            try:
                self._upgrade(buf[:end])
            except DdpError as error:
                if not self.connected.done():
                    self.connected.set_exception(error)
                self.close()
                return
            buf = buf[end + 4 :]
        at = time.perf_counter()
        pos, n = 0, len(buf)
        while n - pos >= 2:
            length, head = buf[pos + 1] & 0x7F, 2
            if length == 126:
                if n - pos < 4:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if n - pos < 10:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            end = pos + head + length
            if end > n:
                break
            self._frame(buf[pos], buf[pos + head : end], at)
            pos = end
        self.buf = buf[pos:] if pos < n else b""

    # WebSocket

    def _upgrade(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        if not lines[0].startswith(b"HTTP/1.1 101"):
            raise DdpError(f"WebSocket upgrade refused: {lines[0]!r}")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        accept = base64.b64encode(hashlib.sha1(self.key + GUID).digest())
        if headers.get(b"sec-websocket-accept") != accept:
            raise DdpError("bad Sec-WebSocket-Accept")
        self._negotiate(headers.get(b"sec-websocket-extensions", b""))
        self.upgraded = True
        self.send({"msg": "connect", "version": "1", "support": ["1"]})

    def _negotiate(self, extensions: bytes) -> None:
        if not extensions.startswith(b"permessage-deflate"):
            return
        for param in extensions.split(b";")[1:]:
            name, _, value = param.strip().partition(b"=")
            if name == b"server_max_window_bits":
                self.inflate_bits = int(value)
            elif name == b"server_no_context_takeover":
                self.fresh_inflater = True
        self.inflater = zlib.decompressobj(-self.inflate_bits)

    def _frame(self, b0: int, payload: bytes, at: float) -> None:
        opcode = b0 & 0x0F
        if opcode == TEXT or opcode == 0:
            if opcode == TEXT:
                self.compressed = bool(b0 & 0x40)
            if not b0 & 0x80:  # not the last fragment
                self.fragments.append(payload)
                return
            if self.fragments:
                payload = b"".join([*self.fragments, payload])
                self.fragments = []
            if self.compressed:
                payload = self._inflate(payload)
            self._message(payload, at)
        elif opcode == PING:
            self._write(PONG, payload)
        elif opcode == CLOSE and self.transport is not None:
            self._write(CLOSE, payload[:2])
            self.transport.close()

    def _inflate(self, payload: bytes) -> bytes:
        if self.fresh_inflater:
            self.inflater = zlib.decompressobj(-self.inflate_bits)
        data: bytes = self.inflater.decompress(payload + SYNC_TAIL)
        return data

    def _write(self, opcode: int, payload: bytes) -> None:
        """A client frame: always masked, never fragmented."""
        n = len(payload)
        if n < 126:
            head = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(head + mask + apply_mask(payload, mask))

    # DDP

    def send(self, message: dict[str, Any]) -> None:
        self._write(TEXT, orjson.dumps(message))

    def _message(self, payload: bytes, at: float) -> None:
        if payload.startswith(ROOM_CHANGED):
            self.tally.room_message(payload, at)
            return
        message = orjson.loads(payload)
        kind = message.get("msg")
        if kind == "changed":
            self.tally.other += 1
        elif kind == "ping":
            self.send({"msg": "pong", **({"id": message["id"]} if "id" in message else {})})
        elif kind == "result" or kind == "nosub":
            self._answer(message["id"], message)
        elif kind == "ready":
            for sub_id in message["subs"]:
                self._answer(sub_id, message)
        elif kind == "connected":
            if not self.connected.done():
                self.connected.set_result(None)
        elif kind in ("failed", "error") and not self.connected.done():
            self.connected.set_exception(DdpError(f"DDP {kind}: {message}"))

    def _answer(self, ident: str, message: dict[str, Any]) -> None:
        future = self.pending.pop(ident, None)
        if future is not None and not future.done():
            future.set_result(message)

    def _request(self, message: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        ident = str(next(self.ids))
        future = asyncio.get_running_loop().create_future()
        self.pending[ident] = future
        self.send({**message, "id": ident})
        return future

    async def call(self, method: str, params: list[Any], limit: float = 60.0) -> Any:
        answer = await asyncio.wait_for(
            self._request({"msg": "method", "method": method, "params": params}), limit
        )
        if "error" in answer:
            raise DdpError(f"{method}: {answer['error']}")
        return answer.get("result")

    async def subscribe(self, subs: list[tuple[str, list[Any]]], limit: float = 60.0) -> None:
        """Ask for all `subs` at once (as clients do) and wait until each is ready."""
        futures = [self._request({"msg": "sub", "name": n, "params": p}) for n, p in subs]
        for answer in await asyncio.wait_for(asyncio.gather(*futures), limit):
            if answer.get("msg") != "ready":
                raise DdpError(f"subscription refused: {answer}")

    def close(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.close()


async def open_socket(
    host: str,
    port: int,
    tally: Tally,
    token: str,
    subs: list[tuple[str, list[Any]]],
    deflate: bool = False,
    limit: float = 60.0,
) -> DdpSocket:
    """A socket that is connected, logged in with a resume token and subscribed to `subs`."""
    factory: Callable[[], DdpSocket] = lambda: DdpSocket(host, port, tally, deflate)  # noqa: E731
    _, sock = await asyncio.wait_for(
        asyncio.get_running_loop().create_connection(factory, host, port), limit
    )
    try:
        await asyncio.wait_for(sock.connected, limit)
        await sock.call("login", [{"resume": token}], limit)
        await sock.subscribe(subs, limit)
    except BaseException:
        sock.close()
        raise
    return sock


def stream_params(event_name: str) -> list[Any]:
    return [event_name, {"useCollection": False, "args": []}]
