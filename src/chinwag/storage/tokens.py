"""Login tokens and personal access tokens, stored hashed."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from chinwag.domain.models import PersonalAccessToken
from chinwag.storage.database import Conn
from chinwag.storage.tables import login_tokens

PAT_KIND = "personalAccessToken"


def _personal_token(row: sa.Row[Any]) -> PersonalAccessToken:
    m = row._mapping
    return PersonalAccessToken(
        name=m["name"],
        created_at=m["created_at"],
        last_token_part=m["last_token_part"],
        bypass_two_factor=m["bypass_two_factor"],
    )


class TokenRepo:
    def __init__(self, conn: Conn) -> None:
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

    async def insert_personal_token(
        self,
        user_id: str,
        hashed: str,
        at: datetime,
        name: str,
        last_token_part: str,
        bypass_two_factor: bool,
    ) -> bool:
        """Store a personal access token; False when the user already has one by that name."""
        try:
            # A savepoint, so a lost race on the unique name leaves the transaction usable.
            async with self.conn.begin_nested():
                await self.insert_token(
                    user_id,
                    hashed,
                    at,
                    None,
                    name=name,
                    last_token_part=last_token_part,
                    bypass_two_factor=bypass_two_factor,
                )
        except IntegrityError:
            return False
        return True

    async def find_token_owner(
        self, hashed: str, now: datetime, max_age: timedelta | None = None
    ) -> str | None:
        """The user id a live token belongs to."""
        found = await self.find_live_token(hashed, now, max_age)
        return found[0] if found else None

    async def find_live_token(
        self, hashed: str, now: datetime, max_age: timedelta | None = None
    ) -> tuple[str, datetime | None, bool] | None:
        """(user id, expiry, is a personal access token) of a live token. A login token older
        than `max_age` (Accounts_LoginExpiration as it is now) is dead whatever expiry it was
        issued with; personal access tokens never expire."""
        query = sa.select(
            login_tokens.c.user_id,
            login_tokens.c.expires_at,
            login_tokens.c.kind,
            login_tokens.c.created_at,
        ).where(
            login_tokens.c.hashed_token == hashed,
            sa.or_(login_tokens.c.expires_at.is_(None), login_tokens.c.expires_at > now),
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        personal = row.kind == PAT_KIND
        expires: datetime | None = row.expires_at
        if max_age is not None and not personal:
            aged_out = row.created_at + max_age
            expires = aged_out if expires is None else min(expires, aged_out)
            if expires <= now:
                return None
        return row.user_id, expires, personal

    async def find_token_expiry(self, user_id: str, hashed: str) -> datetime | None:
        """When one of a user's tokens expires (None: never, or no such token)."""
        result = await self.conn.execute(
            sa.select(login_tokens.c.expires_at).where(
                login_tokens.c.user_id == user_id, login_tokens.c.hashed_token == hashed
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

    async def delete_every_user_token(self, user_id: str) -> None:
        """Every token of a user, personal access tokens too (a password reset ends them all)."""
        await self.conn.execute(login_tokens.delete().where(login_tokens.c.user_id == user_id))

    async def delete_tokens_of_users(self, user_ids: Sequence[str]) -> None:
        """End every login session of many users at once (personal access tokens stay)."""
        if user_ids:
            await self.conn.execute(
                login_tokens.delete().where(
                    login_tokens.c.user_id.in_(user_ids), login_tokens.c.kind == ""
                )
            )

    async def find_personal_token(self, user_id: str, name: str) -> PersonalAccessToken | None:
        result = await self.conn.execute(
            sa.select(login_tokens).where(
                login_tokens.c.user_id == user_id,
                login_tokens.c.kind == PAT_KIND,
                login_tokens.c.name == name,
            )
        )
        row = result.first()
        return _personal_token(row) if row else None

    async def list_personal_tokens(self, user_id: str) -> list[PersonalAccessToken]:
        result = await self.conn.execute(
            sa.select(login_tokens)
            .where(login_tokens.c.user_id == user_id, login_tokens.c.kind == PAT_KIND)
            .order_by(login_tokens.c.created_at)
        )
        return [_personal_token(r) for r in result]

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
