"""The hot paths' statements, run straight on the database driver.

SQLAlchemy's execution machinery (an execution context, parameter processing, a cursor
result, its events) costs several times what SQLite takes to answer a point query, and
about three times what asyncpg takes to send one. A `Prepared` statement is compiled once
per dialect and set of parameter names; running it binds the parameters and reads the rows
with the column types' own processors, so its values are exactly what `execute` would give.

Only statements with no Python-side column defaults and no expanding (IN) parameters
qualify; anything else goes through `Conn.execute`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData

Processor = Callable[[Any], Any]
_REQUIRED = object()  # a parameter the caller must give


@dataclass(frozen=True, slots=True)
class Plan:
    """One statement compiled for one dialect and one set of parameter names."""

    sql: str
    reads: bool  # a SELECT that writes and locks nothing: it needs no transaction of its own
    names: tuple[str, ...]  # the positional parameters, in order
    own_values: tuple[Any, ...]  # a value the statement carries for each, or _REQUIRED
    binds: tuple[tuple[int, Processor], ...]  # (position, processor) where one applies
    metadata: SimpleResultMetaData | None  # None: the statement returns no rows
    results: tuple[tuple[int, Processor], ...]

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        args = []
        for name, own in zip(self.names, self.own_values, strict=True):
            value = params.get(name, own)
            if value is _REQUIRED:
                raise sa.exc.ArgumentError(f"missing value for the parameter {name!r}")
            args.append(value)
        for i, process in self.binds:
            args[i] = process(args[i])
        return args

    def result(self, rows: Iterable[Sequence[Any]]) -> sa.Result[Any]:
        """The rows as a SQLAlchemy result (rows by attribute, `_mapping`, `scalar_one`...)."""
        if self.metadata is None:
            return IteratorResult(SimpleResultMetaData(()), iter(()))
        if self.results:
            rows = [self._processed(row) for row in rows]
        return IteratorResult(self.metadata, iter(rows))

    def _processed(self, row: Sequence[Any]) -> tuple[Any, ...]:
        values = list(row)
        for i, process in self.results:
            values[i] = process(values[i])
        return tuple(values)


class Prepared:
    """A statement to run with `Conn.run`; its compiled plans are kept per dialect."""

    def __init__(self, statement: sa.Executable, keyed: bool = True) -> None:
        """`keyed`: an INSERT's or UPDATE's columns are the keys of its parameters (as with
        `execute`); otherwise only those the statement names (as a statement with several
        INSERTs or UPDATEs in WITH clauses needs)."""
        self.statement = statement
        self.keyed = keyed
        self._plans: dict[tuple[str, frozenset[str]], Plan] = {}

    def plan(self, dialect: sa.Dialect, params: Mapping[str, Any]) -> Plan:
        key = (dialect.name, frozenset(params))
        plan = self._plans.get(key)
        if plan is None:
            keys = list(params) if self.keyed else None
            plan = self._plans[key] = _compile(self.statement, dialect, keys)
        return plan


def _compile(statement: sa.Executable, dialect: sa.Dialect, keys: list[str] | None) -> Plan:
    compiled = statement.compile(dialect=dialect, column_keys=keys)  # type: ignore[attr-defined]
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise ValueError("a Prepared statement cannot fill Python-side column defaults")
    if compiled.post_compile_params or compiled.literal_execute_params:
        raise ValueError("a Prepared statement cannot expand parameters (IN lists)")
    if not compiled.positional:
        raise ValueError(f"{dialect.name}: a Prepared statement needs positional parameters")
    names = tuple(compiled.positiontup or ())
    own_values = []
    for name in names:
        bind = compiled.binds[name]
        own_values.append(_REQUIRED if bind.required else bind.effective_value)
    processors = compiled._bind_processors
    binds = tuple((i, processors[n]) for i, n in enumerate(names) if n in processors)
    metadata = None
    results: list[tuple[int, Processor]] = []
    if compiled._result_columns:
        keys = [column.keyname for column in compiled._result_columns]
        metadata = SimpleResultMetaData(keys)
        for i, column in enumerate(compiled._result_columns):
            process = column.type._cached_result_processor(dialect, None)
            if process is not None:
                results.append((i, process))
    return Plan(
        sql=compiled.string,
        reads=_reads(statement, compiled),
        names=names,
        own_values=tuple(own_values),
        binds=binds,
        metadata=metadata,
        results=tuple(results),
    )


def _reads(statement: sa.Executable, compiled: Any) -> bool:
    """Whether the statement only reads: a SELECT with no FOR UPDATE or SHARE and no
    INSERT, UPDATE or DELETE in a WITH clause. (A SELECT of a function with effects, such
    as taking an advisory lock, is not one: send those through `execute`.)"""
    if not isinstance(statement, sa.Select) or statement._for_update_arg is not None:
        return False
    ctes = getattr(compiled, "ctes", None) or {}
    return not any(isinstance(cte.element, sa.sql.dml.UpdateBase) for cte in ctes)
