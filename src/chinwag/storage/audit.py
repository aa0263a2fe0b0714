"""The audit trail's rows: append under a lock, list with filters, read in order to verify."""

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.audit import GENESIS, AuditEntry
from chinwag.storage.database import Conn
from chinwag.storage.tables import audit_log

# Any fixed number: appenders on PostgreSQL take this transaction lock so the chain stays a line.
AUDIT_LOCK = 7_270_006
# Built once: an append is two statements on every audited action, so their construction and
# cache keys are not paid again each time (parameters travel separately).
_LOCK = sa.text("SELECT pg_advisory_xact_lock(:k)")
_LAST_HASH = sa.select(audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT = audit_log.insert()


def _entry(row: sa.Row[Any]) -> AuditEntry:
    m = row._mapping
    return AuditEntry(
        seq=m["seq"],
        id=m["id"],
        ts=m["ts"],
        actor_id=m["actor_id"],
        actor_username=m["actor_username"],
        ip=m["ip"],
        action=m["action"],
        target_type=m["target_type"],
        target_id=m["target_id"],
        before=m["before"],
        after=m["after"],
        prev_hash=m["prev_hash"],
        hash=m["hash"],
    )


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # an actor id or username
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        c = audit_log.c
        out: list[sa.ColumnElement[bool]] = []
        if self.actor:
            out.append(sa.or_(c.actor_id == self.actor, c.actor_username == self.actor))
        if self.action:
            out.append(c.action == self.action)
        if self.target:
            out.append(c.target_id == self.target)
        if self.since is not None:
            out.append(c.ts >= self.since)
        if self.until is not None:
            out.append(c.ts <= self.until)
        return out


class AuditRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def lock_and_last_hash(self) -> str:
        """The newest entry's hash, with appends by others held until this transaction ends
        (SQLite has one writer already)."""
        if self.conn.dialect.name == "postgresql":
            await self.conn.execute(_LOCK, {"k": AUDIT_LOCK})
        last = (await self.conn.execute(_LAST_HASH)).scalar()
        return last or GENESIS

    async def insert_entry(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(_INSERT, dict(values))

    async def list_entries(
        self, flt: AuditFilter, offset: int, count: int
    ) -> tuple[list[AuditEntry], int]:
        where = flt.clauses()
        query = (
            sa.select(audit_log)
            .where(*where)
            .order_by(audit_log.c.seq.desc())
            .offset(offset)
            .limit(count)
        )
        rows = (await self.conn.execute(query)).all()
        total_query = sa.select(sa.func.count()).select_from(audit_log).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        return [_entry(r) for r in rows], total

    async def count_entries(self) -> int:
        query = sa.select(sa.func.count()).select_from(audit_log)
        return int((await self.conn.execute(query)).scalar_one())

    async def iter_entries(self, batch: int = 1000) -> AsyncIterator[list[AuditEntry]]:
        """Every entry in sequence order, a batch at a time (keyset paging)."""
        after = -1
        while True:
            query = (
                sa.select(audit_log)
                .where(audit_log.c.seq > after)
                .order_by(audit_log.c.seq)
                .limit(batch)
            )
            rows = [_entry(r) for r in (await self.conn.execute(query)).all()]
            if not rows:
                return
            yield rows
            after = rows[-1].seq
