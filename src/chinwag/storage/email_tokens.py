"""Single-use tokens of mailed links (email verification, password reset), stored hashed."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from chinwag.storage.database import Conn
from chinwag.storage.tables import email_tokens

t = email_tokens.c


@dataclass(frozen=True)
class EmailToken:
    user_id: str
    kind: str
    email: str
    created_at: datetime
    expires_at: datetime | None


class EmailTokenRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def insert_token(
        self,
        hashed: str,
        user_id: str,
        kind: str,
        email: str,
        at: datetime,
        expires_at: datetime | None,
    ) -> None:
        await self.conn.execute(
            email_tokens.insert().values(
                hashed_token=hashed,
                user_id=user_id,
                kind=kind,
                email=email,
                created_at=at,
                expires_at=expires_at,
            )
        )

    async def take_token(self, hashed: str, kind: str) -> EmailToken | None:
        """Remove a token and return what it was for: whoever takes it first uses it, once."""
        row = (
            await self.conn.execute(
                email_tokens.delete()
                .where(t.hashed_token == hashed, t.kind == kind)
                .returning(t.user_id, t.kind, t.email, t.created_at, t.expires_at)
            )
        ).first()
        if row is None:
            return None
        return EmailToken(row.user_id, row.kind, row.email, row.created_at, row.expires_at)

    async def find_token(self, hashed: str, kind: str) -> EmailToken | None:
        """What a token is for, leaving it in place."""
        row = (
            await self.conn.execute(
                sa.select(t.user_id, t.kind, t.email, t.created_at, t.expires_at).where(
                    t.hashed_token == hashed, t.kind == kind
                )
            )
        ).first()
        if row is None:
            return None
        return EmailToken(row.user_id, row.kind, row.email, row.created_at, row.expires_at)

    async def delete_user_tokens(self, user_id: str, kind: str) -> None:
        await self.conn.execute(email_tokens.delete().where(t.user_id == user_id, t.kind == kind))

    async def delete_expired(self, now: datetime) -> None:
        await self.conn.execute(email_tokens.delete().where(t.expires_at <= now))
