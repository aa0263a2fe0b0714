"""Rooms and subscriptions (membership)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import Room, RoomState, RoomType, Subscription, UserRef
from chinwag.storage.database import Conn
from chinwag.storage.prepared import Prepared
from chinwag.storage.tables import messages, rooms, subscription_deletions, subscriptions, users
from chinwag.storage.types import Millis

# The statements of the hot paths (posting, reading, catching up) are built once, with bound
# parameters: SQLAlchemy then reuses their compiled form, and building a statement anew
# costs more than SQLite takes to run it. The hottest run straight on the driver (Prepared).
_ROOM_BY_ID = Prepared(sa.select(rooms).where(rooms.c.id == sa.bindparam("b_room_id")))
_ROOMS_BY_IDS = sa.select(rooms).where(rooms.c.id.in_(sa.bindparam("b_ids", expanding=True)))
_ONE_SUBSCRIPTION = Prepared(
    sa.select(subscriptions).where(
        subscriptions.c.room_id == sa.bindparam("b_room_id"),
        subscriptions.c.user_id == sa.bindparam("b_user_id"),
    )
)
# A room with one user's subscription to it, if any, in one statement (the subscription's
# columns after the room's, under an `s_` prefix).
_ROOM_WIDTH = len(rooms.c)
_SUBSCRIPTION_COLUMNS = tuple(c.name for c in subscriptions.c)
_ROOM_WITH_SUBSCRIPTION = Prepared(
    sa.select(rooms, *(c.label("s_" + c.name) for c in subscriptions.c))
    .outerjoin(
        subscriptions,
        sa.and_(
            subscriptions.c.room_id == rooms.c.id,
            subscriptions.c.user_id == sa.bindparam("b_user_id"),
        ),
    )
    .where(rooms.c.id == sa.bindparam("b_room_id"))
)
# A member's subscriptions, each with what it shows of its room (RoomState) after its own
# columns (under an `r_` prefix, so the names stay apart); rows are split by position.
ROOM_PREFIX = "r_"
_SUBSCRIPTION_WIDTH = len(subscriptions.c)
_ROOM_STATE = (rooms.c.seq, rooms.c.updated_at, rooms.c.archived, rooms.c.parent_id)
_USER_SUBSCRIPTIONS_WITH_ROOMS = (
    sa.select(subscriptions, *(c.label(ROOM_PREFIX + c.name) for c in _ROOM_STATE))
    .join(rooms, rooms.c.id == subscriptions.c.room_id)
    .where(subscriptions.c.user_id == sa.bindparam("b_user_id"))
    .order_by(subscriptions.c.id)
)
_CHANGED_USER_SUBSCRIPTIONS_WITH_ROOMS = _USER_SUBSCRIPTIONS_WITH_ROOMS.where(
    sa.or_(
        subscriptions.c.updated_at > sa.bindparam("b_since"),
        rooms.c.updated_at > sa.bindparam("b_since"),
    )
)
# An update whose SET clause is the keys of the parameters given beside these two.
_UPDATE_SUBSCRIPTION = subscriptions.update().where(
    subscriptions.c.room_id == sa.bindparam("b_room_id"),
    subscriptions.c.user_id == sa.bindparam("b_user_id"),
)


def mark_read_to(seq: sa.ColumnElement[int]) -> sa.Update:
    """The member (`b_user_id`) has seen the room's (`b_room_id`) timeline up to `seq`, at
    `b_at`: unread and mention counts reset."""
    return _UPDATE_SUBSCRIPTION.values(
        read_seq=seq,
        last_seen=sa.bindparam("b_at"),
        user_mentions=0,
        group_mentions=0,
        updated_at=sa.bindparam("b_at"),
    )


MARK_READ_TO = Prepared(mark_read_to(sa.bindparam("b_seq")))
_SUBSCRIPTIONS_WITH_ROOMS = Prepared(_USER_SUBSCRIPTIONS_WITH_ROOMS)
_CHANGED_SUBSCRIPTIONS_WITH_ROOMS = Prepared(_CHANGED_USER_SUBSCRIPTIONS_WITH_ROOMS)


def _has_role(dialect: str, role_id: str) -> sa.ColumnElement[bool]:
    """A subscription whose JSON `roles` list holds `role_id`, in each dialect's own terms."""
    if dialect == "postgresql":
        return subscriptions.c.roles.op("@>")(sa.func.jsonb_build_array(role_id))
    each = sa.func.json_each(subscriptions.c.roles).table_valued("value")
    return sa.exists(sa.select(1).select_from(each).where(each.c.value == role_id))


