"""Settings values, roles, permissions and statistics snapshots."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import Permission, Role
from chinwag.storage.database import Conn
from chinwag.storage.tables import permissions, roles, settings, statistics, user_roles


def _role(row: sa.Row[Any]) -> Role:
    m = row._mapping
    return Role(
        id=m["id"],
        name=m["name"],
        description=m["description"],
        scope=m["scope"],
        protected=m["protected"],
        mandatory_2fa=m["mandatory_2fa"],
        updated_at=m["updated_at"],
    )


class ConfigRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    # settings
    async def list_setting_values(self) -> dict[str, tuple[Any, datetime]]:
        result = await self.conn.execute(sa.select(settings))
        return {r.id: (r.value, r.updated_at) for r in result}

    async def upsert_setting(self, setting_id: str, value: Any, at: datetime) -> None:
        updated = await self.conn.execute(
            settings.update().where(settings.c.id == setting_id).values(value=value, updated_at=at)
        )
        if not updated.rowcount:
            await self.conn.execute(
                settings.insert().values(id=setting_id, value=value, updated_at=at)
            )

    # roles
    async def list_roles(self) -> list[Role]:
        return [_role(r) for r in await self.conn.execute(sa.select(roles).order_by(roles.c.id))]

    async def find_role(self, role_id_or_name: str) -> Role | None:
        query = sa.select(roles).where(
            sa.or_(roles.c.id == role_id_or_name, roles.c.name == role_id_or_name)
        )
        row = (await self.conn.execute(query)).first()
        return _role(row) if row else None

    async def list_roles_updated_since(self, since: datetime) -> list[Role]:
        query = sa.select(roles).where(roles.c.updated_at > since).order_by(roles.c.id)
        return [_role(r) for r in await self.conn.execute(query)]

    async def insert_role(self, role: Role, at: datetime) -> None:
        await self.conn.execute(
            roles.insert().values(
                id=role.id,
                name=role.name,
                description=role.description,
                scope=role.scope,
                protected=role.protected,
                mandatory_2fa=role.mandatory_2fa,
                updated_at=at,
            )
        )

    async def update_role(self, role_id: str, values: Mapping[str, Any]) -> None:
        await self.conn.execute(roles.update().where(roles.c.id == role_id).values(**values))

    async def delete_role(self, role_id: str) -> None:
        await self.conn.execute(roles.delete().where(roles.c.id == role_id))

    async def count_role_holders(self, role_id: str) -> int:
        query = sa.select(sa.func.count()).where(user_roles.c.role_id == role_id)
        return (await self.conn.execute(query)).scalar_one()

    async def add_user_role(self, user_id: str, role_id: str) -> bool:
        exists = await self.conn.execute(
            sa.select(user_roles.c.user_id).where(
                user_roles.c.user_id == user_id, user_roles.c.role_id == role_id
            )
        )
        if exists.first():
            return False
        await self.conn.execute(user_roles.insert().values(user_id=user_id, role_id=role_id))
        return True

    async def remove_user_role(self, user_id: str, role_id: str) -> bool:
        result = await self.conn.execute(
            user_roles.delete().where(
                user_roles.c.user_id == user_id, user_roles.c.role_id == role_id
            )
        )
        return bool(result.rowcount)

    # permissions
    async def list_permissions(self) -> list[Permission]:
        result = await self.conn.execute(sa.select(permissions).order_by(permissions.c.id))
        return [Permission(id=r.id, roles=tuple(r.roles), updated_at=r.updated_at) for r in result]

    async def upsert_permission(
        self, permission_id: str, role_ids: Sequence[str], at: datetime
    ) -> None:
        updated = await self.conn.execute(
            permissions.update()
            .where(permissions.c.id == permission_id)
            .values(roles=list(role_ids), updated_at=at)
        )
        if not updated.rowcount:
            await self.conn.execute(
                permissions.insert().values(id=permission_id, roles=list(role_ids), updated_at=at)
            )

    # statistics
    async def insert_statistics(
        self, snapshot_id: str, at: datetime, data: Mapping[str, Any]
    ) -> None:
        await self.conn.execute(
            statistics.insert().values(id=snapshot_id, created_at=at, data=data)
        )

    async def list_statistics(
        self, offset: int, count: int | None
    ) -> tuple[list[tuple[str, datetime, dict[str, Any]]], int]:
        total = (
            await self.conn.execute(sa.select(sa.func.count()).select_from(statistics))
        ).scalar_one()
        query = sa.select(statistics).order_by(statistics.c.created_at.desc()).offset(offset)
        if count is not None:
            query = query.limit(count)
        rows = await self.conn.execute(query)
        return [(r.id, r.created_at, dict(r.data)) for r in rows], total
