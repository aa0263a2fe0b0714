"""What the realtime scenario needs around its sockets: users seeded with login tokens, rooms
of them, a keep-alive REST poster, socket fleets opened a few at a time, and the fd limit."""

import asyncio
import random
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

from bench import seed
from bench.ddp_client import DdpSocket, Tally, open_socket
from bench.http_load import Request
from chinwag.domain.passwords import hash_login_token

TOKEN_COLUMNS = ["hashed_token", "user_id", "created_at", "expires_at", "kind"]
TOKEN_DAYS = 90


@dataclass(frozen=True)
class Member:
    user_id: str
    username: str
    token: str
    room_id: str


async def seed_members(url: str, users: int, room_size: int, rounds: int) -> list[Member]:
    """`users` users, each with a login token, in channels of `room_size` members each
    (user i in channel i // room_size), written straight into the tables."""
    await seed.migrate(url)
    at = seed.now_ms()
    new_id = seed.seeded_ids(random.Random(3))
    rows = seed.user_rows(users, at, rounds, new_id)
    tokens = [f"bench-rt-token-{row[0]}" for row in rows]
    expires = at + TOKEN_DAYS * 86_400_000
    members = []
    async with seed.Bulk(url) as bulk:
        await seed.add_users(bulk, rows)
        pairs = zip(tokens, rows, strict=True)
        hashed = [(hash_login_token(t), r[0], at, expires, "") for t, r in pairs]
        for start in range(0, len(hashed), 20_000):
            await bulk.insert("login_tokens", TOKEN_COLUMNS, hashed[start : start + 20_000])
        for first in range(0, users, room_size):
            chunk = rows[first : first + room_size]
            room_id = await seed.add_room(bulk, f"bench-rt-{first // room_size}", chunk, at, new_id)
            members += [Member(r[0], r[1], tokens[first + i], room_id) for i, r in enumerate(chunk)]
    return members


class Poster:
    """One keep-alive HTTP connection posting `chat.postMessage` as one member."""

    def __init__(self, base_url: str, member: Member) -> None:
        self.parts = urlsplit(base_url)
        self.member = member
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.headers = {"X-User-Id": member.user_id, "X-Auth-Token": member.token}

    async def open(self) -> "Poster":
        """Connect (again): the server drops a keep-alive connection idle for 5 s."""
        self.close()
        self.reader, self.writer = await asyncio.open_connection(
            self.parts.hostname, self.parts.port
        )
        return self

    async def post(self, text: str) -> int:
        """Send one message; the HTTP status of the answer."""
        body = orjson.dumps({"roomId": self.member.room_id, "text": text})
        request = Request("POST", "/api/v1/chat.postMessage", self.headers, body)
        if self.reader is None or self.reader.at_eof():
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(request.encode(self.parts.netloc))
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await self.reader.readexactly(length)
        return int(head.split(b" ", 2)[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Fleet:
    """Many logged-in, subscribed sockets sharing one tally."""

    host: str
    port: int
    deflate: bool
    tally: Tally = field(default_factory=Tally)
    sockets: list[DdpSocket] = field(default_factory=list)

    async def grow(self, members: Sequence[Member], subs_of: Any, concurrency: int) -> float:
        """Open a socket for each of `members` (`subs_of(member)` says what it subscribes
        to), `concurrency` at a time; the seconds it took."""
        started, gate = time.perf_counter(), asyncio.Semaphore(concurrency)

        async def one(member: Member) -> DdpSocket:
            async with gate:
                return await open_socket(
                    self.host, self.port, self.tally, member.token, subs_of(member), self.deflate
                )

        self.sockets += await asyncio.gather(*(one(m) for m in members))
        return time.perf_counter() - started

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()
        self.sockets = []


def raise_fd_limit(sockets: int) -> int:
    """Let this process and the server it starts (which inherits the limit) each hold
    `sockets` connections, with room for the database and the posters."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = sockets + 1024
    if soft >= want:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    except (ValueError, OSError):
        if hard < want:
            raise SystemExit(f"need {want} open files, the hard limit is {hard}") from None
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def cpu_seconds() -> float:
    """User + system CPU time of this (client) process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
