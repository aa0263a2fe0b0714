"""Users and their global roles."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.domain.models import Status, User, UserType
from chinwag.storage.database import Conn
from chinwag.storage.tables import subscriptions, user_roles, users

# Columns a client may sort users by, mapped from Rocket.Chat's field names.
SORTABLE = {
    "_id": users.c.id,
    "username": users.c.username_lower,
    "name": users.c.name,
    "createdAt": users.c.created_at,
    "_updatedAt": users.c.updated_at,
    "lastLogin": users.c.last_login,
    "status": users.c.status,
    "active": users.c.active,
    "type": users.c.type,
    "emails.address": users.c.email_lower,
}


def _user(row: sa.Row[Any], roles: Sequence[str]) -> User:
    m = row._mapping
    return User(
        id=m["id"],
        username=m["username"],
        name=m["name"],
        type=UserType(m["type"]),
        active=m["active"],
        roles=tuple(roles),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        email=m["email"],
        email_verified=m["email_verified"],
        nickname=m["nickname"],
        bio=m["bio"],
        status=Status(m["status"]),
        status_default=Status(m["status_default"]),
        status_connection=Status(m["status_connection"]),
        status_text=m["status_text"],
        utc_offset=m["utc_offset"],
        language=m["language"],
        last_login=m["last_login"],
        require_password_change=m["require_password_change"],
        has_password=m["password_hash"] is not None,
        preferences=dict(m["preferences"] or {}),
        custom_fields=dict(m["custom_fields"] or {}),
        avatar_origin=m["avatar_origin"],
        avatar_etag=m["avatar_etag"],
        reason=m["reason"],
        invite_token=m["invite_token"],
        invited_by=m["invited_by"],
        totp_enabled=m["totp_enabled"],
        email2fa_enabled=m["email2fa_enabled"],
        restricted=m["restricted"],
    )


class UserFilter:
    """A narrowing of the user list: free text, exact fields, roles."""

    def __init__(
        self,
        text: str | None = None,
        active: bool | None = None,
        types: Sequence[str] = (),
        ids: Sequence[str] = (),
        role: str | None = None,
        with_username: bool = True,
    ) -> None:
        self.text, self.active, self.types, self.ids = text, active, types, ids
        self.role, self.with_username = role, with_username

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        out: list[sa.ColumnElement[bool]] = []
        if self.with_username:
            out.append(users.c.username.is_not(None))
        if self.text:
            like = f"%{_escape_like(self.text.lower())}%"
            out.append(
                sa.or_(
                    users.c.username_lower.like(like, escape="\\"),
                    sa.func.lower(users.c.name).like(like, escape="\\"),
                    users.c.email_lower.like(like, escape="\\"),
                )
            )
        if self.active is not None:
            out.append(users.c.active == self.active)
        if self.types:
            out.append(users.c.type.in_(self.types))
        if self.ids:
            out.append(users.c.id.in_(self.ids))
        if self.role:
            out.append(
                users.c.id.in_(
                    sa.select(user_roles.c.user_id).where(user_roles.c.role_id == self.role)
                )
            )
        return out


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class UserRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def _with_roles(self, rows: Sequence[sa.Row[Any]]) -> list[User]:
        if not rows:
            return []
        ids = [r._mapping["id"] for r in rows]
        result = await self.conn.execute(
            sa.select(user_roles.c.user_id, user_roles.c.role_id)
            .where(user_roles.c.user_id.in_(ids))
            .order_by(user_roles.c.role_id)
        )
        roles: dict[str, list[str]] = {}
        for uid, role in result:
            roles.setdefault(uid, []).append(role)
        return [_user(r, roles.get(r._mapping["id"], [])) for r in rows]

    async def _find_one(self, where: sa.ColumnElement[bool]) -> User | None:
        row = (await self.conn.execute(sa.select(users).where(where))).first()
        if row is None:
            return None
        return (await self._with_roles([row]))[0]

    async def find_by_id(self, user_id: str) -> User | None:
        return await self._find_one(users.c.id == user_id)

    async def find_by_username(self, username: str) -> User | None:
        return await self._find_one(users.c.username_lower == username.lower())

    async def find_by_email(self, email: str) -> User | None:
        return await self._find_one(users.c.email_lower == email.lower())

    async def find_password_hash(self, user_id: str) -> str | None:
        result = await self.conn.execute(
            sa.select(users.c.password_hash).where(users.c.id == user_id)
        )
        return result.scalar_one_or_none()

    async def insert_user(self, values: Mapping[str, Any], roles: Iterable[str]) -> None:
        row = dict(values)
        row["username_lower"] = row["username"].lower() if row.get("username") else None
        row["email_lower"] = row["email"].lower() if row.get("email") else None
        await self.conn.execute(users.insert().values(**row))
        await self.set_roles(row["id"], roles)

    async def update_user(self, user_id: str, values: Mapping[str, Any]) -> None:
        row = dict(values)
        if "username" in row:
            row["username_lower"] = row["username"].lower() if row["username"] else None
        if "email" in row:
            row["email_lower"] = row["email"].lower() if row["email"] else None
        await self.conn.execute(users.update().where(users.c.id == user_id).values(**row))

    async def delete_user(self, user_id: str) -> None:
        await self.conn.execute(users.delete().where(users.c.id == user_id))

    async def set_roles(self, user_id: str, roles: Iterable[str]) -> None:
        await self.conn.execute(user_roles.delete().where(user_roles.c.user_id == user_id))
        rows = [{"user_id": user_id, "role_id": r} for r in dict.fromkeys(roles)]
        if rows:
            await self.conn.execute(user_roles.insert(), rows)

    async def list_users(
        self,
        flt: UserFilter,
        offset: int,
        count: int | None,
        sort: Sequence[tuple[str, int]] = (("username", 1),),
    ) -> tuple[list[User], int]:
        where = flt.clauses()
        total = (
            await self.conn.execute(sa.select(sa.func.count()).select_from(users).where(*where))
        ).scalar_one()
        order = [SORTABLE[k].asc() if d > 0 else SORTABLE[k].desc() for k, d in sort]
        query = sa.select(users).where(*where).order_by(*order, users.c.id).offset(offset)
        if count is not None:
            query = query.limit(count)
        rows = (await self.conn.execute(query)).all()
        return await self._with_roles(rows), total

    async def count_users(self, flt: UserFilter | None = None) -> int:
        where = flt.clauses() if flt else []
        query = sa.select(sa.func.count()).select_from(users).where(*where)
        return (await self.conn.execute(query)).scalar_one()

    async def count_by_status(self) -> dict[str, int]:
        result = await self.conn.execute(
            sa.select(users.c.status, sa.func.count()).group_by(users.c.status)
        )
        return {status: n for status, n in result}

    async def usernames_taken(self, candidates: Sequence[str]) -> set[str]:
        lowered = [c.lower() for c in candidates]
        result = await self.conn.execute(
            sa.select(users.c.username_lower).where(users.c.username_lower.in_(lowered))
        )
        return set(result.scalars())

    async def list_present(self, ids: Sequence[str] | None = None) -> list[User]:
        """Users whose status is not offline, optionally among `ids`."""
        query = sa.select(users).where(users.c.status != Status.OFFLINE.value)
        if ids is not None:
            query = query.where(users.c.id.in_(ids))
        rows = (await self.conn.execute(query.order_by(users.c.id))).all()
        return await self._with_roles(rows)

    async def list_updated_since(self, since: datetime, but: str) -> list[User]:
        """Users changed at or after `since`, other than `but` (presence catch-up)."""
        query = (
            sa.select(users)
            .where(users.c.updated_at >= since, users.c.id != but)
            .order_by(users.c.id)
        )
        return await self._with_roles((await self.conn.execute(query)).all())

    async def list_idle_user_ids(self, before: datetime, role: str | None) -> list[str]:
        query = sa.select(users.c.id).where(
            users.c.active.is_(True),
            users.c.type == "user",
            sa.func.coalesce(users.c.last_login, users.c.created_at) < before,
        )
        if role:
            query = query.where(
                users.c.id.in_(sa.select(user_roles.c.user_id).where(user_roles.c.role_id == role))
            )
        return list((await self.conn.execute(query)).scalars())

    async def deactivate_users(self, user_ids: Sequence[str], at: datetime) -> None:
        if user_ids:
            await self.conn.execute(
                users.update().where(users.c.id.in_(user_ids)).values(active=False, updated_at=at)
            )

    # --- directory, spotlight and statistics (searches and counts) ---

    DIRECTORY_SORT = {
        "name": sa.func.lower(users.c.name),
        "username": users.c.username_lower,
        "createdAt": users.c.created_at,
        "email": users.c.email_lower,
    }

    @staticmethod
    def _listed_matching(text: str, with_email: bool) -> list[sa.ColumnElement[bool]]:
        """Active people and bots with a username whose username or name (or email) holds text."""
        where: list[sa.ColumnElement[bool]] = [
            users.c.active.is_(True),
            users.c.username.is_not(None),
            users.c.type.in_(("user", "bot")),
        ]
        needle = text.strip().lower()
        if needle:
            fields = [users.c.username_lower, sa.func.lower(users.c.name)]
            if with_email:
                fields.append(users.c.email_lower)
            where.append(sa.or_(*(f.contains(needle, autoescape=True) for f in fields)))
        return where

    async def list_directory_users(
        self,
        text: str,
        with_email: bool,
        sort: tuple[str, int],
        offset: int,
        count: int | None,
    ) -> tuple[list[User], int]:
        """The directory's users page; `sort` is a DIRECTORY_SORT key and 1 or -1."""
        where = self._listed_matching(text, with_email)
        total_query = sa.select(sa.func.count()).select_from(users).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        column = self.DIRECTORY_SORT[sort[0]]
        order = column.asc() if sort[1] > 0 else column.desc()
        query = sa.select(users).where(*where).order_by(order, users.c.id).offset(offset)
        if count is not None:
            query = query.limit(count)
        return await self._with_roles((await self.conn.execute(query)).all()), total

    async def list_spotlight_users(
        self, text: str, limit: int, sharing_rooms_with: str | None
    ) -> list[User]:
        """Users matching text, an exact username first; optionally only a user's room mates."""
        where = self._listed_matching(text, with_email=False)
        if sharing_rooms_with is not None:
            mine = subscriptions.alias("mine")
            their_rooms = sa.select(mine.c.room_id).where(mine.c.user_id == sharing_rooms_with)
            mates = sa.select(subscriptions.c.user_id).where(
                subscriptions.c.room_id.in_(their_rooms)
            )
            where.append(users.c.id.in_(mates))
        exact = sa.case((users.c.username_lower == text.strip().lower(), 0), else_=1)
        query = sa.select(users).where(*where).order_by(exact, users.c.username_lower).limit(limit)
        return await self._with_roles((await self.conn.execute(query)).all())

    async def count_by_language(self) -> dict[str, int]:
        query = (
            sa.select(users.c.language, sa.func.count())
            .where(users.c.language.is_not(None))
            .group_by(users.c.language)
        )
        return {language: n for language, n in await self.conn.execute(query)}

    async def find_last_login(self) -> datetime | None:
        query = sa.select(sa.func.max(users.c.last_login))
        last: datetime | None = (await self.conn.execute(query)).scalar_one_or_none()
        return last