def _room(row: sa.Row[Any]) -> Room:
    return _room_from(row._mapping)


def _room_from(m: Mapping[Any, Any]) -> Room:
    creator = (
        UserRef(id=m["creator_id"], username=m["creator_username"]) if m["creator_id"] else None
    )
    return Room(
        id=m["id"],
        type=RoomType(m["type"]),
        name=m["name"],
        fname=m["fname"],
        creator=creator,
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        is_default=m["is_default"],
        read_only=m["read_only"],
        archived=m["archived"],
        topic=m["topic"],
        description=m["description"],
        announcement=m["announcement"],
        users_count=m["users_count"],
        msgs=m["msgs"],
        seq=m["seq"],
        last_message_at=m["last_message_at"],
        join_code=m["join_code"],
        parent_id=m["parent_id"],
        parent_message_id=m["parent_message_id"],
        last_message_id=m["last_message_id"],
        react_when_read_only=m["react_when_read_only"],
        sys_mes=m["sys_mes"],
        muted=tuple(m["muted"] or ()),
        custom_fields=dict(m["custom_fields"] or {}),
        broadcast=m["broadcast"],
        encrypted=m["encrypted"],
        dm_user_ids=tuple(m["dm_user_ids"] or ()),
        dm_usernames=tuple(m["dm_usernames"] or ()),
    )


def _subscription(row: sa.Row[Any]) -> Subscription:
    return _subscription_from(row._mapping)


def _subscription_from(m: Mapping[Any, Any]) -> Subscription:
    return Subscription(
        id=m["id"],
        room_id=m["room_id"],
        user=UserRef(id=m["user_id"], username=m["username"]),
        room_type=RoomType(m["room_type"]),
        name=m["name"],
        fname=m["fname"],
        joined_at=m["joined_at"],
        updated_at=m["updated_at"],
        last_seen=m["last_seen"],
        open=m["open"],
        favourite=m["favourite"],
        roles=tuple(m["roles"] or ()),
        read_seq=m["read_seq"],
        user_mentions=m["user_mentions"],
        group_mentions=m["group_mentions"],
        last_reply_at=m["last_reply_at"],
        ignored=tuple(m["ignored"] or ()),
        thread_unread=tuple(m["thread_unread"] or ()),
        hide_unread=m["hide_unread"],
        notifications=dict(m["notifications"] or {}),
    )


# Columns a client may sort rooms by, from Rocket.Chat's field names.
ROOM_SORT: dict[str, sa.ColumnElement[Any]] = {
    "name": rooms.c.name_lower,
    "fname": rooms.c.fname,
    "t": rooms.c.type,
    "ts": rooms.c.created_at,
    "_updatedAt": rooms.c.updated_at,
    "lm": rooms.c.last_message_at,
    "msgs": rooms.c.msgs,
    "usersCount": rooms.c.users_count,
}


