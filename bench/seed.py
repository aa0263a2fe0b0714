"""Bulk-load a benchmark database before its server starts: users, channels, members and
messages written straight into the storage tables, never through REST or bcrypt per user.

SQLite takes SQLAlchemy Core executemany in big transactions; PostgreSQL takes asyncpg COPY.
The schema comes from the server's own migrations, so the end state is what the server
would have written (the full-text index included)."""

import asyncio
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import sqlalchemy as sa

from bench.corpus import Corpus, Query, count_hits
from chinwag.domain.ids import UNMISTAKABLE
from chinwag.domain.passwords import hash_digest, sha256_hex
from chinwag.storage.database import Database
from chinwag.storage.migrate import upgrade

PASSWORD = "bench-pass"
Row = tuple[Any, ...]
USER_COLUMNS = [
    *("id", "username", "username_lower", "name", "email", "email_lower", "email_verified"),
    *("type", "active", "status", "created_at", "updated_at", "password_hash"),
]
SUB_COLUMNS = [
    *("id", "room_id", "user_id", "username", "room_type", "name", "fname", "joined_at"),
    *("updated_at", "last_seen", "open", "roles", "read_seq"),
]
MESSAGE_COLUMNS = [
    *("id", "room_id", "seq", "ts", "updated_at", "user_id", "username", "user_name", "msg"),
    "md",
]


def now_ms() -> int:
    return int(time.time() * 1000)


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def _plain_url(url: str) -> str:
    """asyncpg wants postgresql://, without SQLAlchemy's +driver."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+')[0]}://{rest}"


async def recreate_postgres(url: str) -> None:
    """Drop and create the benchmark's scratch database (its name must say `bench`)."""
    parts = urlsplit(_plain_url(url))
    name = parts.path.lstrip("/")
    if "bench" not in name or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to recreate {name!r}: a benchmark database name has 'bench'")
    conn = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def migrate(url: str) -> None:
    """The server's own schema; the server bootstraps the rest (roles, GENERAL) at start."""
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


