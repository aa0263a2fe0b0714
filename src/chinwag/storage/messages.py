"""Messages: the timeline, threads, reactions and stars, deletions, full-text search."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import ChannelRef, Deletion, Mention, Message, UserRef
from chinwag.storage.database import Conn
from chinwag.storage.prepared import Prepared
from chinwag.storage.rooms import MARK_READ_TO, mark_read_to
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
    return _message_from(row._mapping)


_TIMES = ("ts", "updated_at", "tlm", "edited_at", "pinned_at", "dlm")


def message_from_snapshot(snapshot: Mapping[str, Any]) -> Message:
    """A report's or an evidence bundle's copy of a message (times in epoch ms) as a Message."""
    m = dict(snapshot)
    for key in _TIMES:
        if isinstance(m.get(key), int):
            m[key] = datetime.fromtimestamp(m[key] / 1000, tz=UTC)
    m.setdefault("shadow", False)
    m.setdefault("role", None)
    return _message_from(m)


def _message_from(m: Mapping[Any, Any]) -> Message:
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
        role=m["role"],
        shadow=m["shadow"],
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
    had_replies: bool = False  # thread starters, even those whose replies were all deleted
    followed_by: str | None = None  # threads this user follows
    ids: tuple[str, ...] | None = None
    text_contains: str | None = None  # case-insensitive substring of the text
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    mentions_any: tuple[str, ...] = ()  # mentioning any of these user ids
    starred_any: tuple[str, ...] = ()  # starred by any of these user ids
    # Who reads: shadow-restricted posts show to their author only.
    viewer: str | None = None
    # Timeline messages strictly before / after this (ts, seq) position: messages sent in
    # the same millisecond keep their order.
    before_position: tuple[datetime, int] | None = None
    after_position: tuple[datetime, int] | None = None

    def clauses(self, dialect: str) -> list[sa.ColumnElement[bool]]:
        c = messages.c
        out: list[sa.ColumnElement[bool]] = [c.room_id == self.room_id, c.hidden.is_(False)]
        if self.viewer is None:
            out.append(c.shadow.is_(False))
        else:
            out.append(sa.or_(c.shadow.is_(False), c.user_id == self.viewer))
        if self.latest is not None:
            out.append(c.ts <= self.latest if self.inclusive else c.ts < self.latest)
        if self.oldest is not None:
            out.append(c.ts >= self.oldest if self.inclusive else c.ts > self.oldest)
        if self.before_position is not None:
            ts, seq = self.before_position
            out.append(sa.or_(c.ts < ts, sa.and_(c.ts == ts, c.seq < seq)))
        if self.after_position is not None:
            ts, seq = self.after_position
            out.append(sa.or_(c.ts > ts, sa.and_(c.ts == ts, c.seq > seq)))
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
        if self.had_replies:
            out.append(c.tlm.is_not(None))
        if self.followed_by:
            out.append(c.id.in_(_followed(self.followed_by)))
        if self.ids is not None:
            out.append(c.id.in_(self.ids))
        if self.text_contains:
            out.append(sa.func.lower(c.msg).contains(self.text_contains.lower(), autoescape=True))
        if self.updated_after is not None:
            out.append(c.updated_at > self.updated_after)
        if self.updated_before is not None:
            out.append(c.updated_at < self.updated_before)
        if self.mentions_any:
            out.append(sa.or_(*(_json_mentions(dialect, u) for u in self.mentions_any)))
        if self.starred_any:
            out.append(sa.or_(*(_json_list_has(dialect, c.starred, u) for u in self.starred_any)))
        return out


@dataclass(frozen=True)
class Cleaning:
    """Which messages rooms.cleanHistory deletes: a time window and exceptions."""

    room_id: str
    latest: datetime
    oldest: datetime
    inclusive: bool = False
    exclude_pinned: bool = False
    ignore_threads: bool = False  # keep thread replies and thread roots
    ignore_discussions: bool = False  # keep messages that opened a discussion
    usernames: tuple[str, ...] = ()  # only these authors (all when empty)
    limit: int | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        c = messages.c
        out: list[sa.ColumnElement[bool]] = [c.room_id == self.room_id]
        if self.inclusive:
            out += [c.ts >= self.oldest, c.ts <= self.latest]
        else:
            out += [c.ts > self.oldest, c.ts < self.latest]
        if self.exclude_pinned:
            out.append(c.pinned.is_(False))
        if self.ignore_threads:
            out += [c.tmid.is_(None), c.tcount == 0]
        if self.ignore_discussions:
            out.append(c.drid.is_(None))
        if self.usernames:
            out.append(c.username.in_(self.usernames))
        return out


def _followed(user_id: str) -> sa.Select[tuple[str]]:
    return sa.select(thread_followers.c.tmid).where(thread_followers.c.user_id == user_id)


# Orders a listing may ask for: column name -> column (1 ascending, -1 descending).
SORTABLE = {
    "ts": messages.c.ts,
    "updated_at": messages.c.updated_at,
    "tlm": messages.c.tlm,
    "tcount": messages.c.tcount,
}


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


def _searchable() -> list[sa.ColumnElement[bool]]:
    """Search skips hidden messages and the placeholders of deleted ones."""
    c = messages.c
    return [c.hidden.is_(False), c.shadow.is_(False), sa.or_(c.t.is_(None), c.t != "rm")]


def search_terms(text: str) -> list[str]:
    """The words of a search, lower-cased; punctuation cannot reach the query syntax."""
    return WORD.findall(text.lower())[:16]


# The statements of the hot paths (posting, delivering) are built once, with bound
# parameters, so SQLAlchemy reuses their compiled form (see storage/rooms.py).
_SELECT_MESSAGE = sa.select(messages).where(messages.c.id == sa.bindparam("b_id"))
_MESSAGE_BY_ID = Prepared(_SELECT_MESSAGE)
_MESSAGE_BY_ID_LOCKED = Prepared(_SELECT_MESSAGE.with_for_update())
_MESSAGES_BY_IDS = sa.select(messages).where(
    messages.c.id.in_(sa.bindparam("b_ids", expanding=True))
)
_INSERT_MESSAGE = Prepared(messages.insert().returning(*messages.c))
_COUNT = (
    rooms.update()
    .where(rooms.c.id == sa.bindparam("b_room_id"))
    .values(msgs=rooms.c.msgs + 1, updated_at=sa.bindparam("b_at"))
    .returning(rooms.c.seq)
)
_COUNT_MESSAGE = Prepared(_COUNT)
_COUNT_TIMELINE = _COUNT.values(
    seq=rooms.c.seq + 1,
    last_message_at=sa.bindparam("b_at"),
    last_message_id=sa.bindparam("b_message_id"),
)
_COUNT_TIMELINE_MESSAGE = Prepared(_COUNT_TIMELINE)
# PostgreSQL: the count, the message at its new position and its author's read mark as one
# statement (data-modifying WITH), so the room's row is locked for that statement alone.
_COUNTED = _COUNT_TIMELINE.cte("counted")
_POSITION = sa.select(_COUNTED.c.seq).scalar_subquery()
_INSERT_COUNTED_MESSAGE: dict[frozenset[str], Prepared] = {}  # by the columns given


def _insert_counted_message(columns: frozenset[str]) -> Prepared:
    prepared = _INSERT_COUNTED_MESSAGE.get(columns)
    if prepared is None:
        values = {name: sa.bindparam(name, type_=messages.c[name].type) for name in columns}
        statement = (
            messages.insert()
            .values(**values, seq=_POSITION)
            .add_cte(mark_read_to(_POSITION).cte("read_to"))
            .returning(*messages.c)
        )
        prepared = _INSERT_COUNTED_MESSAGE[columns] = Prepared(statement, keyed=False)
    return prepared


class MessageRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    @property
    def _dialect(self) -> str:
        return self.conn.dialect.name

    async def find_message(self, message_id: str, for_update: bool = False) -> Message | None:
        query = _MESSAGE_BY_ID
        if for_update and self._dialect == "postgresql":
            query = _MESSAGE_BY_ID_LOCKED
        row = (await self.conn.run(query, {"b_id": message_id})).first()
        return _message(row) if row else None

    async def list_missed(
        self, room_id: str, after_seq: int | None, since: datetime, limit: int
    ) -> list[Message]:
        """A room's messages past a timeline position (or, without one, sent since a time),
        and thread replies sent since that time, oldest first: what a process catches up."""
        by_time = messages.c.ts >= since
        if after_seq is not None:
            missed = sa.or_(messages.c.seq > after_seq, sa.and_(messages.c.seq.is_(None), by_time))
        else:
            missed = by_time
        query = (
            sa.select(messages)
            .where(messages.c.room_id == room_id, missed)
            .order_by(messages.c.ts)
            .limit(limit)
        )
        return [_message(r) for r in await self.conn.execute(query)]

    async def messages_by_ids(self, ids: Sequence[str]) -> list[Message]:
        if not ids:
            return []
        result = await self.conn.execute(_MESSAGES_BY_IDS, {"b_ids": list(ids)})
        return [_message(r) for r in result]

    async def insert_message(self, values: Mapping[str, Any]) -> Message:
        """Write a message; the stored row back, defaults filled in (from the INSERT itself
        where the database can return rows from one)."""
        if not self.conn.dialect.insert_returning:  # SQLite before 3.35
            await self.conn.execute(messages.insert(), dict(values))
            found = await self.find_message(values["id"])
            assert found is not None
            return found
        return _message((await self.conn.run(_INSERT_MESSAGE, values)).one())

    async def insert_timeline_message(
        self, values: Mapping[str, Any], read_by: str, last: bool = False
    ) -> Message:
        """Count a message into its room's timeline and write it at the next position (its
        `seq`), with the room read to there for `read_by` (one's own post is read).

        `last`: the transaction writes nothing after this (`Conn.run_last`). On PostgreSQL
        it is one statement; SQLite answers each of its three in microseconds, in-process.
        """
        room_id, message_id, at = values["room_id"], values["id"], values["ts"]
        marks = {"b_room_id": room_id, "b_user_id": read_by, "b_at": at}
        run = self.conn.run_last if last else self.conn.run
        if self._dialect == "postgresql":
            insert = _insert_counted_message(frozenset(values))
            params = {**values, **marks, "b_message_id": message_id}
            return _message((await run(insert, params)).one())
        seq = await self.next_seq(room_id, message_id, at, in_timeline=True)
        message = await self.insert_message({**values, "seq": seq})
        await run(MARK_READ_TO, {**marks, "b_seq": seq})
        return message

    async def next_seq(self, room_id: str, message_id: str, at: datetime, in_timeline: bool) -> int:
        """Count a new message in its room; its timeline position (0 when thread-only)."""
        params = {"b_room_id": room_id, "b_at": at}
        if not in_timeline:
            await self.conn.run(_COUNT_MESSAGE, params)
            return 0
        params["b_message_id"] = message_id
        return int((await self.conn.run(_COUNT_TIMELINE_MESSAGE, params)).scalar_one())

    async def update_message(self, message_id: str, values: Mapping[str, Any]) -> None:
        await self.conn.execute(
            messages.update().where(messages.c.id == message_id).values(**values)
        )

    async def count_discussion_message(self, discussion_id: str, at: datetime) -> None:
        """A message in a discussion: the messages that opened it count it (dcount, dlm)."""
        await self.conn.execute(
            messages.update()
            .where(messages.c.drid == discussion_id)
            .values(dcount=sa.func.coalesce(messages.c.dcount, 0) + 1, dlm=at)
        )

    async def delete_message(self, message: Message, at: datetime) -> None:
        await self.conn.execute(messages.delete().where(messages.c.id == message.id))
        # A client-chosen id can be reused after a deletion: keep one tombstone, the latest.
        await self.conn.execute(
            message_deletions.delete().where(message_deletions.c.id == message.id)
        )
        await self.conn.execute(
            message_deletions.insert().values(id=message.id, room_id=message.room_id, deleted_at=at)
        )

    async def uncount_message(self, message: Message, at: datetime) -> None:
        """A deleted message leaves its room's count; the room's last message is found again."""
        last = (
            sa.select(messages.c.id, messages.c.ts)
            .where(
                messages.c.room_id == message.room_id,
                messages.c.seq.is_not(None),
                messages.c.hidden.is_(False),
                messages.c.id != message.id,
                sa.or_(messages.c.t.is_(None), messages.c.t != "rm"),
            )
            .order_by(messages.c.ts.desc(), messages.c.id.desc())
            .limit(1)
        )
        row = (await self.conn.execute(last)).first()
        msgs = sa.case((rooms.c.msgs > 0, rooms.c.msgs - 1), else_=0)
        values: dict[str, Any] = {"msgs": msgs, "updated_at": at}
        room = await self.conn.execute(
            sa.select(rooms.c.last_message_id).where(rooms.c.id == message.room_id)
        )
        if room.scalar_one_or_none() == message.id:
            values["last_message_id"] = row.id if row else None
            values["last_message_at"] = row.ts if row else None
        await self.conn.execute(
            rooms.update().where(rooms.c.id == message.room_id).values(**values)
        )

    async def find_messages_to_clean(self, cleaning: Cleaning) -> list[tuple[str, str | None]]:
        """(id, discussion id) of the messages a cleaning removes, oldest first."""
        query = (
            sa.select(messages.c.id, messages.c.drid)
            .where(*cleaning.clauses())
            .order_by(messages.c.ts.asc(), messages.c.id.asc())
        )
        if cleaning.limit:
            query = query.limit(cleaning.limit)
        return [(i, d) for i, d in await self.conn.execute(query)]

    async def delete_messages(self, room_id: str, ids: Sequence[str], at: datetime) -> None:
        """Delete many messages of one room, leaving tombstones for clients catching up, and
        point the room at its newest remaining timeline message."""
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            await self.conn.execute(messages.delete().where(messages.c.id.in_(chunk)))
            await self.conn.execute(
                message_deletions.delete().where(message_deletions.c.id.in_(chunk))
            )
            await self.conn.execute(
                message_deletions.insert(),
                [{"id": i, "room_id": room_id, "deleted_at": at} for i in chunk],
            )
        last = (
            sa.select(messages.c.id, messages.c.ts)
            .where(
                messages.c.room_id == room_id,
                messages.c.seq.is_not(None),
                messages.c.hidden.is_(False),
                sa.or_(messages.c.t.is_(None), messages.c.t != "rm"),
            )
            .order_by(messages.c.ts.desc(), messages.c.id.desc())
            .limit(1)
        )
        newest = (await self.conn.execute(last)).first()
        removed = len(ids)
        await self.conn.execute(
            rooms.update()
            .where(rooms.c.id == room_id)
            .values(
                msgs=sa.case((rooms.c.msgs > removed, rooms.c.msgs - removed), else_=0),
                last_message_id=newest.id if newest else None,
                last_message_at=newest.ts if newest else None,
                updated_at=at,
            )
        )

    async def list_messages(
        self,
        flt: MessageFilter,
        offset: int,
        count: int | None,
        newest_first: bool = True,
        with_total: bool = False,
        order_by: Sequence[tuple[str, int]] = (),
    ) -> tuple[list[Message], int]:
        """One page of a filtered listing; `order_by` (SORTABLE names) overrides the ts order."""
        where = flt.clauses(self._dialect)
        order: tuple[sa.UnaryExpression[Any], ...] = (
            (messages.c.ts.desc(), messages.c.seq.desc(), messages.c.id.desc())
            if newest_first
            else (messages.c.ts.asc(), messages.c.seq.asc(), messages.c.id.asc())
        )
        if order_by:
            columns = [
                SORTABLE[name].asc().nulls_first()
                if way > 0
                else SORTABLE[name].desc().nulls_last()
                for name, way in order_by
            ]
            tie = messages.c.id.desc() if order_by[0][1] < 0 else messages.c.id.asc()
            order = (*columns, tie)
        query = sa.select(messages).where(*where).order_by(*order).offset(offset)
        if count is not None:
            query = query.limit(count)
        rows = [_message(r) for r in await self.conn.execute(query)]
        total = len(rows) + offset
        if with_total:
            count_query = sa.select(sa.func.count()).select_from(messages).where(*where)
            total = (await self.conn.execute(count_query)).scalar_one()
        return rows, total

    async def list_deletions(
        self,
        room_id: str,
        after: datetime | None,
        before: datetime | None,
        offset: int,
        count: int | None,
        newest_first: bool = False,
    ) -> list[Deletion]:
        """Tombstones of a room's deleted messages, by deletion time."""
        d = message_deletions.c
        query = sa.select(message_deletions).where(*self._deleted_between(room_id, after, before))
        order = (d.deleted_at.desc(), d.id.desc()) if newest_first else (d.deleted_at, d.id)
        query = query.order_by(*order).offset(offset)
        if count is not None:
            query = query.limit(count)
        return [Deletion(r.id, r.deleted_at) for r in await self.conn.execute(query)]

    async def count_deletions(self, room_id: str, after: datetime | None) -> int:
        query = sa.select(sa.func.count()).select_from(message_deletions)
        query = query.where(*self._deleted_between(room_id, after, None))
        return (await self.conn.execute(query)).scalar_one()

    @staticmethod
    def _deleted_between(
        room_id: str, after: datetime | None, before: datetime | None
    ) -> list[sa.ColumnElement[bool]]:
        d = message_deletions.c
        where = [d.room_id == room_id]
        if after is not None:
            where.append(d.deleted_at > after)
        if before is not None:
            where.append(d.deleted_at < before)
        return where

    async def snapshot(self, message_id: str) -> dict[str, Any] | None:
        """The stored row as plain JSON (times in epoch ms): a report's copy of a message."""
        query = sa.select(messages).where(messages.c.id == message_id)
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        for key, value in out.items():
            if isinstance(value, datetime):
                out[key] = int(value.timestamp() * 1000)
        return out

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
        # The match runs once, into a set of rowids, while the (room_id, ts) index walks the
        # timeline newest first. As a join, SQLite probed the full-text index once per
        # timeline row instead: seconds per search in a million-message room (bench history).
        fts = sa.table("messages_fts", sa.column("rowid"))
        matching = sa.select(fts.c.rowid).where(sa.text("messages_fts MATCH :match"))
        query = (
            sa.select(messages)
            .where(
                sa.literal_column("messages.rowid").in_(matching),
                messages.c.room_id.in_(room_ids),  # FTS matches ids without regard to case
                *_searchable(),
            )
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
                *_searchable(),
                sa.literal_column("messages.search").op("@@")(
                    sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery)
                ),
            )
            .order_by(messages.c.ts.desc())
            .offset(offset)
            .limit(count)
        )
        return [_message(r) for r in await self.conn.execute(query)]

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
