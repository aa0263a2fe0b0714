"""Two-factor secrets and codes of users, and the second factor remembered on login tokens."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.two_factor import TwoFactorSecrets
from chinwag.storage.database import Conn
from chinwag.storage.tables import login_tokens, user_two_factor, users


class TwoFactorRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get_secrets(self, user_id: str, for_update: bool = False) -> TwoFactorSecrets:
        """A user's secrets (all empty for a user who never set any up)."""
        query = sa.select(user_two_factor).where(user_two_factor.c.user_id == user_id)
        if for_update and self.conn.dialect.name == "postgresql":
            query = query.with_for_update()  # two checks of one code: only one may use it
        row = (await self.conn.execute(query)).first()
        if row is None:
            return TwoFactorSecrets()
        m = row._mapping
        return TwoFactorSecrets(
            totp_secret=m["totp_secret"],
            totp_temp_secret=m["totp_temp_secret"],
            backup_codes=tuple(m["backup_codes"] or ()),
            email_code_hash=m["email_code_hash"],
            email_code_expires_at=m["email_code_expires_at"],
            email_code_attempts=m["email_code_attempts"],
        )

    async def update_secrets(self, user_id: str, values: dict[str, Any]) -> None:
        """Set some of a user's secret columns, creating their row on first use."""
        if "backup_codes" in values:
            values = {**values, "backup_codes": list(values["backup_codes"])}
        result = await self.conn.execute(
            user_two_factor.update().where(user_two_factor.c.user_id == user_id).values(values)
        )
        if not result.rowcount:
            await self.conn.execute(user_two_factor.insert().values(user_id=user_id, **values))

    async def set_methods(self, user_id: str, values: dict[str, bool], at: datetime) -> None:
        """Turn methods on or off: `totp_enabled` and/or `email2fa_enabled`."""
        await self.conn.execute(
            users.update().where(users.c.id == user_id).values(**values, updated_at=at)
        )

    async def find_token_grant(
        self, user_id: str, hashed: str
    ) -> tuple[bool, datetime | None, str | None] | None:
        """(bypasses 2FA, remembered until, remembered for which client) of a user's token."""
        row = (
            await self.conn.execute(
                sa.select(
                    login_tokens.c.bypass_two_factor,
                    login_tokens.c.two_factor_until,
                    login_tokens.c.two_factor_hash,
                ).where(login_tokens.c.user_id == user_id, login_tokens.c.hashed_token == hashed)
            )
        ).first()
        if row is None:
            return None
        return row.bypass_two_factor, row.two_factor_until, row.two_factor_hash

    async def remember_on_token(
        self, user_id: str, hashed: str, until: datetime, client: str
    ) -> None:
        await self.conn.execute(
            login_tokens.update()
            .where(login_tokens.c.user_id == user_id, login_tokens.c.hashed_token == hashed)
            .values(two_factor_until=until, two_factor_hash=client)
        )
