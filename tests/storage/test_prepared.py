"""Hot statements run straight on the driver give what SQLAlchemy's own path gives: the same
rows and values, the same errors, inside the same transaction, seen by statement listeners."""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from chinwag.actions.deps import Deps
from chinwag.storage import database
from chinwag.storage import messages as message_statements
from chinwag.storage import rooms as room_statements
from chinwag.storage.prepared import Prepared
from chinwag.storage.tables import messages, rooms
from tests.conftest import Persona

AT = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


async def _general(deps: Deps) -> str:
    async with deps.reader() as uow:
        return str((await uow.conn.execute(sa.select(rooms.c.id).limit(1))).scalar_one())


async def _post(client: httpx.AsyncClient, who: Persona, room_id: str, text: str) -> str:
    body = {"roomId": room_id, "text": text}
    r = await client.post("/api/v1/chat.postMessage", json=body, headers=who.headers)
    assert r.status_code == 200, r.text
    return str(r.json()["message"]["_id"])


def _reads(room_id: str, user_id: str, message_id: str) -> list[tuple[Prepared, dict[str, Any]]]:
    return [
        (room_statements._ROOM_BY_ID, {"b_room_id": room_id}),
        (room_statements._ONE_SUBSCRIPTION, {"b_room_id": room_id, "b_user_id": user_id}),
        (room_statements._SUBSCRIPTIONS_WITH_ROOMS, {"b_user_id": user_id}),
        (
            room_statements._CHANGED_SUBSCRIPTIONS_WITH_ROOMS,
            {"b_user_id": user_id, "b_since": datetime(2000, 1, 1, tzinfo=UTC)},
        ),
        (
            room_statements._ROOM_WITH_SUBSCRIPTION,
            {"b_room_id": room_id, "b_user_id": user_id},
        ),
        (message_statements._MESSAGE_BY_ID, {"b_id": message_id}),
    ]


def _message_row(message_id: str, room_id: str, author: Persona, text: str) -> dict[str, Any]:
    """A message's columns as a post writes them, but its position."""
    return {
        "id": message_id,
        "room_id": room_id,
        "ts": AT,
        "updated_at": AT,
        "user_id": author.id,
        "username": author.username,
        "msg": text,
        "md": [{"type": "PARAGRAPH", "value": []}],
        "mentions": [],
        "shadow": False,
    }


async def test_reads_give_what_execute_gives(
    deps: Deps, client: httpx.AsyncClient, alice: Persona
) -> None:
    room_id = await _general(deps)
    message_id = await _post(client, alice, room_id, "*hello* @boss https://example.com")
    for prepared, params in _reads(room_id, alice.id, message_id):
        async with deps.reader() as uow:
            ours = (await uow.conn.run(prepared, params)).mappings().all()
            theirs = (await uow.conn.execute(prepared.statement, params)).mappings().all()
        assert ours, prepared.statement
        assert ours == theirs
        assert [list(r.items()) for r in ours] == [list(r.items()) for r in theirs]
    assert isinstance(ours[0]["ts"], datetime) and ours[0]["md"]  # processed: Millis, JSON


async def test_writes_store_what_execute_stores_and_roll_back_with_their_transaction(
    deps: Deps, client: httpx.AsyncClient, alice: Persona
) -> None:
    room_id = await _general(deps)
    row = {**_message_row("prepared-1", room_id, alice, "nul-free text"), "seq": 10_000}
    async with deps.uow() as uow:
        inserted = (await uow.conn.run(message_statements._INSERT_MESSAGE, row)).one()
    async with deps.reader() as uow:
        stored = (
            await uow.conn.execute(sa.select(messages).where(messages.c.id == "prepared-1"))
        ).one()
    assert inserted._mapping == stored._mapping
    assert stored.ts == AT and stored.md == row["md"] and stored.replies == []

    count = {"b_room_id": room_id, "b_at": AT, "b_message_id": "prepared-1"}
    with pytest.raises(RuntimeError):
        async with deps.uow() as uow:
            before = await _seq(uow.conn, room_id)
            seq = (await uow.conn.run(message_statements._COUNT_TIMELINE_MESSAGE, count)).one()
            assert seq[0] == before + 1
            raise RuntimeError("roll back")
    async with deps.reader() as uow:
        assert await _seq(uow.conn, room_id) == before


