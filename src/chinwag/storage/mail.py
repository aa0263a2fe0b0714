"""The outgoing mail queue: enqueue, claim what is due, record each attempt, list for admins."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.mail import MailKind, MailState, QueuedMail
from chinwag.storage.database import Conn
from chinwag.storage.tables import mail_queue

q = mail_queue.c


def _mail(row: sa.Row[Any]) -> QueuedMail:
    m = row._mapping
    return QueuedMail(
        id=m["id"],
        kind=MailKind(m["kind"]),
        to=m["to_address"],
        subject=m["subject"],
        text=m["text_body"],
        html=m["html_body"],
        state=MailState(m["state"]),
        attempts=m["attempts"],
        last_error=m["last_error"],
        next_attempt_at=m["next_attempt_at"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        sent_at=m["sent_at"],
    )


def _due(now: datetime) -> sa.ColumnElement[bool]:
    """Pending mail whose time has come, and claims whose sender went silent."""
    return sa.or_(
        sa.and_(q.state == MailState.PENDING.value, q.next_attempt_at <= now),
        sa.and_(q.state == MailState.SENDING.value, q.locked_until <= now),
    )


class MailRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def insert_mail(self, values: dict[str, Any]) -> None:
        await self.conn.execute(mail_queue.insert().values(**values))

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[QueuedMail]:
        """Take up to `limit` due mails for this sender until `lease_until`.

        On PostgreSQL the rows are locked with SKIP LOCKED, so senders in other processes
        pass over them instead of waiting; SQLite has one writer and ignores the clause."""
        query = (
            sa.select(mail_queue)
            .where(_due(now))
            .order_by(q.next_attempt_at, q.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = (await self.conn.execute(query)).fetchall()
        if not rows:
            return []
        ids = [r._mapping["id"] for r in rows]
        await self.conn.execute(
            mail_queue.update()
            .where(q.id.in_(ids))
            .values(state=MailState.SENDING.value, locked_until=lease_until, updated_at=now)
        )
        return [_mail(r) for r in rows]

    async def mark_sent(self, mail_id: str, attempts: int, now: datetime) -> None:
        await self.conn.execute(
            mail_queue.update()
            .where(q.id == mail_id)
            .values(
                state=MailState.SENT.value,
                attempts=attempts,
                sent_at=now,
                updated_at=now,
                locked_until=None,
                text_body="",
                html_body=None,
            )
        )

    async def mark_attempt_failed(
        self, mail_id: str, attempts: int, error: str, now: datetime, retry_at: datetime | None
    ) -> None:
        """A failed attempt: back to pending until `retry_at`, or failed for good (None)."""
        state = MailState.PENDING if retry_at is not None else MailState.FAILED
        await self.conn.execute(
            mail_queue.update()
            .where(q.id == mail_id)
            .values(
                state=state.value,
                attempts=attempts,
                last_error=error,
                next_attempt_at=retry_at or now,
                updated_at=now,
                locked_until=None,
            )
        )

    async def release(self, mail_id: str, now: datetime) -> None:
        """Hand a claimed mail back untried (nothing to send it with yet)."""
        await self.conn.execute(
            mail_queue.update()
            .where(q.id == mail_id)
            .values(state=MailState.PENDING.value, locked_until=None, updated_at=now)
        )

    async def find_mail(self, mail_id: str) -> QueuedMail | None:
        row = (await self.conn.execute(sa.select(mail_queue).where(q.id == mail_id))).first()
        return _mail(row) if row else None

    async def list_mail(
        self, states: Sequence[MailState], offset: int, count: int | None
    ) -> tuple[list[QueuedMail], int]:
        """Newest first; every state when `states` is empty."""
        where = q.state.in_([s.value for s in states]) if states else sa.true()
        total = (
            await self.conn.execute(sa.select(sa.func.count()).select_from(mail_queue).where(where))
        ).scalar_one()
        query = (
            sa.select(mail_queue)
            .where(where)
            .order_by(q.created_at.desc(), q.id)
            .offset(offset)
            .limit(count)
        )
        return [_mail(r) for r in await self.conn.execute(query)], total
