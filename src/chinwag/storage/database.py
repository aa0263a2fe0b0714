"""One interface over both stores: SQLite run inline on the event loop, PostgreSQL via asyncpg."""

import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from typing import Any, NoReturn, Protocol, TypeVar, TypeVarTuple, overload

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.util.concurrency import greenlet_spawn

from chinwag.domain.errors import InvalidParams
from chinwag.storage.engine import is_sqlite, normalise_url
from chinwag.storage.prepared import Plan, Prepared

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class Conn(Protocol):
    """What repositories need of a connection: SQLAlchemy's AsyncConnection has this shape."""

    @property
    def dialect(self) -> sa.Dialect: ...

    @overload
    async def execute(
        self, statement: TypedReturnsRows[*Ts], parameters: Any = None
    ) -> sa.CursorResult[*Ts]: ...

    @overload
    async def execute(
        self, statement: sa.Executable, parameters: Any = None
    ) -> sa.CursorResult[*tuple[Any, ...]]: ...

    def begin_nested(self) -> AbstractAsyncContextManager[Any]: ...

    async def run(self, prepared: Prepared, parameters: Mapping[str, Any]) -> sa.Result[Any]:
        """A hot statement, straight on the driver (see `prepared`); its rows, if any."""
        ...

    async def run_last(self, prepared: Prepared, parameters: Mapping[str, Any]) -> sa.Result[Any]:
        """The transaction's last statement, run as `run` does; no statement may follow it.
        On PostgreSQL, where nothing before it wrote or locked, no transaction has begun
        and it commits by itself: one statement is atomic, and its row locks are held for
        the statement alone instead of until this process gets round to COMMIT."""
        ...

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T: ...

    async def commit(self) -> None: ...


def _listened(engine: sa.Engine) -> bool:
    """Whether anything listens for statements (tests that count them)."""
    return bool(engine.dispatch.before_cursor_execute)


def _before_execute(conn: sa.Connection, plan: Plan, args: Sequence[Any]) -> None:
    """Tell the statement listeners, as SQLAlchemy's own path does."""
    conn.dispatch.before_cursor_execute(conn, None, plan.sql, args, None, False)


class _Connection:
    """What the two stores' connections share: the engine's dialect, and `execute` typed as
    SQLAlchemy's (each store runs it its own way, in `_execute`)."""

    _engine: sa.Engine | AsyncEngine
    _ended = False  # the transaction's last statement has run (`run_last`)

    @property
    def dialect(self) -> sa.Dialect:
        return self._engine.dialect

    def _check_open(self) -> None:
        if self._ended:
            raise RuntimeError("a statement after the transaction's last one (run_last)")

    @overload
    async def execute(
        self, statement: TypedReturnsRows[*Ts], parameters: Any = None
    ) -> sa.CursorResult[*Ts]: ...

    @overload
    async def execute(
        self, statement: sa.Executable, parameters: Any = None
    ) -> sa.CursorResult[*tuple[Any, ...]]: ...

    async def execute(
        self, statement: sa.Executable, parameters: Any = None
    ) -> sa.CursorResult[*tuple[Any, ...]]:
        self._check_open()
        return await self._execute(statement, parameters)

    async def _execute(
        self, statement: sa.Executable, parameters: Any
    ) -> sa.CursorResult[*tuple[Any, ...]]:
        raise NotImplementedError


