"""Invite links and who used them."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import Invite
from chinwag.storage.database import Conn
from chinwag.storage.tables import invite_uses, invites, users


def _invite(row: sa.Row[Any]) -> Invite:
    m = row._mapping
    return Invite(
        id=m["id"],
        room_id=m["room_id"],
        creator_id=m["creator_id"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        expires_at=m["expires_at"],
        days=m["days"],
        max_uses=m["max_uses"],
        uses=m["uses"],
        paused_at=m["paused_at"],
    )


_LIVE_USES = sa.or_(invites.c.max_uses == 0, invites.c.uses < invites.c.max_uses)


class InviteRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def find_invite(self, invite_id: str) -> Invite | None:
        query = sa.select(invites).where(invites.c.id == invite_id)
        row = (await self.conn.execute(query)).first()
        return _invite(row) if row else None

    async def find_reusable_invite(
        self, creator_id: str, room_id: str, days: int, max_uses: int, now: datetime
    ) -> Invite | None:
        """A live invite with this creator, room, lifetime and use cap (Rocket.Chat reuses it)."""
        query = (
            sa.select(invites)
            .where(
                invites.c.creator_id == creator_id,
                invites.c.room_id == room_id,
                invites.c.days == days,
                invites.c.max_uses == max_uses,
                sa.or_(invites.c.expires_at.is_(None), invites.c.expires_at > now),
                _LIVE_USES,
            )
            .order_by(invites.c.created_at.desc())
            .limit(1)
        )
        row = (await self.conn.execute(query)).first()
        return _invite(row) if row else None

    async def insert_invite(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(invites.insert().values(**values))

    async def list_invites(self, room_ids: list[str] | None = None) -> list[Invite]:
        query = sa.select(invites).order_by(invites.c.created_at, invites.c.id)
        if room_ids is not None:
            query = query.where(invites.c.room_id.in_(room_ids))
        return [_invite(r) for r in await self.conn.execute(query)]

    async def delete_invite(self, invite_id: str) -> bool:
        """Revoke a link. Its uses stay on record: who came in through it outlives the link."""
        result = await self.conn.execute(invites.delete().where(invites.c.id == invite_id))
        return bool(result.rowcount)

    async def set_paused(self, invite_id: str, at: datetime | None) -> bool:
        """Pause (a time) or resume (None) a link; False if it was already so, or is gone."""
        already = invites.c.paused_at.is_(None) if at is None else invites.c.paused_at.is_not(None)
        result = await self.conn.execute(
            invites.update().where(invites.c.id == invite_id, sa.not_(already)).values(paused_at=at)
        )
        return bool(result.rowcount)

    async def has_used(self, invite_id: str, user_id: str) -> bool:
        query = sa.select(invite_uses.c.user_id).where(
            invite_uses.c.invite_id == invite_id, invite_uses.c.user_id == user_id
        )
        return (await self.conn.execute(query)).first() is not None

    async def record_use(
        self, invite_id: str, user_id: str, at: datetime, registered: bool
    ) -> bool:
        """Count a new member through this invite; False if the cap was reached meanwhile."""
        result = await self.conn.execute(
            invites.update()
            .where(invites.c.id == invite_id, _LIVE_USES)
            .values(uses=invites.c.uses + 1, updated_at=at)
        )
        if not result.rowcount:
            return False
        await self.conn.execute(
            invite_uses.insert().values(
                invite_id=invite_id, user_id=user_id, used_at=at, registered=registered
            )
        )
        return True

    async def list_invite_uses(
        self, invite_id: str
    ) -> list[tuple[str, str | None, str, datetime, bool]]:
        """(user id, username, name, used at, registered) for each member an invite brought in."""
        query = (
            sa.select(
                invite_uses.c.user_id,
                users.c.username,
                users.c.name,
                invite_uses.c.used_at,
                invite_uses.c.registered,
            )
            .join(users, users.c.id == invite_uses.c.user_id)
            .where(invite_uses.c.invite_id == invite_id)
            .order_by(invite_uses.c.used_at, invite_uses.c.user_id)
        )
        return [
            (uid, un, name, at, reg) for uid, un, name, at, reg in await self.conn.execute(query)
        ]

    async def list_invite_accounts(
        self, invite_id: str
    ) -> list[tuple[str, str | None, str | None, bool, datetime, str | None, datetime]]:
        """(id, username, email, verified, created at, sign-up network, joined at) of each
        account an invite brought in, in the order they joined."""
        query = (
            sa.select(
                users.c.id,
                users.c.username,
                users.c.email,
                users.c.email_verified,
                users.c.created_at,
                users.c.signup_network,
                invite_uses.c.used_at,
            )
            .join(users, users.c.id == invite_uses.c.user_id)
            .where(invite_uses.c.invite_id == invite_id)
            .order_by(invite_uses.c.used_at, invite_uses.c.user_id)
        )
        return [tuple(row) for row in await self.conn.execute(query)]

    async def invite_totals(self) -> tuple[int, int]:
        """How many invite links exist and how many members they brought in, all told."""
        query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(invites.c.uses), 0))
        count, uses = (await self.conn.execute(query.select_from(invites))).one()
        return int(count), int(uses)
