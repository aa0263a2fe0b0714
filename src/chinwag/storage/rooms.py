"""Rooms and subscriptions (membership)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import Room, RoomType, Subscription, UserRef
from chinwag.storage.database import Conn
from chinwag.storage.tables import rooms, subscriptions, users


def _has_role(dialect: str, role_id: str) -> sa.ColumnElement[bool]:
    """A subscription whose JSON `roles` list holds `role_id`, in each dialect's own terms."""
    if dialect == "postgresql":
        return subscriptions.c.roles.op("@>")(sa.func.jsonb_build_array(role_id))
    each = sa.func.json_each(subscriptions.c.roles).table_valued("value")
    return sa.exists(sa.select(1).select_from(each).where(each.c.value == role_id))


def _room(row: sa.Row[Any]) -> Room:
    m = row._mapping
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
    m = row._mapping
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


class RoomRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def find_room(self, room_id: str) -> Room | None:
        row = (await self.conn.execute(sa.select(rooms).where(rooms.c.id == room_id))).first()
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

    async def find_subscription(self, room_id: str, user_id: str) -> Subscription | None:
        query = sa.select(subscriptions).where(
            subscriptions.c.room_id == room_id, subscriptions.c.user_id == user_id
        )
        row = (await self.conn.execute(query)).first()
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

    async def mark_read_to(self, room_id: str, user_id: str, seq: int, at: datetime) -> None:
        """The member has seen the timeline up to `seq`: unread and mention counts reset."""
        await self.conn.execute(
            subscriptions.update()
            .where(subscriptions.c.room_id == room_id, subscriptions.c.user_id == user_id)
            .values(read_seq=seq, last_seen=at, user_mentions=0, group_mentions=0, updated_at=at)
        )

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
        query = sa.select(rooms).where(rooms.c.id.in_(room_ids))
        return [_room(r) for r in await self.conn.execute(query)]

    async def delete_user_subscriptions(self, user_id: str, at: datetime) -> None:
        """Take a user out of every room, keeping member counts right."""
        their_rooms = sa.select(subscriptions.c.room_id).where(subscriptions.c.user_id == user_id)
        await self.conn.execute(
            rooms.update()
            .where(rooms.c.id.in_(their_rooms))
            .values(users_count=rooms.c.users_count - 1, updated_at=at)
        )
        await self.conn.execute(subscriptions.delete().where(subscriptions.c.user_id == user_id))

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