async def _seq(conn: Any, room_id: str) -> int:
    return int((await conn.execute(sa.select(rooms.c.seq).where(rooms.c.id == room_id))).one()[0])


async def test_errors_are_sqlalchemys_and_the_transaction_is_undone(
    deps: Deps, client: httpx.AsyncClient, alice: Persona
) -> None:
    room_id = await _general(deps)
    message_id = await _post(client, alice, room_id, "first")
    async with deps.reader() as uow:
        original = (await uow.conn.execute(sa.select(messages))).mappings().all()
    duplicate = dict(next(m for m in original if m["id"] == message_id))
    with pytest.raises(sa.exc.IntegrityError):
        async with deps.uow() as uow:
            fresh = {**duplicate, "id": "new", "seq": None}
            await uow.conn.run(message_statements._INSERT_MESSAGE, fresh)
            await uow.conn.run(message_statements._INSERT_MESSAGE, duplicate)
    async with deps.reader() as uow:
        assert (await uow.conn.execute(sa.select(messages))).mappings().all() == original


async def test_statement_listeners_see_them(deps: Deps, alice: Persona) -> None:
    room_id = await _general(deps)
    with deps.db.statement_counter() as seen:
        async with deps.reader() as uow:
            await uow.conn.run(room_statements._ROOM_BY_ID, {"b_room_id": room_id})
    assert len(seen) == 1 and "FROM rooms" in seen[0]


async def test_a_missing_parameter_is_refused_before_the_database(deps: Deps) -> None:
    async with deps.reader() as uow:
        with pytest.raises(sa.exc.ArgumentError, match="b_room_id"):
            await uow.conn.run(room_statements._ROOM_BY_ID, {})


def test_statements_it_cannot_run_are_refused_when_compiled() -> None:
    expanding = Prepared(sa.select(rooms).where(rooms.c.id.in_(sa.bindparam("ids"))))
    with pytest.raises(ValueError, match="expand"):
        expanding.plan(sa.create_engine("sqlite://").dialect, {"ids": ["a"]})


async def test_run_and_execute_in_one_transaction_commit_and_roll_back_together(
    deps: Deps, alice: Persona
) -> None:
    """On SQLite a transaction holds the driver connection alone until a statement needs
    SQLAlchemy's; both kinds of statement, and a savepoint, share the one transaction."""
    room_id = await _general(deps)
    count = {"b_room_id": room_id, "b_at": AT}
    bump = sa.update(rooms).where(rooms.c.id == room_id).values(msgs=rooms.c.msgs + 100)

    async def msgs() -> int:
        async with deps.reader() as uow:
            found = await uow.conn.execute(sa.select(rooms.c.msgs).where(rooms.c.id == room_id))
            return int(found.scalar_one())

    before = await msgs()
    with pytest.raises(RuntimeError):
        async with deps.uow() as uow:
            await uow.conn.run(message_statements._COUNT_MESSAGE, count)
            await uow.conn.execute(bump)
            raise RuntimeError("roll back")
    assert await msgs() == before

    async with deps.uow() as uow:
        await uow.conn.run(message_statements._COUNT_MESSAGE, count)
        with pytest.raises(RuntimeError):
            async with uow.conn.begin_nested():
                await uow.conn.execute(bump)
                raise RuntimeError("only the savepoint")
        await uow.conn.run(message_statements._COUNT_MESSAGE, count)
    assert await msgs() == before + 2

    async with deps.uow() as uow:
        await uow.conn.run(message_statements._COUNT_MESSAGE, count)
        if isinstance(uow.conn, database.InlineConnection):  # run alone needs no more
            assert uow.conn._sync is None
    assert await msgs() == before + 3


def test_a_plan_knows_whether_its_statement_only_reads() -> None:
    dialect = sa.create_engine("sqlite://").dialect
    by_id = sa.select(rooms).where(rooms.c.id == sa.bindparam("b_room_id"))
    bump = rooms.update().values(msgs=rooms.c.msgs + 1).returning(rooms.c.id).cte("bumped")
    cases = [
        (by_id, True),
        (by_id.with_for_update(), False),
        (sa.select(bump.c.id), False),
        (rooms.update().values(msgs=1), False),
    ]
    for statement, reads in cases:
        assert Prepared(statement).plan(dialect, {"b_room_id": "r"}).reads is reads, statement


