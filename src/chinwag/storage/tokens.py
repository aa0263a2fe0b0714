"""Login tokens and personal access tokens, stored hashed."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chinwag.domain.models import PersonalAccessToken
from chinwag.storage.tables import login_tokens

PAT_KIND = "personalAccessToken"


class TokenRepo:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def insert_token(
        self,
        user_id: str,
        hashed: str,
        at: datetime,
        expires_at: datetime | None,
        **pat: Any,
    ) -> None:
        await self.conn.execute(
            login_tokens.insert().values(
                hashed_token=hashed,
                user_id=user_id,
                created_at=at,
                expires_at=expires_at,
                kind=PAT_KIND if pat else "",
                **pat,
            )
        )

    async def find_token_owner(self, hashed: str, now: datetime) -> str | None:
        """The user id a live token belongs to."""
        result = await self.conn.execute(
            sa.select(login_tokens.c.user_id).where(
                login_tokens.c.hashed_token == hashed,
                sa.or_(login_tokens.c.expires_at.is_(None), login_tokens.c.expires_at > now),
            )
        )
        return result.scalar_one_or_none()

    async def delete_token(self, hashed: str) -> None:
        await self.conn.execute(login_tokens.delete().where(login_tokens.c.hashed_token == hashed))

    async def delete_user_tokens(self, user_id: str, keep: str | None = None) -> None:
        """End every login session of a user (personal access tokens stay), but `keep`."""
        query = login_tokens.delete().where(
            login_tokens.c.user_id == user_id, login_tokens.c.kind == ""
        )
        if keep:
            query = query.where(login_tokens.c.hashed_token != keep)
        await self.conn.execute(query)

    async def list_personal_tokens(self, user_id: str) -> list[PersonalAccessToken]:
        result = await self.conn.execute(
            sa.select(login_tokens)
            .where(login_tokens.c.user_id == user_id, login_tokens.c.kind == PAT_KIND)
            .order_by(login_tokens.c.created_at)
        )
        return [
            PersonalAccessToken(
                name=r.name,
                created_at=r.created_at,
                last_token_part=r.last_token_part,
                bypass_two_factor=r.bypass_two_factor,
            )
            for r in result
        ]

    async def delete_personal_token(self, user_id: str, name: str) -> bool:
        result = await self.conn.execute(
            login_tokens.delete().where(
                login_tokens.c.user_id == user_id,
                login_tokens.c.kind == PAT_KIND,
                login_tokens.c.name == name,
            )
        )
        return bool(result.rowcount)

    async def delete_expired(self, now: datetime) -> None:
        await self.conn.execute(login_tokens.delete().where(login_tokens.c.expires_at <= now))