@dataclass(frozen=True)
class RoomFilter:
    """Which rooms a listing wants."""

    types: tuple[str, ...] = ()  # empty: every type
    # None: discussions are rooms like any other; True: plain rooms of `types` or any
    # discussion; False: plain rooms of `types` only (rooms.adminRooms' `types` semantics).
    discussions: bool | None = None
    member_id: str | None = None  # only rooms this user belongs to
    visible_to: str | None = None  # only public channels and rooms this user belongs to
    room_id: str | None = None
    parent_id: str | None = None  # only discussions of this room
    text: str = ""  # name or display name contains, any case
    updated_after: datetime | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        c = rooms.c
        out: list[sa.ColumnElement[bool]] = []
        if self.discussions is None:
            if self.types:
                out.append(c.type.in_(self.types))
        else:
            plain: sa.ColumnElement[bool] = (
                sa.and_(c.type.in_(self.types), c.parent_id.is_(None)) if self.types else sa.false()
            )
            out.append(sa.or_(plain, c.parent_id.is_not(None)) if self.discussions else plain)
        if self.member_id is not None:
            mine = sa.select(subscriptions.c.room_id).where(
                subscriptions.c.user_id == self.member_id
            )
            out.append(c.id.in_(mine))
        if self.visible_to is not None:
            theirs = sa.select(subscriptions.c.room_id).where(
                subscriptions.c.user_id == self.visible_to
            )
            out.append(sa.or_(c.type == RoomType.CHANNEL.value, c.id.in_(theirs)))
        if self.room_id is not None:
            out.append(c.id == self.room_id)
        if self.parent_id is not None:
            out.append(c.parent_id == self.parent_id)
        if self.updated_after is not None:
            out.append(c.updated_at > self.updated_after)
        needle = self.text.strip().lower()
        if needle:
            out.append(
                sa.or_(
                    c.name_lower.contains(needle, autoescape=True),
                    sa.func.lower(c.fname).contains(needle, autoescape=True),
                )
            )
        return out


# Made once: a new alias per query would miss SQLAlchemy's statement cache (about 1.5 ms).
_MINE = subscriptions.alias("mine")
_THEIRS = subscriptions.alias("theirs")


class RoomRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def find_room(self, room_id: str) -> Room | None:
        row = (await self.conn.run(_ROOM_BY_ID, {"b_room_id": room_id})).first()
        return _room(row) if row else None

    async def find_room_by_name(self, name: str) -> Room | None:
        query = sa.select(rooms).where(rooms.c.name_lower == name.lower())
        row = (await self.conn.execute(query)).first()
        return _room(row) if row else None

    async def insert_room(self, values: Mapping[str, Any]) -> None:
        row = dict(values)
        row["name_lower"] = row["name"].lower() if row.get("name") else None
        await self.conn.execute(rooms.insert().values(**row))

    async def list_default_rooms(self) -> list[Room]:
        query = sa.select(rooms).where(rooms.c.is_default.is_(True)).order_by(rooms.c.created_at)
        return [_room(r) for r in await self.conn.execute(query)]

    async def count_rooms_by_type(self) -> dict[str, int]:
        result = await self.conn.execute(
            sa.select(rooms.c.type, sa.func.count()).group_by(rooms.c.type)
        )
        return {t: n for t, n in result}

    async def find_room_for(
        self, room_id: str, user_id: str
    ) -> tuple[Room | None, Subscription | None]:
        """A room and the user's subscription to it (None where not a member), read at once."""
        row = (
            await self.conn.run(
                _ROOM_WITH_SUBSCRIPTION, {"b_room_id": room_id, "b_user_id": user_id}
            )
        ).first()
        if row is None:
            return None, None
        joined = row[_ROOM_WIDTH:]
        if joined[0] is None:  # the subscription's id: no such member
            return _room(row), None
        return _room(row), _subscription_from(dict(zip(_SUBSCRIPTION_COLUMNS, joined, strict=True)))

    async def find_subscription(self, room_id: str, user_id: str) -> Subscription | None:
        params = {"b_room_id": room_id, "b_user_id": user_id}
        row = (await self.conn.run(_ONE_SUBSCRIPTION, params)).first()
        return _subscription(row) if row else None

    async def insert_subscription(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(subscriptions.insert().values(**values))
        await self.conn.execute(
            rooms.update()
            .where(rooms.c.id == values["room_id"])
            .values(users_count=rooms.c.users_count + 1, updated_at=values["joined_at"])
        )

    async def find_dm_with_members(self, user_ids: Sequence[str]) -> Room | None:
        """The multi-user DM whose members are exactly these users."""
        wanted = sorted(user_ids)
        candidates = sa.select(subscriptions.c.room_id).where(
            subscriptions.c.user_id == wanted[0], subscriptions.c.room_type == "d"
        )
        query = sa.select(rooms).where(rooms.c.id.in_(candidates))
        for row in await self.conn.execute(query):
            room = _room(row)
            if sorted(room.dm_user_ids) == wanted:
                return room
        return None

    async def share_a_room(self, user_id: str, other_id: str) -> bool:
        """Whether both users belong to one channel, group or discussion (DMs do not count)."""
        query = (
            sa.select(_MINE.c.room_id)
            .join(_THEIRS, _THEIRS.c.room_id == _MINE.c.room_id)
            .where(
                _MINE.c.user_id == user_id,
                _THEIRS.c.user_id == other_id,
                _MINE.c.room_type != RoomType.DIRECT.value,
            )
            .limit(1)
        )
        return (await self.conn.execute(query)).first() is not None

    async def reopen_all(self, room_id: str, at: datetime) -> None:
        """Show a DM again in every member's sidebar (a new message arrived)."""
        await self.conn.execute(
            subscriptions.update()
            .where(subscriptions.c.room_id == room_id, subscriptions.c.open.is_(False))
            .values(open=True, updated_at=at)
        )

    async def reopen_subscription(self, room_id: str, user_id: str, at: datetime) -> None:
        await self.conn.execute(
            subscriptions.update()
            .where(
                subscriptions.c.room_id == room_id,
                subscriptions.c.user_id == user_id,
                subscriptions.c.open.is_(False),
            )
            .values(open=True, updated_at=at)
        )

    async def set_subscription_ignored(
        self, room_id: str, user_id: str, ignored: Sequence[str], at: datetime
    ) -> None:
        """The users whose messages this member hides in this room (Rocket.Chat's `ignored`)."""
        await self.conn.execute(
            subscriptions.update()
            .where(subscriptions.c.room_id == room_id, subscriptions.c.user_id == user_id)
            .values(ignored=list(ignored), updated_at=at)
        )

    async def list_user_subscriptions(self, user_id: str) -> list[Subscription]:
        query = sa.select(subscriptions).where(subscriptions.c.user_id == user_id)
        return [_subscription(r) for r in await self.conn.execute(query)]

    async def list_room_ids_of(self, user_id: str) -> list[str]:
        query = sa.select(subscriptions.c.room_id).where(subscriptions.c.user_id == user_id)
        return list((await self.conn.execute(query)).scalars())

    async def rename_user_in_subscriptions(self, user_id: str, username: str, at: datetime) -> None:
        await self.conn.execute(
            subscriptions.update()
            .where(subscriptions.c.user_id == user_id)
            .values(username=username, updated_at=at)
        )

    async def rooms_by_ids(self, room_ids: Sequence[str]) -> list[Room]:
        if not room_ids:
            return []
        rows = await self.conn.execute(_ROOMS_BY_IDS, {"b_ids": list(room_ids)})
        return [_room(r) for r in rows]

    async def delete_user_subscriptions(self, user_id: str, at: datetime) -> None:
        """Take a user out of every room, keeping member counts right."""
        their_rooms = sa.select(subscriptions.c.room_id).where(subscriptions.c.user_id == user_id)
        await self.conn.execute(
            rooms.update()
            .where(rooms.c.id.in_(their_rooms))
            .values(users_count=rooms.c.users_count - 1, updated_at=at)
        )
        await self.conn.execute(subscriptions.delete().where(subscriptions.c.user_id == user_id))

    async def members_among(self, room_id: str, user_ids: Sequence[str]) -> list[str]:
        """Which of these users belong to the room."""
        if not user_ids:
            return []
        query = sa.select(subscriptions.c.user_id).where(
            subscriptions.c.room_id == room_id, subscriptions.c.user_id.in_(list(user_ids))
        )
        return list((await self.conn.execute(query)).scalars())

    async def list_room_role_holders(self, role_id: str, room_id: str | None) -> list[str]:
        """Ids of users holding a room-scoped role, in one room or in any."""
        query = sa.select(subscriptions.c.user_id).distinct()
        query = query.where(_has_role(self.conn.dialect.name, role_id))
        if room_id is not None:
            query = query.where(subscriptions.c.room_id == room_id)
        return list((await self.conn.execute(query)).scalars())

    async def count_room_role_holders(self, role_id: str) -> int:
        query = sa.select(sa.func.count()).where(_has_role(self.conn.dialect.name, role_id))
        return (await self.conn.execute(query.select_from(subscriptions))).scalar_one()

    async def list_sole_owned_room_ids(self, user_id: str) -> list[str]:
        """Rooms in which this user is the only owner."""
        is_owner = _has_role(self.conn.dialect.name, "owner")
        owned = sa.select(subscriptions.c.room_id).where(
            subscriptions.c.user_id == user_id, is_owner
        )
        query = (
            sa.select(subscriptions.c.room_id)
            .where(subscriptions.c.room_id.in_(owned), is_owner)
            .group_by(subscriptions.c.room_id)
            .having(sa.func.count() == 1)
            .order_by(subscriptions.c.room_id)
        )
        return list((await self.conn.execute(query)).scalars())

    async def find_successor(self, room_id: str, but: str) -> Subscription | None:
        """The longest-standing active member other than `but`: the next owner of a room."""
        query = (
            sa.select(subscriptions)
            .join(users, users.c.id == subscriptions.c.user_id)
            .where(
                subscriptions.c.room_id == room_id,
                subscriptions.c.user_id != but,
                users.c.active.is_(True),
            )
            .order_by(subscriptions.c.joined_at, subscriptions.c.id)
            .limit(1)
        )
        row = (await self.conn.execute(query)).first()
        return _subscription(row) if row else None

    async def set_subscription_roles(
        self, room_id: str, user_id: str, roles: Sequence[str], at: datetime
    ) -> None:
        await self.conn.execute(
            subscriptions.update()
            .where(subscriptions.c.room_id == room_id, subscriptions.c.user_id == user_id)
            .values(roles=list(roles), updated_at=at)
        )

    # --- directory, spotlight and statistics (searches and counts) ---

    DIRECTORY_SORT = {
        "name": rooms.c.name_lower,
        "createdAt": rooms.c.created_at,
        "usersCount": rooms.c.users_count,
        "lastMessage": rooms.c.last_message_at,
    }

    @staticmethod
    def _named_like(text: str) -> list[sa.ColumnElement[bool]]:
        """Rooms with a name, whose name or display name holds text (any case)."""
        where: list[sa.ColumnElement[bool]] = [rooms.c.name.is_not(None)]
        needle = text.strip().lower()
        if needle:
            where.append(
                sa.or_(
                    rooms.c.name_lower.contains(needle, autoescape=True),
                    sa.func.lower(rooms.c.fname).contains(needle, autoescape=True),
                )
            )
        return where

    async def list_directory_channels(
        self, text: str, sort: tuple[str, int], offset: int, count: int | None
    ) -> tuple[list[Room], int]:
        """Public channels for the directory; `sort` is a DIRECTORY_SORT key and 1 or -1."""
        where = [rooms.c.type == RoomType.CHANNEL.value, *self._named_like(text)]
        total_query = sa.select(sa.func.count()).select_from(rooms).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        column = self.DIRECTORY_SORT[sort[0]]
        order = column.asc() if sort[1] > 0 else column.desc()
        query = sa.select(rooms).where(*where).order_by(order, rooms.c.id).offset(offset)
        if count is not None:
            query = query.limit(count)
        return [_room(r) for r in await self.conn.execute(query)], total

    async def list_spotlight_rooms(
        self, text: str, user_id: str, include_public: bool, limit: int
    ) -> list[Room]:
        """Named rooms matching text among the user's own rooms (and public channels)."""
        mine = sa.select(subscriptions.c.room_id).where(subscriptions.c.user_id == user_id)
        visible: sa.ColumnElement[bool] = rooms.c.id.in_(mine)
        if include_public:
            visible = sa.or_(rooms.c.type == RoomType.CHANNEL.value, visible)
        query = (
            sa.select(rooms)
            .where(visible, rooms.c.type != RoomType.DIRECT.value, *self._named_like(text))
            .order_by(rooms.c.name_lower, rooms.c.id)
            .limit(limit)
        )
        return [_room(r) for r in await self.conn.execute(query)]

    async def count_messages_by_type(self) -> dict[str, int]:
        query = sa.select(rooms.c.type, sa.func.coalesce(sa.func.sum(rooms.c.msgs), 0))
        result = await self.conn.execute(query.group_by(rooms.c.type))
        return {t: int(n) for t, n in result}

    async def count_discussions(self) -> int:
        query = sa.select(sa.func.count()).where(rooms.c.parent_id.is_not(None))
        return (await self.conn.execute(query.select_from(rooms))).scalar_one()

    async def find_last_message_at(self) -> datetime | None:
        query = sa.select(sa.func.max(rooms.c.last_message_at))
        last: datetime | None = (await self.conn.execute(query)).scalar_one_or_none()
        return last

    # --- room settings, listings and deletion ---

    async def update_room(self, room_id: str, values: Mapping[str, Any]) -> None:
        row = dict(values)
        if "name" in row:
            row["name_lower"] = row["name"].lower() if row["name"] else None
        await self.conn.execute(rooms.update().where(rooms.c.id == room_id).values(**row))

    async def list_rooms(
        self,
        flt: RoomFilter,
        sort: Sequence[tuple[str, int]],
        offset: int,
        count: int | None,
    ) -> tuple[list[Room], int]:
        """Rooms matching `flt`, sorted by ROOM_SORT keys (1 or -1), with the total."""
        where = flt.clauses()
        total_query = sa.select(sa.func.count()).select_from(rooms).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        order = [ROOM_SORT[k].asc() if d > 0 else ROOM_SORT[k].desc() for k, d in sort]
        query = sa.select(rooms).where(*where).order_by(*order, rooms.c.id).offset(offset)
        if count is not None:
            query = query.limit(count)
        return [_room(r) for r in await self.conn.execute(query)], total

    async def delete_room(self, room_id: str, at: datetime) -> list[str]:
        """Remove a room with its messages and memberships; the former members' ids.

        Each membership leaves a tombstone, so the members' clients learn of the removal.
        """
        members = sa.select(subscriptions.c.user_id).where(subscriptions.c.room_id == room_id)
        user_ids = list((await self.conn.execute(members)).scalars())
        await self.conn.execute(
            subscription_deletions.insert().from_select(
                ["id", "room_id", "user_id", "deleted_at"],
                sa.select(
                    subscriptions.c.id,
                    subscriptions.c.room_id,
                    subscriptions.c.user_id,
                    sa.literal(at, Millis),
                ).where(subscriptions.c.room_id == room_id),
            )
        )
        await self.conn.execute(subscriptions.delete().where(subscriptions.c.room_id == room_id))
        await self.conn.execute(messages.delete().where(messages.c.room_id == room_id))
        await self.conn.execute(rooms.delete().where(rooms.c.id == room_id))
        return user_ids

    async def list_discussion_ids(self, parent_id: str) -> list[str]:
        query = sa.select(rooms.c.id).where(rooms.c.parent_id == parent_id)
        return list((await self.conn.execute(query)).scalars())

    # --- members ---

    async def list_member_ids(
        self,
        room_id: str,
        statuses: Sequence[str] = (),
        text: str = "",
        descending: bool = False,
        offset: int = 0,
        count: int | None = None,
    ) -> tuple[list[str], int]:
        """Ids of a room's members by username, narrowed by presence status and free text."""
        where: list[sa.ColumnElement[bool]] = [subscriptions.c.room_id == room_id]
        if statuses:
            where.append(users.c.status.in_(list(statuses)))
        needle = text.strip().lower()
        if needle:
            where.append(
                sa.or_(
                    users.c.username_lower.contains(needle, autoescape=True),
                    sa.func.lower(users.c.name).contains(needle, autoescape=True),
                )
            )
        joined = subscriptions.join(users, users.c.id == subscriptions.c.user_id)
        total_query = sa.select(sa.func.count()).select_from(joined).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        key = users.c.username_lower.desc() if descending else users.c.username_lower.asc()
        query = (
            sa.select(users.c.id)
            .select_from(joined)
            .where(*where)
            .order_by(key, users.c.id)
            .offset(offset)
        )
        if count is not None:
            query = query.limit(count)
        return list((await self.conn.execute(query)).scalars()), total

    async def list_privileged_members(
        self, room_id: str, roles: Sequence[str]
    ) -> list[Subscription]:
        """Subscriptions holding any of these room roles; `user.name` filled in."""
        dialect = self.conn.dialect.name
        query = (
            sa.select(subscriptions, users.c.name.label("user_name"))
            .join(users, users.c.id == subscriptions.c.user_id)
            .where(
                subscriptions.c.room_id == room_id,
                sa.or_(*(_has_role(dialect, r) for r in roles)),
            )
            .order_by(subscriptions.c.joined_at, subscriptions.c.id)
        )
        out: list[Subscription] = []
        for row in await self.conn.execute(query):
            sub = _subscription(row)
            name = row._mapping["user_name"]
            out.append(replace(sub, user=replace(sub.user, name=name)))
        return out

    async def update_subscription(
        self, room_id: str, user_id: str, values: Mapping[str, Any]
    ) -> None:
        params = {"b_room_id": room_id, "b_user_id": user_id, **values}
        await self.conn.execute(_UPDATE_SUBSCRIPTION, params)

    async def update_room_subscriptions(self, room_id: str, values: Mapping[str, Any]) -> None:
        """Change every member's subscription to a room (rename, type change, archive)."""
        await self.conn.execute(
            subscriptions.update().where(subscriptions.c.room_id == room_id).values(**values)
        )

    async def delete_subscription(self, subscription: Subscription, at: datetime) -> None:
        """End one membership, keeping the member count right and leaving a tombstone."""
        await self.conn.execute(subscriptions.delete().where(subscriptions.c.id == subscription.id))
        await self.conn.execute(
            subscription_deletions.insert().values(
                id=subscription.id,
                room_id=subscription.room_id,
                user_id=subscription.user.id,
                deleted_at=at,
            )
        )
        await self.conn.execute(
            rooms.update()
            .where(rooms.c.id == subscription.room_id)
            .values(users_count=rooms.c.users_count - 1, updated_at=at)
        )

    # --- catching up (subscriptions.get, rooms.get) ---

    async def list_changed_subscriptions(
        self, user_id: str, since: datetime | None
    ) -> list[tuple[Subscription, RoomState]]:
        """The user's subscriptions with what they show of their rooms, in one statement;
        with `since`, those where the subscription or its room changed after it (a new
        message in the room changes the unread count)."""
        params: dict[str, Any] = {"b_user_id": user_id}
        query = _SUBSCRIPTIONS_WITH_ROOMS
        if since is not None:
            query = _CHANGED_SUBSCRIPTIONS_WITH_ROOMS
            params["b_since"] = since
        found = []
        for row in await self.conn.run(query, params):
            found.append((_subscription(row), RoomState(*row[_SUBSCRIPTION_WIDTH:])))
        return found

    async def list_ended_memberships(
        self, user_id: str, since: datetime
    ) -> list[tuple[str, str, datetime]]:
        """(subscription id, room id, when) of memberships the user lost after `since`."""
        t = subscription_deletions
        query = (
            sa.select(t.c.id, t.c.room_id, t.c.deleted_at)
            .where(t.c.user_id == user_id, t.c.deleted_at > since)
            .order_by(t.c.deleted_at, t.c.id)
        )
        return [(i, r, at) for i, r, at in await self.conn.execute(query)]
