"""Messages: the timeline, threads, reactions and stars, deletions, full-text search."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import ChannelRef, Deletion, Mention, Message, UserRef
from chinwag.storage.database import Conn
from chinwag.storage.tables import (
    message_deletions,
    message_reports,
    messages,
    rooms,
    subscriptions,
    thread_followers,
)

WORD = re.compile(r"\w+", re.UNICODE)


def _ref(user_id: str | None, username: str | None) -> UserRef | None:
    return UserRef(id=user_id, username=username or "") if user_id else None


def _message(row: sa.Row[Any]) -> Message:
    m = row._mapping
    return Message(
        id=m["id"],
        room_id=m["room_id"],
        author=UserRef(id=m["user_id"], username=m["username"], name=m["user_name"]),
        text=m["msg"],
        created_at=m["ts"],
        updated_at=m["updated_at"],
        seq=m["seq"],
        type=m["t"],
        thread_id=m["tmid"],
        thread_show=m["tshow"],
        thread_count=m["tcount"],
        thread_last_at=m["tlm"],
        repliers=tuple(m["replies"] or ()),
        edited_at=m["edited_at"],
        edited_by=_ref(m["edited_by_id"], m["edited_by_username"]),
        pinned=m["pinned"],
        pinned_at=m["pinned_at"],
        pinned_by=_ref(m["pinned_by_id"], m["pinned_by_username"]),
        starred_by=tuple(m["starred"] or ()),
        reactions={k: tuple(v) for k, v in (m["reactions"] or {}).items()},
        attachments=tuple(m["attachments"] or ()),
        mentions=tuple(Mention(**x) for x in m["mentions"] or ()),
        channels=tuple(ChannelRef(**x) for x in m["channels"] or ()),
        md=tuple(m["md"]) if m["md"] is not None else None,
        urls=tuple(m["urls"] or ()),
        alias=m["alias"],
        emoji=m["emoji"],
        avatar=m["avatar"],
        groupable=m["groupable"],
        bot=m["bot"],
        custom_fields=dict(m["custom_fields"] or {}),
        discussion_id=m["drid"],
        discussion_count=m["dcount"],
        discussion_last_at=m["dlm"],
        hidden=m["hidden"],
    )


@dataclass(frozen=True)
class MessageFilter:
    """Which of a room's messages a listing wants."""

    room_id: str
    latest: datetime | None = None
    oldest: datetime | None = None
    inclusive: bool = False
    with_thread_replies: bool = True  # replies not shown in the room are thread-only
    pinned: bool | None = None
    starred_by: str | None = None
    mentioning: str | None = None
    thread_id: str | None = None
    threads_only: bool = False
    user_messages_only: bool = False

    def clauses(self, dialect: str) -> list[sa.ColumnElement[bool]]:
        c = messages.c
        out: list[sa.ColumnElement[bool]] = [c.room_id == self.room_id, c.hidden.is_(False)]
        if self.latest is not None:
            out.append(c.ts <= self.latest if self.inclusive else c.ts < self.latest)
        if self.oldest is not None:
            out.append(c.ts >= self.oldest if self.inclusive else c.ts > self.oldest)
        if not self.with_thread_replies:
            out.append(sa.or_(c.tmid.is_(None), c.tshow.is_(True)))
        if self.pinned is not None:
            out.append(c.pinned.is_(self.pinned))
        if self.starred_by:
            out.append(_json_list_has(dialect, c.starred, self.starred_by))
        if self.mentioning:
            out.append(_json_mentions(dialect, self.mentioning))
        if self.thread_id:
            out.append(c.tmid == self.thread_id)
        if self.threads_only:
            out.append(c.tcount > 0)
        if self.user_messages_only:
            out.append(c.t.is_(None))
        return out