class InlineConnection(_Connection):
    """A synchronous SQLite connection behind Conn's awaitables.

    SQLite answers a point query in tens of microseconds; handing each statement to a
    thread (as aiosqlite does) costs more than the query and fights for the GIL, so
    statements run right here on the event loop thread.

    Reads and transactions hold the pooled driver connection only: `run` needs nothing
    more, and SQLAlchemy's connection and transaction objects took 7% of a post's CPU.
    SQLAlchemy's connection is made over the same driver connection when a statement needs
    it; BEGIN and COMMIT stay with the driver.
    """

    _engine: sa.Engine

    def __init__(
        self,
        engine: sa.Engine,
        pooled: PoolProxiedConnection,
        sync: sa.Connection | None = None,
        begins: bool = False,
    ) -> None:
        self._engine = engine
        self._pooled = pooled
        self._sync = sync
        self.begins = begins  # a transaction, begun and ended on the driver (Database._held)
        # Given SQLAlchemy's connection (Database.connect), SQLAlchemy begins: `run` too.
        self._autobegin = sync is not None
        self.driver: sqlite3.Connection = pooled.dbapi_connection  # type: ignore[assignment]

    @property
    def sync(self) -> sa.Connection:
        """SQLAlchemy's connection over the same driver connection, made on first use."""
        if self._sync is None:
            self._sync = sa.Connection(self._engine, connection=self._pooled)
            self._sync.execution_options(**{NO_BEGIN: True})
        return self._sync

    async def _execute(
        self, statement: sa.Executable, parameters: Any
    ) -> sa.CursorResult[*tuple[Any, ...]]:
        return self.sync.execute(statement, parameters)

    async def run_last(self, prepared: Prepared, parameters: Mapping[str, Any]) -> sa.Result[Any]:
        result = await self.run(prepared, parameters)  # BEGIN is local: nothing to save
        self._ended = True
        return result

    async def run(self, prepared: Prepared, parameters: Mapping[str, Any]) -> sa.Result[Any]:
        self._check_open()
        plan = prepared.plan(self._engine.dialect, parameters)
        args = plan.args(parameters)
        if self._autobegin and not self.sync.in_transaction():
            self.sync.begin()  # as execute would
        if _listened(self._engine):
            _before_execute(self.sync, plan, args)
        try:
            return plan.result(self.driver.execute(plan.sql, args).fetchall())
        except sqlite3.Error as exc:
            raise _translated(exc, plan.sql, args) from exc

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        """A savepoint: the block's writes roll back alone if it raises."""
        with self.sync.begin_nested():
            yield

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self.sync, *args)

    async def commit(self) -> None:
        self.sync.commit()

    async def begin_on_driver(self) -> None:
        try:
            self.driver.execute("BEGIN")
        except sqlite3.Error as exc:
            raise _translated(exc, "BEGIN", ()) from exc

    async def commit_on_driver(self) -> None:
        try:
            self.driver.commit()  # COMMIT, if a transaction is open
        except sqlite3.Error as exc:
            self.driver.rollback()
            raise _translated(exc, "COMMIT", ()) from exc

    async def rollback_on_driver(self) -> None:
        self.driver.rollback()  # ROLLBACK, if a transaction is open

    async def close(self) -> None:
        """Back to the pool (through SQLAlchemy's connection if one was made)."""
        if self._sync is not None:
            self._sync.close()
        else:
            self._pooled.close()


def _translated(exc: sqlite3.Error, sql: str, args: Any) -> sa.exc.StatementError:
    """The driver's error as SQLAlchemy raises it (IntegrityError, OperationalError...)."""
    return sa.exc.DBAPIError.instance(sql, args, exc, sqlite3.Error)


