"""Moderation rows: reports and their dismissal, edit history, reserved room names, login
history and evidence bundles."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from chinwag.storage.database import Conn
from chinwag.storage.tables import (
    evidence_bundles,
    evidence_files,
    invite_uses,
    invites,
    login_events,
    message_edits,
    message_reports,
    messages,
    reserved_room_names,
    subscriptions,
    user_reports,
    users,
)

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportWindow:
    """Rocket.Chat's `oldest`/`latest` and free-text `selector` on the moderation lists."""

    oldest: datetime
    latest: datetime
    selector: str = ""


def _rows(result: sa.CursorResult[Any]) -> list[Row]:
    return [dict(r._mapping) for r in result.all()]


def _plain(row: Row) -> Row:
    """A row as plain JSON values: times as epoch milliseconds, as report copies keep them."""
    return {k: int(v.timestamp() * 1000) if isinstance(v, datetime) else v for k, v in row.items()}


# What evidence keeps of a user: who they are and how they came in, never secrets.
_USER_EVIDENCE = (
    users.c.id,
    users.c.username,
    users.c.name,
    users.c.email,
    users.c.active,
    users.c.type,
    users.c.created_at,
    users.c.last_login,
    users.c.invited_by,
    users.c.invite_token,
    users.c.restricted,
)


def _selector(column: Any, window: ReportWindow) -> list[sa.ColumnElement[bool]]:
    """Reports about users whose username or name contains the selector."""
    if not window.selector:
        return []
    text = window.selector.lower()
    named = sa.select(users.c.id).where(
        sa.or_(
            sa.func.lower(users.c.username).contains(text, autoescape=True),
            sa.func.lower(users.c.name).contains(text, autoescape=True),
        )
    )
    return [column.in_(named)]