def _json_list_has(dialect: str, column: Any, value: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":
        return column.op("@>")(sa.func.jsonb_build_array(value))  # type: ignore[no-any-return]
    each = sa.func.json_each(column).table_valued("value")
    return sa.exists(sa.select(1).select_from(each).where(each.c.value == value))


def _json_mentions(dialect: str, user_id: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":
        return messages.c.mentions.op("@>")(
            sa.func.jsonb_build_array(sa.func.jsonb_build_object("id", user_id))
        )
    each = sa.func.json_each(messages.c.mentions).table_valued("value")
    return sa.exists(
        sa.select(1).select_from(each).where(sa.func.json_extract(each.c.value, "$.id") == user_id)
    )


def search_terms(text: str) -> list[str]:
    """The words of a search, lower-cased; punctuation cannot reach the query syntax."""
    return WORD.findall(text.lower())[:16]


class MessageRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    @property
    def _dialect(self) -> str:
        return self.conn.dialect.name

    async def find_message(self, message_id: str, for_update: bool = False) -> Message | None:
        query = sa.select(messages).where(messages.c.id == message_id)
        if for_update and self._dialect == "postgresql":
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        return _message(row) if row else None

    async def messages_by_ids(self, ids: Sequence[str]) -> list[Message]:
        if not ids:
            return []
        result = await self.conn.execute(sa.select(messages).where(messages.c.id.in_(ids)))
        return [_message(r) for r in result]

    async def insert_message(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(messages.insert().values(**values))

    async def next_seq(self, room_id: str, message_id: str, at: datetime, in_timeline: bool) -> int:
        """Count a new message in its room; its timeline position (0 when thread-only)."""
        values: dict[str, Any] = {"msgs": rooms.c.msgs + 1, "updated_at": at}
        if in_timeline:
            values.update(seq=rooms.c.seq + 1, last_message_at=at, last_message_id=message_id)
        result = await self.conn.execute(
            rooms.update().where(rooms.c.id == room_id).values(**values).returning(rooms.c.seq)
        )
        return int(result.scalar_one()) if in_timeline else 0

    async def update_message(self, message_id: str, values: Mapping[str, Any]) -> None:
        await self.conn.execute(
            messages.update().where(messages.c.id == message_id).values(**values)
        )

    async def delete_message(self, message: Message, at: datetime) -> None:
        await self.conn.execute(messages.delete().where(messages.c.id == message.id))
        await self.conn.execute(
            message_deletions.insert().values(id=message.id, room_id=message.room_id, deleted_at=at)
        )

    async def list_messages(
        self,
        flt: MessageFilter,
        offset: int,
        count: int | None,
        newest_first: bool = True,
        with_total: bool = False,
    ) -> tuple[list[Message], int]:
        where = flt.clauses(self._dialect)
        order = (
            (messages.c.ts.desc(), messages.c.id.desc())
            if newest_first
            else (messages.c.ts.asc(), messages.c.id.asc())
        )
        query = sa.select(messages).where(*where).order_by(*order).offset(offset)
        if count is not None:
            query = query.limit(count)
        rows = [_message(r) for r in await self.conn.execute(query)]
        total = len(rows) + offset
        if with_total:
            count_query = sa.select(sa.func.count()).select_from(messages).where(*where)
            total = (await self.conn.execute(count_query)).scalar_one()
        return rows, total

    async def list_updated_since(self, room_id: str, since: datetime, limit: int) -> list[Message]:
        query = (
            sa.select(messages)
            .where(messages.c.room_id == room_id, messages.c.updated_at > since)
            .order_by(messages.c.updated_at.asc())
            .limit(limit)
        )
        return [_message(r) for r in await self.conn.execute(query)]

    async def list_deleted_since(
        self, room_id: str, since: datetime, offset: int, count: int | None
    ) -> list[Deletion]:
        query = (
            sa.select(message_deletions)
            .where(message_deletions.c.room_id == room_id, message_deletions.c.deleted_at > since)
            .order_by(message_deletions.c.deleted_at.asc())
            .offset(offset)
        )
        if count is not None:
            query = query.limit(count)
        return [Deletion(r.id, r.deleted_at) for r in await self.conn.execute(query)]

    async def search(
        self, room_ids: Sequence[str], text: str, offset: int, count: int
    ) -> list[Message]:
        """Messages in these rooms holding every word of `text` (the last as a prefix)."""
        terms = search_terms(text)
        if not terms or not room_ids:
            return []
        if self._dialect == "postgresql":
            return await self._search_pg(room_ids, terms, offset, count)
        return await self._search_sqlite(room_ids, terms, offset, count)

    async def _search_sqlite(
        self, room_ids: Sequence[str], terms: list[str], offset: int, count: int
    ) -> list[Message]:
        words = " AND ".join(f'"{t}"' for t in terms[:-1])
        words = f'{words} AND "{terms[-1]}"*' if words else f'"{terms[-1]}"*'
        scope = " OR ".join(f'"{r}"' for r in room_ids)
        match = f"msg : ({words}) AND room_id : ({scope})"
        fts = sa.table("messages_fts", sa.column("rowid"))
        query = (
            sa.select(messages)
            .select_from(messages.join(fts, sa.literal_column("messages.rowid") == fts.c.rowid))
            .where(sa.text("messages_fts MATCH :match"), messages.c.hidden.is_(False))
            .order_by(messages.c.ts.desc())
            .offset(offset)
            .limit(count)
        )
        return [_message(r) for r in await self.conn.execute(query, {"match": match})]

    async def _search_pg(
        self, room_ids: Sequence[str], terms: list[str], offset: int, count: int
    ) -> list[Message]:
        tsquery = " & ".join([*(f"'{t}'" for t in terms[:-1]), f"'{terms[-1]}':*"])
        query = (
            sa.select(messages)
            .where(
                messages.c.room_id.in_(room_ids),
                messages.c.hidden.is_(False),
                sa.literal_column("messages.search").op("@@")(
                    sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery)
                ),
            )
            .order_by(messages.c.ts.desc())
            .offset(offset)
            .limit(count)
        )
        return [_message(r) for r in await self.conn.execute(query)]

    # threads
    async def add_thread_reply(self, tmid: str, user_id: str, at: datetime) -> None:
        parent = await self.find_message(tmid, for_update=True)
        if parent is None:
            return
        repliers = list(dict.fromkeys([*parent.repliers, user_id]))
        await self.update_message(
            tmid,
            {"tcount": messages.c.tcount + 1, "tlm": at, "replies": repliers, "updated_at": at},
        )
        await self.follow_thread(tmid, user_id)

    async def follow_thread(self, tmid: str, user_id: str) -> None:
        exists = await self.conn.execute(
            sa.select(thread_followers.c.tmid).where(
                thread_followers.c.tmid == tmid, thread_followers.c.user_id == user_id
            )
        )
        if exists.first() is None:
            await self.conn.execute(thread_followers.insert().values(tmid=tmid, user_id=user_id))

    async def unfollow_thread(self, tmid: str, user_id: str) -> None:
        await self.conn.execute(
            thread_followers.delete().where(
                thread_followers.c.tmid == tmid, thread_followers.c.user_id == user_id
            )
        )

    async def list_thread_followers(self, tmid: str) -> list[str]:
        query = sa.select(thread_followers.c.user_id).where(thread_followers.c.tmid == tmid)
        return list((await self.conn.execute(query)).scalars())

    async def list_followed_threads(self, user_id: str, room_id: str) -> list[str]:
        query = (
            sa.select(thread_followers.c.tmid)
            .join(messages, messages.c.id == thread_followers.c.tmid)
            .where(thread_followers.c.user_id == user_id, messages.c.room_id == room_id)
        )
        return list((await self.conn.execute(query)).scalars())

    # mentions
    async def count_mentions(
        self, room_id: str, user_ids: Sequence[str], group: bool, but: str
    ) -> None:
        """One statement per kind: direct mentions, then @all / @here for every member."""
        if user_ids:
            await self.conn.execute(
                subscriptions.update()
                .where(subscriptions.c.room_id == room_id, subscriptions.c.user_id.in_(user_ids))
                .values(user_mentions=subscriptions.c.user_mentions + 1)
            )
        if group:
            await self.conn.execute(
                subscriptions.update()
                .where(subscriptions.c.room_id == room_id, subscriptions.c.user_id != but)
                .values(group_mentions=subscriptions.c.group_mentions + 1)
            )

    # reports
    async def insert_report(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(message_reports.insert().values(**values))