class PgConnection(_Connection):
    """An asyncpg connection from SQLAlchemy's pool behind Conn's awaitables.

    As on SQLite, reads and transactions hold the pooled connection only, and `run` talks
    to SQLAlchemy's adapter around the asyncpg connection: its statement cache, its lock
    and its transaction are the ones `execute` uses (private API; SQLAlchemy is pinned).
    SQLAlchemy's AsyncConnection, whose greenlet hand-offs and transaction objects cost
    more than a statement, is made over the same connection when a statement needs it.
    """

    _engine: AsyncEngine

    def __init__(
        self,
        engine: AsyncEngine,
        pooled: PoolProxiedConnection,
        aconn: AsyncConnection | None = None,
        begins: bool = False,
    ) -> None:
        self._engine = engine
        self._pooled = pooled
        self._aconn = aconn
        self.begins = begins  # a transaction, begun and ended on the driver (Database._held)
        # Given SQLAlchemy's connection (Database.connect), SQLAlchemy begins: `run` too.
        self._autobegin = aconn is not None
        # Neither: a read, whose statements each commit by themselves.
        self._autocommit = not begins and aconn is None
        self.adapted: Any = pooled.dbapi_connection

    @property
    def aconn(self) -> AsyncConnection:
        """SQLAlchemy's connection over the same pooled connection, made on first use."""
        if self._aconn is None:
            sync = sa.Connection(self._engine.sync_engine, connection=self._pooled)
            self._aconn = AsyncConnection(self._engine, sync)
        return self._aconn

    async def _execute(
        self, statement: sa.Executable, parameters: Any
    ) -> sa.CursorResult[*tuple[Any, ...]]:
        return await self.aconn.execute(statement, parameters)

    def begin_nested(self) -> AbstractAsyncContextManager[Any]:
        return self.aconn.begin_nested()

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return await self.aconn.run_sync(fn, *args)

    async def commit(self) -> None:
        await self.aconn.commit()

    async def run(self, prepared: Prepared, parameters: Mapping[str, Any]) -> sa.Result[Any]:
        return await self._run(prepared, parameters, alone=False)

    async def run_last(self, prepared: Prepared, parameters: Mapping[str, Any]) -> sa.Result[Any]:
        result = await self._run(prepared, parameters, alone=not self._autobegin)
        self._ended = True
        return result

    async def _run(
        self, prepared: Prepared, parameters: Mapping[str, Any], alone: bool
    ) -> sa.Result[Any]:
        """`alone`: with no transaction begun, the statement commits by itself."""
        self._check_open()
        dialect = self._engine.dialect
        plan = prepared.plan(dialect, parameters)
        args = plan.args(parameters)
        if self._autobegin and not self.aconn.in_transaction():
            await self.aconn.begin()  # as execute would, so commit and rollback cover this
        if _listened(self._engine.sync_engine):
            sync = self.aconn.sync_connection
            assert sync is not None
            _before_execute(sync, plan, args)
        adapted = self.adapted
        # BEGIN waits for the first statement that writes or locks: under READ COMMITTED a
        # read sees the same inside a transaction as outside, and a transaction that only
        # writes once (a post) can then be that one statement, with no BEGIN or COMMIT.
        begin = not (self._autocommit or plan.reads or alone)
        async with adapted._execute_mutex:
            try:
                if adapted._transaction is None and begin:
                    await adapted._start_transaction()
                statement, _ = await adapted._prepare(
                    plan.sql,
                    dialect._invalidate_schema_cache_asof,  # type: ignore[attr-defined]
                )
                rows = await statement.fetch(*args)
            except Exception as exc:
                await self._raise_translated(exc, plan.sql, args)
        return plan.result(rows)

    async def begin_on_driver(self) -> None:
        """Nothing yet: BEGIN goes with the first `run` statement that writes or locks
        (`_run`), or with the first statement sent through `execute` (SQLAlchemy's adapter
        begins before any statement it sends)."""

    async def commit_on_driver(self) -> None:
        transaction = self.adapted._transaction
        if transaction is None:
            return
        try:
            await self.adapted._call_and_discard(transaction.commit)
        except Exception as exc:
            await self._raise_translated(exc, "COMMIT", ())

    async def rollback_on_driver(self) -> None:
        """Undo the transaction, if one is open; a connection that cannot is dropped."""
        transaction = self.adapted._transaction
        if transaction is None:
            return
        try:
            await self.adapted._call_and_discard(transaction.rollback)
        except Exception:
            await self._invalidate()

    async def close(self) -> None:
        """Back to the pool (through SQLAlchemy's connection if one was made)."""
        if self._aconn is not None:
            await self._aconn.close()
        else:
            await greenlet_spawn(self._pooled.close)

    async def _invalidate(self) -> None:
        if self._aconn is not None:
            await self._aconn.invalidate()
        else:
            await greenlet_spawn(self._pooled.invalidate)

    async def _raise_translated(self, exc: Exception, sql: str, args: Any) -> NoReturn:
        """The driver's error as SQLAlchemy's (IntegrityError, DataError...), as `execute`
        raises it; a lost connection is dropped from the pool."""
        dialect = self._engine.dialect
        dbapi_error = dialect.loaded_dbapi.Error
        try:
            self.adapted._handle_exception(exc)
        except dbapi_error as translated:
            lost = dialect.is_disconnect(translated, self.adapted, None)
            if lost:
                await self._invalidate()
            raise sa.exc.DBAPIError.instance(
                sql,
                args,
                translated,
                dbapi_error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from exc
        raise AssertionError("unreachable: the adapter raises")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling skips BEGIN before DDL and SELECT;
    # turn it off and let SQLAlchemy's "begin" event issue BEGIN (SQLAlchemy's pysqlite recipe).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# The execution option of a SQLite connection whose BEGIN is not SQLAlchemy's to send: a
# read's (each statement is its own transaction) or a transaction's, begun on the driver.
# (SQLAlchemy's own AUTOCOMMIT would reset the driver's mode when the connection goes back.)
NO_BEGIN = "chinwag_no_begin"


def _sqlite_begin(conn: sa.Connection) -> None:
    if conn.get_execution_options().get(NO_BEGIN):
        return
    # Straight to the driver: this runs for every transaction, and SQLAlchemy's statement
    # machinery costs more than the BEGIN itself.
    conn.connection.dbapi_connection.execute("BEGIN")  # type: ignore[union-attr]


UNSTORABLE = (
    "A value is too long, out of range, or holds characters that cannot be stored (such as NUL)"
)


@asynccontextmanager
async def _client_data_errors() -> AsyncIterator[None]:
    """The database refusing a value the client sent is bad input (400), not a server fault.

    PostgreSQL enforces column widths, integer ranges and UTF-8 without NUL where SQLite
    does not; the transaction is already rolled back when this translation happens.
    """
    try:
        yield
    except sa.exc.DBAPIError as exc:
        # SQLSTATE class 22 is "data exception"; asyncpg reports values it cannot encode
        # for a parameter as "invalid input for query argument".
        sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
        if (
            isinstance(exc, sa.exc.DataError)
            or sqlstate.startswith("22")
            or "invalid input for query argument" in str(exc.orig)
        ):
            raise InvalidParams(UNSTORABLE) from exc
        raise


def _dumps(value: Any) -> str:
    # Like the standard library: non-string keys become strings.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _loads(value: Any) -> Any:
    # SQLite gives a column declared JSON numeric affinity: the text `0` comes back as 0.
    if isinstance(value, int | float):
        return value
    return orjson.loads(value)


# JSON columns (messages carry their parsed `md` tree) decode with orjson: a history page
# decodes hundreds of them, and the standard library's decoder was a visible share of it.
_JSON_CODEC: dict[str, Any] = {"json_serializer": _dumps, "json_deserializer": _loads}


# A pooled PostgreSQL connection idle longer than this is checked (one round trip) before
# use, so a database restart costs no request on a quiet server; a busy server's
# connections are in constant use and skip the check (a dead one is then caught by the
# failed statement, which invalidates the pool so the others are replaced too).
IDLE_CHECK_SECONDS = 5.0
POOL_SIZE = 20  # PostgreSQL connections a process holds at most


def _note_checkin(_dbapi_conn: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


class Database:
    """Connections and transactions for the configured store."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = is_sqlite(self.url)
        self._sync: sa.Engine | None = None
        self._async: AsyncEngine | None = None
        self._async_reads: AsyncEngine | None = None
        if self.is_sqlite:
            sync_url = self.url.replace("sqlite+aiosqlite://", "sqlite+pysqlite://", 1)
            self._sync = sa.create_engine(sync_url, pool_size=8, max_overflow=8, **_JSON_CODEC)
            sa.event.listen(self._sync, "connect", _sqlite_pragmas)
            sa.event.listen(self._sync, "begin", _sqlite_begin)
        else:
            # Twenty connections kept open, none beyond: "overflow" connections are closed
            # as soon as they are handed back, and under steady concurrency above the pool
            # size every request paid for a new connection (and lost its prepared statements).
            self._async = create_async_engine(
                self.url, pool_size=POOL_SIZE, max_overflow=0, **_JSON_CODEC
            )
            sync_engine = self._async.sync_engine
            sa.event.listen(sync_engine, "checkin", _note_checkin)
            sa.event.listen(sync_engine, "checkout", self._check_if_idle)
            # Reads need no transaction: under READ COMMITTED each statement has its own
            # snapshot either way, and skipping BEGIN and ROLLBACK saves two round trips
            # (SQLite's reads do the same, for the same semantics).
            self._async_reads = self._async.execution_options(isolation_level="AUTOCOMMIT")

    def _check_if_idle(self, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("checked_in")
        if idle_since is None or time.monotonic() - idle_since < IDLE_CHECK_SECONDS:
            return
        assert self._async is not None
        dialect = self._async.dialect
        try:
            alive = dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as exc:
            raise sa.exc.DisconnectionError("the pooled connection is gone") from exc
        if not alive:  # the pool then opens a new connection in its place
            raise sa.exc.DisconnectionError("the pooled connection is gone")

    @property
    def dialect(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[Conn]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        async with _client_data_errors(), self._held(await self._pooled(begin=True)) as conn:
            yield conn

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Conn]:
        """A connection for reads; whatever it writes is rolled back."""
        async with _client_data_errors():
            if self._sync is not None:
                with self._sync.connect() as conn:
                    yield InlineConnection(self._sync, conn.connection, conn)
                return
            assert self._async is not None
            async with self._async.connect() as aconn:
                yield PgConnection(self._async, await aconn.get_raw_connection(), aconn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """A connection for reads only: each statement commits by itself (no BEGIN, no
        ROLLBACK), so a write made through it would stick; never write here."""
        async with _client_data_errors(), self._held(await self._pooled(begin=False)) as conn:
            yield conn

    async def _pooled(self, begin: bool) -> InlineConnection | PgConnection:
        """A connection from the store's pool: for a transaction, or (not `begin`) for reads
        whose statements each commit by themselves."""
        if self._sync is not None:
            return InlineConnection(self._sync, self._sync.raw_connection(), begins=begin)
        engine = self._async if begin else self._async_reads
        assert engine is not None
        return PgConnection(engine, await engine.raw_connection(), begins=begin)

    @asynccontextmanager
    async def _held(self, conn: InlineConnection | PgConnection) -> AsyncIterator[Conn]:
        """`conn` for the block, then back to the pool; a transaction's is committed when
        the block ends and rolled back if it raises."""
        try:
            if conn.begins:
                await conn.begin_on_driver()
            try:
                yield conn
            except BaseException:
                await conn.rollback_on_driver()
                raise
            if conn.begins:
                await conn.commit_on_driver()
        finally:
            await conn.close()

    @asynccontextmanager
    async def exclusive(self, key: int) -> AsyncIterator[None]:
        """Run the block in one process at a time across hosts: a PostgreSQL advisory lock
        (the others wait). SQLite serves one process, so there is nothing to take."""
        if self.is_sqlite:
            yield
            return
        async with self.connect() as conn:
            await conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            await conn.commit()
            try:
                yield
            finally:
                await conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                await conn.commit()

    @contextmanager
    def statement_counter(self) -> Iterator[list[str]]:
        """The SQL statements sent while the block runs, in order (for tests that count them)."""
        engine = self._sync if self._sync is not None else self._async_engine().sync_engine
        seen: list[str] = []

        def record(*args: Any) -> None:
            seen.append(str(args[2]))  # (conn, cursor, statement, parameters, context, many)

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    def _async_engine(self) -> AsyncEngine:
        assert self._async is not None
        return self._async

    async def dispose(self) -> None:
        if self._sync is not None:
            self._sync.dispose()
        if self._async is not None:
            await self._async.dispose()
