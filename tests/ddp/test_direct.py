"""Under uvicorn's sans-I/O WebSocket protocol, DDP frames go straight to the transport; under
another implementation they take the queue and writer task; both deliver the same frames."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn
import websockets

from chinwag.actions.deps import Deps
from chinwag.app import create_app
from chinwag.ddp.connection import text_frame
from tests.clients.live import free_port


@asynccontextmanager
async def serving(deps: Deps, ws: str, deflate: bool = False) -> AsyncIterator[tuple[str, object]]:
    app = create_app(deps, migrate=False)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            port=port,
            ws=ws,
            ws_per_message_deflate=deflate,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn has no event for "started"
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}/websocket", app
    finally:
        server.should_exit = True
        await task


@pytest.mark.parametrize(
    ("ws", "deflate", "direct"),
    [
        ("websockets-sansio", False, True),
        ("websockets-sansio", True, False),  # compressed frames differ per socket
        ("websockets", False, False),
    ],
)
async def test_frames_reach_the_client_either_way(
    deps: Deps, ws: str, deflate: bool, direct: bool
) -> None:
    async with serving(deps, ws, deflate) as (url, app), websockets.connect(url) as client:
        assert json.loads(await client.recv()) == {"server_id": "0"}
        await client.send(json.dumps({"msg": "connect", "version": "1", "support": ["1"]}))
        assert json.loads(await client.recv())["msg"] == "connected"
        hub = app.ddp.hub  # type: ignore[attr-defined]
        (connection,) = hub.connections.values()
        assert (connection.direct is not None) is direct
        big = "x" * 70_000  # past the 16-bit length form
        for text in ("short", "y" * 300, big):
            connection.send({"msg": "changed", "collection": "c", "id": "id", "t": text})
            assert json.loads(await client.recv())["t"] == text


async def test_a_client_that_stops_reading_is_dropped(deps: Deps) -> None:
    async with serving(deps, "websockets-sansio") as (url, app):
        async with websockets.connect(url, max_queue=1) as client:
            await client.recv()
            hub = app.ddp.hub  # type: ignore[attr-defined]
            (connection,) = hub.connections.values()
            assert connection.direct is not None
            connection.direct.max_buffered = 64 * 1024
            chunk = {"msg": "changed", "collection": "c", "id": "id", "t": "z" * 60_000}
            for _ in range(400):  # far more than the socket buffers hold
                connection.send(chunk)
                if connection.overflowed:
                    break
                await asyncio.sleep(0)
            assert connection.overflowed
        for _ in range(100):
            if not hub.connections:
                break
            await asyncio.sleep(0.02)
        assert not hub.connections


def test_text_frame_lengths() -> None:
    assert text_frame("hi") == b"\x81\x02hi"
    assert text_frame("a" * 126)[:4] == b"\x81\x7e\x00\x7e"
    assert text_frame("a" * 65536)[:10] == b"\x81\x7f" + (65536).to_bytes(8, "big")
