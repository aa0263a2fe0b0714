"""Spells of approval-only registration after a burst of sign-ups."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import SignupBurst
from chinwag.storage.database import Conn
from chinwag.storage.tables import signup_bursts


def _burst(row: sa.Row[Any]) -> SignupBurst:
    m = row._mapping
    return SignupBurst(
        id=m["id"],
        started_at=m["started_at"],
        ends_at=m["ends_at"],
        reason=m["reason"],
        ended_at=m["ended_at"],
        ended_by=m["ended_by"],
    )


def _active(now: datetime) -> list[sa.ColumnElement[bool]]:
    return [signup_bursts.c.ends_at > now, signup_bursts.c.ended_at.is_(None)]


class SignupBurstRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def find_active_burst(self, now: datetime) -> SignupBurst | None:
        """The spell in force at `now` (the latest to end, should processes have raced)."""
        query = (
            sa.select(signup_bursts)
            .where(*_active(now))
            .order_by(signup_bursts.c.ends_at.desc())
            .limit(1)
        )
        row = (await self.conn.execute(query)).first()
        return _burst(row) if row else None

    async def insert_burst(self, burst: SignupBurst) -> None:
        await self.conn.execute(
            signup_bursts.insert().values(
                id=burst.id, started_at=burst.started_at, ends_at=burst.ends_at, reason=burst.reason
            )
        )

    async def extend_bursts(self, now: datetime, ends_at: datetime) -> None:
        """The burst goes on: the spells in force last until `ends_at` at least."""
        await self.conn.execute(
            signup_bursts.update()
            .where(*_active(now), signup_bursts.c.ends_at < ends_at)
            .values(ends_at=ends_at)
        )

    async def end_bursts(self, now: datetime, by: str) -> int:
        """End every spell in force; how many there were."""
        result = await self.conn.execute(
            signup_bursts.update().where(*_active(now)).values(ended_at=now, ended_by=by)
        )
        return int(result.rowcount)