class ModerationRepo:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def _newest_first(
        self,
        table: sa.Table,
        where: Sequence[sa.ColumnElement[bool]],
        offset: int,
        count: int | None,
    ) -> tuple[list[Row], int]:
        """A page of `table`'s rows matching `where`, newest first, and how many match."""
        query = (
            sa.select(table)
            .where(*where)
            .order_by(table.c.ts.desc(), table.c.id)
            .offset(offset)
            .limit(count)
        )
        total_query = sa.select(sa.func.count()).select_from(table).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        return _rows(await self.conn.execute(query)), int(total)

    # message reports
    def _message_reports_in(self, window: ReportWindow) -> list[sa.ColumnElement[bool]]:
        c = message_reports.c
        return [
            c.hidden.is_(False),
            c.ts >= window.oldest,
            c.ts <= window.latest,
            *_selector(c.reported_user_id, window),
        ]

    async def message_reports_by_user(
        self, window: ReportWindow, offset: int, count: int
    ) -> tuple[list[Row], int]:
        """Open message reports grouped by the reported author, newest first."""
        c = message_reports.c
        where = self._message_reports_in(window)
        latest = sa.func.max(c.ts).label("ts")
        query = (
            sa.select(c.reported_user_id, sa.func.count().label("count"), latest)
            .where(*where, c.reported_user_id.is_not(None))
            .group_by(c.reported_user_id)
            .order_by(latest.desc(), c.reported_user_id)
            .offset(offset)
            .limit(count)
        )
        groups = _rows(await self.conn.execute(query))
        total_query = sa.select(sa.func.count(sa.distinct(c.reported_user_id))).where(*where)
        total = (await self.conn.execute(total_query)).scalar_one()
        return groups, int(total)

    async def message_reports_of(
        self, user_id: str, offset: int = 0, count: int | None = None
    ) -> tuple[list[Row], int]:
        c = message_reports.c
        where = [c.reported_user_id == user_id, c.hidden.is_(False)]
        return await self._newest_first(message_reports, where, offset, count)

    async def reports_of_message(
        self, message_id: str, offset: int, count: int
    ) -> tuple[list[Row], int]:
        c = message_reports.c
        where = [c.message_id == message_id, c.hidden.is_(False)]
        return await self._newest_first(message_reports, where, offset, count)

    async def find_message_report(self, report_id: str) -> Row | None:
        query = sa.select(message_reports).where(message_reports.c.id == report_id)
        row = (await self.conn.execute(query)).first()
        return dict(row._mapping) if row else None

    async def has_open_message_reports(
        self, user_id: str | None = None, message_id: str | None = None
    ) -> bool:
        c = message_reports.c
        where: list[sa.ColumnElement[bool]] = [c.hidden.is_(False)]
        where.append(c.reported_user_id == user_id if user_id else c.message_id == message_id)
        query = sa.select(c.id).where(*where).limit(1)
        return (await self.conn.execute(query)).first() is not None

    async def dismiss_message_reports(
        self,
        moderation: Mapping[str, Any],
        user_id: str | None = None,
        message_id: str | None = None,
    ) -> int:
        c = message_reports.c
        where: list[sa.ColumnElement[bool]] = [c.hidden.is_(False)]
        where.append(c.reported_user_id == user_id if user_id else c.message_id == message_id)
        update = message_reports.update().where(*where).values(hidden=True, **moderation)
        return (await self.conn.execute(update)).rowcount

    # user reports
    async def insert_user_report(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(user_reports.insert().values(**values))

    async def user_reports_by_user(
        self, window: ReportWindow, offset: int, count: int
    ) -> tuple[list[Row], int]:
        c = user_reports.c
        where = [
            c.hidden.is_(False),
            c.ts >= window.oldest,
            c.ts <= window.latest,
            *_selector(c.user_id, window),
        ]
        latest = sa.func.max(c.ts).label("ts")
        query = (
            sa.select(c.user_id, sa.func.count().label("count"), latest)
            .where(*where)
            .group_by(c.user_id)
            .order_by(latest.desc(), c.user_id)
            .offset(offset)
            .limit(count)
        )
        groups = _rows(await self.conn.execute(query))
        total_query = sa.select(sa.func.count(sa.distinct(c.user_id))).where(*where)
        return groups, int((await self.conn.execute(total_query)).scalar_one())

    async def user_reports_of(
        self, user_id: str, offset: int = 0, count: int | None = None
    ) -> tuple[list[Row], int]:
        c = user_reports.c
        where = [c.user_id == user_id, c.hidden.is_(False)]
        return await self._newest_first(user_reports, where, offset, count)

    async def find_user_report(self, report_id: str) -> Row | None:
        query = sa.select(user_reports).where(user_reports.c.id == report_id)
        row = (await self.conn.execute(query)).first()
        return dict(row._mapping) if row else None

    async def dismiss_user_reports(self, user_id: str, moderation: Mapping[str, Any]) -> int:
        c = user_reports.c
        update = (
            user_reports.update()
            .where(c.user_id == user_id, c.hidden.is_(False))
            .values(hidden=True, **moderation)
        )
        return (await self.conn.execute(update)).rowcount

    # edit history
    async def insert_edit(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(message_edits.insert().values(**values))

    async def edits_of(self, message_ids: Sequence[str]) -> list[Row]:
        out: list[Row] = []
        for start in range(0, len(message_ids), 500):
            chunk = message_ids[start : start + 500]
            query = (
                sa.select(message_edits)
                .where(message_edits.c.message_id.in_(chunk))
                .order_by(message_edits.c.message_id, message_edits.c.edited_at)
            )
            out += [_plain(r) for r in _rows(await self.conn.execute(query))]
        return out

    # reserved room names
    async def reserve_room_name(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(reserved_room_names.insert().values(**values))

    async def is_room_name_reserved(self, name: str) -> bool:
        c = reserved_room_names.c
        query = sa.select(c.name_lower).where(c.name_lower == name.lower())
        return (await self.conn.execute(query)).first() is not None

    # login history
    async def insert_login(self, values: Mapping[str, Any]) -> None:
        await self.conn.execute(login_events.insert().values(**values))

    async def logins_of(
        self, user_ids: Sequence[str], since: datetime | None, until: datetime | None
    ) -> list[Row]:
        c = login_events.c
        out: list[Row] = []
        for start in range(0, len(user_ids), 500):
            where: list[sa.ColumnElement[bool]] = [c.user_id.in_(user_ids[start : start + 500])]
            if since is not None:
                where.append(c.ts >= since)
            if until is not None:
                where.append(c.ts <= until)
            query = sa.select(login_events).where(*where).order_by(c.ts, c.id)
            out += [_plain(r) for r in _rows(await self.conn.execute(query))]
        return out

    async def prune_logins(self, before: datetime) -> int:
        delete = login_events.delete().where(login_events.c.ts < before)
        return (await self.conn.execute(delete)).rowcount

    # evidence
    async def insert_bundle(self, values: Mapping[str, Any], files: Sequence[Row]) -> None:
        await self.conn.execute(evidence_bundles.insert().values(**values))
        if files:
            await self.conn.execute(evidence_files.insert(), list(files))

    async def list_bundles(self, offset: int, count: int) -> tuple[list[Row], int]:
        c = evidence_bundles.c
        query = (
            sa.select(evidence_bundles)
            .order_by(c.created_at.desc(), c.id)
            .offset(offset)
            .limit(count)
        )
        total_query = sa.select(sa.func.count()).select_from(evidence_bundles)
        total = (await self.conn.execute(total_query)).scalar_one()
        return _rows(await self.conn.execute(query)), int(total)

    async def find_bundle(self, bundle_id: str) -> Row | None:
        query = sa.select(evidence_bundles).where(evidence_bundles.c.id == bundle_id)
        row = (await self.conn.execute(query)).first()
        return dict(row._mapping) if row else None

    async def bundle_files(self, bundle_id: str) -> list[Row]:
        c = evidence_files.c
        query = sa.select(evidence_files).where(c.bundle_id == bundle_id).order_by(c.name)
        return _rows(await self.conn.execute(query))

    # evidence sources: stored rows as plain JSON
    async def message_rows(
        self,
        room_id: str | None = None,
        user_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Row]:
        c = messages.c
        where: list[sa.ColumnElement[bool]] = []
        if room_id is not None:
            where.append(c.room_id == room_id)
        if user_id is not None:
            where.append(c.user_id == user_id)
        if since is not None:
            where.append(c.ts >= since)
        if until is not None:
            where.append(c.ts <= until)
        query = sa.select(messages).where(*where).order_by(c.ts, c.id)
        return [_plain(r) for r in _rows(await self.conn.execute(query))]

    async def membership_rows(
        self, room_id: str | None = None, user_ids: Sequence[str] = ()
    ) -> list[Row]:
        c = subscriptions.c
        query = sa.select(
            c.room_id, c.user_id, c.username, c.room_type, c.name, c.joined_at, c.roles
        )
        if room_id is not None:
            query = query.where(c.room_id == room_id)
        else:
            query = query.where(c.user_id.in_(list(user_ids)))
        query = query.order_by(c.room_id, c.user_id)
        return [_plain(r) for r in _rows(await self.conn.execute(query))]

    async def user_rows(self, user_ids: Sequence[str]) -> list[Row]:
        out: list[Row] = []
        for start in range(0, len(user_ids), 500):
            chunk = list(user_ids[start : start + 500])
            query = sa.select(*_USER_EVIDENCE).where(users.c.id.in_(chunk)).order_by(users.c.id)
            out += [_plain(r) for r in _rows(await self.conn.execute(query))]
        return out

    async def invite_rows(self, user_ids: Sequence[str]) -> tuple[list[Row], list[Row]]:
        """The invite links these users used or created, and every use of those links."""
        ids = list(user_ids)
        used = sa.select(invite_uses.c.invite_id).where(invite_uses.c.user_id.in_(ids))
        link_query = (
            sa.select(invites)
            .where(sa.or_(invites.c.creator_id.in_(ids), invites.c.id.in_(used)))
            .order_by(invites.c.created_at, invites.c.id)
        )
        links = [_plain(r) for r in _rows(await self.conn.execute(link_query))]
        link_ids = [link["id"] for link in links]
        use_query = (
            sa.select(invite_uses)
            .where(sa.or_(invite_uses.c.user_id.in_(ids), invite_uses.c.invite_id.in_(link_ids)))
            .order_by(invite_uses.c.used_at, invite_uses.c.user_id)
        )
        uses = [_plain(r) for r in _rows(await self.conn.execute(use_query))]
        return links, uses

    async def invited_pairs(self) -> list[tuple[str, str]]:
        """(user id, inviter id) for every user someone invited."""
        query = sa.select(users.c.id, users.c.invited_by).where(users.c.invited_by.is_not(None))
        return [(r[0], r[1]) for r in (await self.conn.execute(query)).all()]

    async def revoke_invites_of(self, creator_ids: Sequence[str]) -> list[tuple[str, str]]:
        """Delete every invite link these users made; (link id, room id) of each."""
        ids = list(creator_ids)
        query = sa.select(invites.c.id, invites.c.room_id).where(invites.c.creator_id.in_(ids))
        revoked = [(r[0], r[1]) for r in (await self.conn.execute(query)).all()]
        if revoked:
            await self.conn.execute(invites.delete().where(invites.c.creator_id.in_(ids)))
        return revoked

    async def set_restricted(self, user_id: str, restricted: bool, at: datetime) -> None:
        await self.conn.execute(
            users.update().where(users.c.id == user_id).values(restricted=restricted, updated_at=at)
        )
        await self.conn.execute(
            messages.update().where(messages.c.user_id == user_id).values(shadow=restricted)
        )

    async def message_ids_by(
        self, user_id: str, since: datetime | None, until: datetime | None
    ) -> list[tuple[str, str]]:
        """(room id, message id) of a user's messages in a window."""
        c = messages.c
        where = [c.user_id == user_id]
        if since is not None:
            where.append(c.ts >= since)
        if until is not None:
            where.append(c.ts <= until)
        query = sa.select(c.room_id, c.id).where(*where).order_by(c.room_id, c.ts)
        return [(r[0], r[1]) for r in (await self.conn.execute(query)).all()]