async def _msgs(deps: Deps, room_id: str) -> int:
    async with deps.reader() as uow:
        found = await uow.conn.execute(sa.select(rooms.c.msgs).where(rooms.c.id == room_id))
        return int(found.scalar_one())


async def test_the_last_statement_ends_the_transaction_and_nothing_may_follow(
    deps: Deps, alice: Persona
) -> None:
    """On PostgreSQL, with only reads before it, it commits by itself: other connections
    see its write before the block ends, and a failure after it cannot undo it (callers
    only mark as last what nothing follows). On SQLite it commits with the block."""
    room_id = await _general(deps)
    count = {"b_room_id": room_id, "b_at": AT}
    before = await _msgs(deps, room_id)
    async with deps.uow() as uow:
        await uow.conn.run(room_statements._ROOM_BY_ID, {"b_room_id": room_id})
        if isinstance(uow.conn, database.PgConnection):
            assert uow.conn.adapted._transaction is None  # a read begins nothing
        await uow.conn.run_last(message_statements._COUNT_MESSAGE, count)
        alone = isinstance(uow.conn, database.PgConnection)
        if alone:
            assert uow.conn.adapted._transaction is None
        assert await _msgs(deps, room_id) == before + (1 if alone else 0)
        with pytest.raises(RuntimeError, match="last"):
            await uow.conn.run(room_statements._ROOM_BY_ID, {"b_room_id": room_id})
        with pytest.raises(RuntimeError, match="last"):
            await uow.conn.execute(sa.select(rooms.c.id))
    assert await _msgs(deps, room_id) == before + 1


async def test_the_last_statement_after_a_write_commits_and_rolls_back_with_it(
    deps: Deps, alice: Persona
) -> None:
    room_id = await _general(deps)
    count = {"b_room_id": room_id, "b_at": AT}
    before = await _msgs(deps, room_id)
    with pytest.raises(RuntimeError, match="roll back"):
        async with deps.uow() as uow:
            await uow.conn.run(message_statements._COUNT_MESSAGE, count)
            if isinstance(uow.conn, database.PgConnection):
                assert uow.conn.adapted._transaction is not None  # a write begins
            await uow.conn.run_last(message_statements._COUNT_MESSAGE, count)
            assert await _msgs(deps, room_id) == before  # not committed yet
            raise RuntimeError("roll back")
    assert await _msgs(deps, room_id) == before
    async with deps.uow() as uow:
        await uow.conn.execute(rooms.update().where(rooms.c.id == room_id).values(msgs=0))
        await uow.conn.run_last(message_statements._COUNT_MESSAGE, count)
    assert await _msgs(deps, room_id) == 1


async def test_a_timeline_message_is_counted_written_and_read_by_its_author_at_once(
    deps: Deps, client: httpx.AsyncClient, alice: Persona
) -> None:
    """One statement on PostgreSQL, three on SQLite: the same rows either way."""
    room_id = await _general(deps)
    await _post(client, alice, room_id, "joins the channel")
    row = _message_row("counted-1", room_id, alice, "counted")
    async with deps.reader() as uow:
        before = await _seq(uow.conn, room_id)
    with deps.db.statement_counter() as seen:
        async with deps.uow() as uow:
            inserted = await uow.messages.insert_timeline_message(row, read_by=alice.id, last=True)
    assert len(seen) == (1 if deps.db.dialect == "postgresql" else 3)
    async with deps.reader() as uow:
        assert await uow.messages.find_message("counted-1") == inserted
        room = await uow.rooms.find_room(room_id)
        mine = await uow.rooms.find_subscription(room_id, alice.id)
    assert inserted.seq == before + 1 and inserted.created_at == AT and inserted.text == "counted"
    assert room is not None and room.seq == before + 1 and room.last_message_id == "counted-1"
    assert mine is not None and mine.read_seq == before + 1


async def test_a_room_is_read_with_the_users_subscription_or_without_one(
    deps: Deps, client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room_id = await _general(deps)
    await _post(client, alice, room_id, "joins the channel")
    async with deps.reader() as uow:
        room = await uow.rooms.find_room(room_id)
        mine = await uow.rooms.find_subscription(room_id, alice.id)
        assert mine is not None
        assert await uow.rooms.find_room_for(room_id, alice.id) == (room, mine)
        assert await uow.rooms.find_room_for(room_id, "nobody") == (room, None)
        assert await uow.rooms.find_room_for("nowhere", alice.id) == (None, None)