class Bulk:
    """Rows into tables, fast, on either store; plain SQL for the rest."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.pg: asyncpg.Connection | None = None
        self.lite: sa.Connection | None = None

    async def __aenter__(self) -> "Bulk":
        if is_postgres(self.url):
            self.pg = await asyncpg.connect(_plain_url(self.url))
        else:
            engine = sa.create_engine(self.url.replace("sqlite:", "sqlite+pysqlite:", 1))
            self.lite = engine.connect()
            self.lite.exec_driver_sql("PRAGMA synchronous=OFF")  # a crash would mean a reseed
            self.lite.commit()
        return self

    async def __aexit__(
        self, *exc: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        if self.pg is not None:
            await self.pg.close()
        if self.lite is not None:
            self.lite.close()
            self.lite.engine.dispose()

    async def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if self.pg is not None:
            await self.pg.copy_records_to_table(table, records=rows, columns=list(columns))
            return
        assert self.lite is not None
        target = sa.table(table, *(sa.column(c) for c in columns))
        with self.lite.begin():
            self.lite.execute(target.insert(), [dict(zip(columns, r, strict=True)) for r in rows])

    async def sql(self, statement: str) -> list[Row]:
        if self.pg is not None:
            return [tuple(r) for r in await self.pg.fetch(statement)]
        assert self.lite is not None
        with self.lite.begin():
            result = self.lite.exec_driver_sql(statement)
            return [tuple(r) for r in result] if result.returns_rows else []


def seeded_ids(rng: random.Random) -> Callable[[], str]:
    """Meteor-style 17-character ids, from a seeded generator (fast, reproducible)."""
    pairs = [a + b for a in UNMISTAKABLE for b in UNMISTAKABLE]
    return lambda: "".join(rng.choices(pairs, k=9))[:17]


def user_rows(count: int, at: int, rounds: int, new_id: Callable[[], str]) -> list[Row]:
    """`count` active users, bench-user-00000..., all with PASSWORD (hashed once)."""
    password_hash = hash_digest(sha256_hex(PASSWORD), rounds)
    rows = []
    for i in range(count):
        name, email = f"bench-user-{i:05d}", f"bench-user-{i:05d}@example.com"
        person = (f"Bench User {i}", email, email, True)
        rows.append((new_id(), name, name, *person, "user", True, "offline", at, at, password_hash))
    return rows


def room_row(room_id: str, name: str, owner: Row, members: int, at: int) -> dict[str, Any]:
    return {
        "id": room_id,
        "type": "c",
        "name": name,
        "name_lower": name.lower(),
        "fname": name,
        "creator_id": owner[0],
        "creator_username": owner[1],
        "created_at": at,
        "updated_at": at,
        "users_count": members,
    }


async def add_room(
    bulk: Bulk, name: str, users: Sequence[Row], at: int, new_id: Callable[[], str]
) -> str:
    """A public channel owned by the first of `users`, with all of them as members."""
    room_id = new_id()
    values = room_row(room_id, name, users[0], len(users), at)
    await bulk.insert("rooms", list(values), [tuple(values.values())])
    subs = [
        (new_id(), room_id, u[0], u[1], "c", name, name, at, at, at, True, roles, 0)
        for u, roles in zip(users, ['["owner"]'] + ["[]"] * (len(users) - 1), strict=True)
    ]
    for chunk in _chunks(subs, 20_000):
        await bulk.insert("subscriptions", SUB_COLUMNS, chunk)
    return room_id


async def add_users(bulk: Bulk, users: Sequence[Row]) -> None:
    for chunk in _chunks(users, 20_000):
        await bulk.insert("users", USER_COLUMNS, chunk)
        await bulk.insert("user_roles", ["user_id", "role_id"], [(u[0], "user") for u in chunk])


def _chunks(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def members(url: str, sizes: Sequence[int], rounds: int) -> dict[str, Any]:
    """max(sizes) users and one channel `bench-<size>` per size holding the first `size`."""
    started = time.perf_counter()
    await migrate(url)
    rng, at = random.Random(7), now_ms()
    new_id = seeded_ids(rng)
    users = user_rows(max(sizes), at, rounds, new_id)
    rooms = {}
    async with Bulk(url) as bulk:
        await add_users(bulk, users)
        for size in sizes:
            rooms[size] = await add_room(bulk, f"bench-{size}", users[:size], at, new_id)
    return {"users": len(users), "rooms": rooms, "seconds": time.perf_counter() - started}


def run(coro: Any) -> Any:
    """Seeding runs before the server starts, from synchronous benchmark code."""
    return asyncio.run(coro)


def md_of(text: str) -> str:
    """The `md` tree the server stores for a plain-text message, as JSON: built directly,
    since the parser takes about 0.1 ms a message; `_check_md` holds it to the parser."""
    return json.dumps([{"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": text}]}])


def _check_md(texts: Sequence[str]) -> None:
    from chinwag.domain.markdown import parse

    for text in texts:
        if json.dumps(parse(text)) != md_of(text):
            raise SystemExit(f"bench/seed.py md_of differs from the server's parser for {text!r}")


async def history(url: str, count: int, rounds: int, live: bool, corpus: Corpus) -> dict[str, Any]:
    """One channel `bench-history` of 20 members holding `count` messages, one a second.

    With `live`, rows go in with every index and full-text trigger in place, as the server
    writes them; otherwise those are dropped first and built again in bulk at the end.
    """
    await migrate(url)
    rng, at = random.Random(5), now_ms()
    new_id = seeded_ids(rng)
    users = user_rows(20, at, rounds, new_id)
    first_ts = at - count * 1000
    queries = corpus.queries()
    hits = [0] * len(queries)
    authors = [(u[0], u[1], u[3]) for u in users]  # id, username, name
    started, last_id = time.perf_counter(), None
    async with Bulk(url) as bulk:
        await add_users(bulk, users)
        room_id = await add_room(bulk, "bench-history", users, first_ts, new_id)
        rebuild = [] if live else await _drop_deferred(bulk)
        for done in range(0, count, 50_000):
            texts = corpus.messages(min(50_000, count - done))
            count_hits(queries, corpus.words, texts, hits)
            _check_md(texts[:50])
            rows = [
                (new_id(), room_id, seq, ts, ts, *authors[seq % 20], text, md_of(text))
                for seq, text in enumerate(texts, done + 1)
                for ts in (first_ts + seq * 1000,)
            ]
            await bulk.insert("messages", MESSAGE_COLUMNS, rows)
            _progress(done + len(rows), count, started)
            last_id = rows[-1][0]
        for statement in rebuild:
            await bulk.sql(statement)
        last = first_ts + count * 1000
        await bulk.sql(
            f"UPDATE rooms SET seq = {count}, msgs = {count}, last_message_at = {last}, "
            f"last_message_id = '{last_id}', updated_at = {last} WHERE id = '{room_id}'"
        )
        if is_postgres(url):
            await bulk.sql("ANALYZE")  # as autovacuum would after a million inserts
    return {
        "room_id": room_id,
        "reader": users[0][1],
        "first_ts": first_ts,
        "queries": [Query(q.name, q.text, n) for q, n in zip(queries, hits, strict=True)],
        "seconds": time.perf_counter() - started,
    }


def _progress(done: int, total: int, started: float) -> None:
    if done % 200_000 == 0 or done == total:
        rate = done / (time.perf_counter() - started)
        print(f"  seeded {done:,}/{total:,} messages ({rate:,.0f}/s)", flush=True)


async def _drop_deferred(bulk: Bulk) -> list[str]:
    """Drop the messages table's secondary indexes and full-text triggers; the statements
    that build them again from their own stored definitions (FTS5: a 'rebuild' first)."""
    if bulk.pg is not None:
        found = await bulk.sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'messages' AND "
            "indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'messages'::regclass)"
        )
        for name, _ in found:
            await bulk.sql(f'DROP INDEX "{name}"')
        return [definition for _, definition in found]
    found = await bulk.sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'messages' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type"
    )
    for kind, name, _ in found:
        await bulk.sql(f'DROP {kind.upper()} "{name}"')
    indexes = [sql for kind, _, sql in found if kind == "index"]
    triggers = [sql for kind, _, sql in found if kind == "trigger"]
    return [*indexes, "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')", *triggers]
