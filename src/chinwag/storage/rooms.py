"""Rooms and subscriptions (membership)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chinwag.domain.models import Room, RoomType, Subscription, UserRef
from chinwag.storage.tables import rooms, subscriptions


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
    )


class RoomRepo:
    def __init__(self, conn: AsyncConnection) -> None:
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
