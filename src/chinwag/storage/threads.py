"""Threads: reply counts, followers (Rocket.Chat's `replies`), members' unread threads."""

from datetime import datetime

import sqlalchemy as sa

from chinwag.storage.database import Conn
from chinwag.storage.tables import messages, subscriptions, thread_followers


class ThreadRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add_reply(self, tmid: str, user_id: str, at: datetime) -> None:
        """Count a reply; its author joins the thread's followers."""
        replies = await self._replies(tmid)
        if replies is None:
            return
        if user_id not in replies:
            replies.append(user_id)
        await self.conn.execute(
            messages.update()
            .where(messages.c.id == tmid)
            .values(tcount=messages.c.tcount + 1, tlm=at, replies=replies, updated_at=at)
        )
        await self._add_follower(tmid, user_id)

    async def remove_reply(self, tmid: str, at: datetime) -> None:
        """A reply was deleted: its thread counts one fewer."""
        tcount = sa.case((messages.c.tcount > 0, messages.c.tcount - 1), else_=0)
        await self.conn.execute(
            messages.update().where(messages.c.id == tmid).values(tcount=tcount, updated_at=at)
        )

    async def _replies(self, tmid: str) -> list[str] | None:
        query = sa.select(messages.c.replies).where(messages.c.id == tmid)
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        return None if row is None else list(row.replies or ())

    async def follow(self, tmid: str, user_id: str, at: datetime) -> bool:
        """Add a follower; False when they already followed."""
        replies = await self._replies(tmid)
        if replies is None:
            return False
        changed = await self._add_follower(tmid, user_id)
        if user_id not in replies:
            await self._set_replies(tmid, [*replies, user_id], at)
            changed = True
        return changed

    async def _add_follower(self, tmid: str, user_id: str) -> bool:
        exists = await self.conn.execute(
            sa.select(thread_followers.c.tmid).where(
                thread_followers.c.tmid == tmid, thread_followers.c.user_id == user_id
            )
        )
        if exists.first() is not None:
            return False
        await self.conn.execute(thread_followers.insert().values(tmid=tmid, user_id=user_id))
        return True

    async def unfollow(self, tmid: str, room_id: str, user_id: str, at: datetime) -> bool:
        """Drop a follower and the thread from their unread threads; False if not following."""
        replies = await self._replies(tmid)
        if replies is None:
            return False
        deleted = await self.conn.execute(
            thread_followers.delete().where(
                thread_followers.c.tmid == tmid, thread_followers.c.user_id == user_id
            )
        )
        changed = deleted.rowcount > 0
        if user_id in replies:
            await self._set_replies(tmid, [r for r in replies if r != user_id], at)
            changed = True
        await self._forget_unread(room_id, user_id, tmid, at)
        return changed

    async def _set_replies(self, tmid: str, replies: list[str], at: datetime) -> None:
        await self.conn.execute(
            messages.update().where(messages.c.id == tmid).values(replies=replies, updated_at=at)
        )

    async def _forget_unread(self, room_id: str, user_id: str, tmid: str, at: datetime) -> None:
        where = (subscriptions.c.room_id == room_id, subscriptions.c.user_id == user_id)
        row = (
            await self.conn.execute(sa.select(subscriptions.c.thread_unread).where(*where))
        ).first()
        if row is None or tmid not in (row.thread_unread or ()):
            return
        kept = [t for t in row.thread_unread if t != tmid]
        await self.conn.execute(
            subscriptions.update().where(*where).values(thread_unread=kept, updated_at=at)
        )
