"""The connections the store hands out: reads without a transaction on PostgreSQL, and
pooled connections checked after they sat idle."""

import asyncio

import asyncpg
import pytest
import sqlalchemy as sa

from chinwag.actions.deps import Deps
from chinwag.storage import database
from chinwag.storage.rooms import _ROOM_BY_ID as ROOM_BY_ID
from tests.conftest import PG_URL

postgres_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL behaviour")

TIME_AND_BACKEND = sa.text("SELECT now(), pg_backend_pid()")


async def _terminate(pid: int) -> None:
    """Close one server connection from outside, as a database restart would."""
    assert PG_URL is not None
    url = sa.make_url(PG_URL).set(drivername="postgresql").render_as_string(False)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await conn.close()


@postgres_only
async def test_each_read_statement_has_its_own_snapshot_and_writes_keep_one(deps: Deps) -> None:
    """now() is the transaction's start: it moves between two reads and not within a write."""
    async with deps.reader() as uow:
        first = (await uow.conn.execute(TIME_AND_BACKEND)).one()[0]
        await asyncio.sleep(0.01)
        second = (await uow.conn.execute(TIME_AND_BACKEND)).one()[0]
    assert second > first
    async with deps.uow() as uow:
        first = (await uow.conn.execute(TIME_AND_BACKEND)).one()[0]
        await asyncio.sleep(0.01)
        second = (await uow.conn.execute(TIME_AND_BACKEND)).one()[0]
    assert second == first


@postgres_only
async def test_an_idle_connection_that_died_is_replaced_before_use(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "IDLE_CHECK_SECONDS", 0.0)
    await deps.db.dispose()  # a pool of one connection, the next read's
    async with deps.reader() as uow:
        before = (await uow.conn.execute(TIME_AND_BACKEND)).one()[1]
    await _terminate(before)
    async with deps.reader() as uow:
        after = (await uow.conn.execute(TIME_AND_BACKEND)).one()[1]
    assert after != before


@postgres_only
async def test_a_busy_connection_is_not_checked_and_one_failure_renews_the_pool(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the check a dead connection fails its statement once; the pool then replaces
    every connection made before the failure."""
    monkeypatch.setattr(database, "IDLE_CHECK_SECONDS", 3600.0)
    await deps.db.dispose()  # a pool of one connection, the next read's
    async with deps.reader() as uow:
        before = (await uow.conn.execute(TIME_AND_BACKEND)).one()[1]
    await _terminate(before)
    with pytest.raises(sa.exc.DBAPIError):
        async with deps.reader() as uow:
            await uow.conn.execute(TIME_AND_BACKEND)
    async with deps.reader() as uow:
        assert (await uow.conn.execute(TIME_AND_BACKEND)).one()[1] != before


@postgres_only
async def test_a_hot_statement_on_a_dead_connection_fails_once_and_renews_the_pool(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same through `run`, which skips SQLAlchemy's connection: the failure is
    SQLAlchemy's error, and the dead connection does not go back to the pool."""
    monkeypatch.setattr(database, "IDLE_CHECK_SECONDS", 3600.0)
    await deps.db.dispose()
    async with deps.reader() as uow:
        before = (await uow.conn.execute(TIME_AND_BACKEND)).one()[1]
    await _terminate(before)
    with pytest.raises(sa.exc.DBAPIError):
        async with deps.reader() as uow:
            await uow.conn.run(ROOM_BY_ID, {"b_room_id": "nowhere"})
    async with deps.uow() as uow:
        assert (await uow.conn.run(ROOM_BY_ID, {"b_room_id": "nowhere"})).first() is None
        assert (await uow.conn.execute(TIME_AND_BACKEND)).one()[1] != before


@pytest.mark.skipif(bool(PG_URL), reason="SQLite behaviour")
async def test_sqlite_reads_hold_no_transaction_and_writes_do(deps: Deps) -> None:
    """A read takes no BEGIN, and leaves the connection as writes expect it."""
    for _ in range(2):
        async with deps.reader() as uow:
            await uow.conn.execute(sa.text("SELECT 1"))
            assert isinstance(uow.conn, database.InlineConnection)
            driver = uow.conn.sync.connection.dbapi_connection
            assert driver is not None and not driver.in_transaction
        async with deps.uow() as uow:
            await uow.conn.execute(sa.text("SELECT 1"))
            assert isinstance(uow.conn, database.InlineConnection)
            driver = uow.conn.sync.connection.dbapi_connection
            assert driver is not None and driver.in_transaction
            assert driver.isolation_level is None  # BEGIN is ours, never the driver's
