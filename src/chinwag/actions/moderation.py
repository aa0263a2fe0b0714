"""Rocket.Chat's moderation console: reports about messages and users, read and dismissed."""

from dataclasses import dataclass
from datetime import datetime

from chinwag.actions.access import require_permission
from chinwag.actions.audit import record_audit
from chinwag.actions.deps import Deps
from chinwag.actions.reports import MAX_DESCRIPTION
from chinwag.actions.takedowns import MANAGE
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError, InvalidParams, invalid_user
from chinwag.domain.ids import random_id
from chinwag.domain.models import JsonDoc, Message, Room, User
from chinwag.events.types import RoomHistoryCleaned
from chinwag.storage.messages import message_from_snapshot
from chinwag.storage.moderation import ReportWindow, Row
from chinwag.storage.uow import UnitOfWork

VIEW = "view-moderation-console"
NO_REASON = "No reason provided"


@dataclass(frozen=True)
class Moderation:
    """How a dismissed report was settled (Rocket.Chat's `moderationInfo`)."""

    by: str
    at: datetime
    reason: str
    action: str


@dataclass(frozen=True)
class MessageReport:
    id: str
    message: Message
    description: str
    reported_by: User | None
    reported_by_id: str
    room_id: str
    room: Room | None
    ts: datetime
    moderation: Moderation | None


@dataclass(frozen=True)
class UserReport:
    id: str
    description: str
    reported_by: User | None
    reported_by_id: str
    reported_user: JsonDoc  # who they were when reported
    ts: datetime
    moderation: Moderation | None


@dataclass(frozen=True)
class ReportedAuthor:
    """moderation.reportsByUsers: one author's open message reports."""

    user_id: str
    user: User | None
    count: int
    ts: datetime
    latest: MessageReport
    rooms: list[Room]
    room_ids: list[str]


@dataclass(frozen=True)
class ReportedPerson:
    """moderation.userReports: one user's open reports about them."""

    user_id: str
    reported_user: JsonDoc
    count: int
    ts: datetime


def _moderation(row: Row) -> Moderation | None:
    if not row["hidden"] or row["moderated_at"] is None:
        return None
    return Moderation(
        by=row["moderated_by"] or "",
        at=row["moderated_at"],
        reason=row["moderation_reason"] or "",
        action=row["moderation_action"] or "",
    )


async def _message_report(uow: UnitOfWork, row: Row) -> MessageReport:
    return MessageReport(
        id=row["id"],
        message=message_from_snapshot(row["message"]),
        description=row["description"],
        reported_by=await uow.users.find_by_id(row["reported_by"]),
        reported_by_id=row["reported_by"],
        room_id=row["room_id"],
        room=await uow.rooms.find_room(row["room_id"]),
        ts=row["ts"],
        moderation=_moderation(row),
    )


async def _user_report(uow: UnitOfWork, row: Row) -> UserReport:
    return UserReport(
        id=row["id"],
        description=row["description"],
        reported_by=await uow.users.find_by_id(row["reported_by"]),
        reported_by_id=row["reported_by"],
        reported_user=dict(row["user"]),
        ts=row["ts"],
        moderation=_moderation(row),
    )


def _user_snapshot(user: User) -> JsonDoc:
    return {
        "_id": user.id,
        "username": user.username,
        "name": user.name,
        "createdAt": int(user.created_at.timestamp() * 1000),
        "emails": [{"address": user.email, "verified": user.email_verified}] if user.email else [],
        "active": user.active,
    }


async def report_user(deps: Deps, actor: User, user_id: str, description: str) -> str:
    """moderation.reportUser: anyone may report a user; a copy of who they are is kept."""
    description = description.strip()
    if not description:
        raise ChinwagError("error-invalid-description", "The description is empty")
    if len(description) > MAX_DESCRIPTION:
        raise ChinwagError(
            "error-invalid-description", f"The description exceeds {MAX_DESCRIPTION} characters"
        )
    async with deps.uow() as uow:
        user = await uow.users.find_by_id(user_id)
        if user is None:
            raise ChinwagError("error-invalid-user", "Invalid user id provided.")
        report_id = random_id()
        await uow.moderation.insert_user_report(
            {
                "id": report_id,
                "user_id": user.id,
                "reported_by": actor.id,
                "description": description,
                "ts": deps.clock.now(),
                "user": _user_snapshot(user),
            }
        )
    return report_id


async def reports_by_users(
    deps: Deps, actor: User, window: ReportWindow, offset: int, count: int
) -> tuple[list[ReportedAuthor], int]:
    """moderation.reportsByUsers: open message reports grouped by author, newest first."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        groups, total = await uow.moderation.message_reports_by_user(window, offset, count)
        out: list[ReportedAuthor] = []
        for group in groups:
            user_id = group["reported_user_id"]
            rows, _ = await uow.moderation.message_reports_of(user_id)
            room_ids = list(dict.fromkeys(r["room_id"] for r in rows))
            rooms = await uow.rooms.rooms_by_ids(room_ids)
            out.append(
                ReportedAuthor(
                    user_id=user_id,
                    user=await uow.users.find_by_id(user_id),
                    count=int(group["count"]),
                    ts=rows[0]["ts"],
                    latest=await _message_report(uow, rows[0]),
                    rooms=rooms,
                    room_ids=room_ids,
                )
            )
    return out, total


async def user_reports(
    deps: Deps, actor: User, window: ReportWindow, offset: int, count: int
) -> tuple[list[ReportedPerson], int]:
    """moderation.userReports: open reports about users, grouped by user, newest first."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        groups, total = await uow.moderation.user_reports_by_user(window, offset, count)
        out: list[ReportedPerson] = []
        for group in groups:
            rows, _ = await uow.moderation.user_reports_of(group["user_id"], 0, 1)
            out.append(
                ReportedPerson(
                    user_id=group["user_id"],
                    reported_user=dict(rows[0]["user"]),
                    count=int(group["count"]),
                    ts=rows[0]["ts"],
                )
            )
    return out, total


async def reported_messages(
    deps: Deps, actor: User, user_id: str, offset: int, count: int
) -> tuple[User | None, list[MessageReport], int, int]:
    """moderation.user.reportedMessages: a user's reported messages, one entry per message.
    Returns the user, the reports, how many reports the page read, and the total."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        rows, total = await uow.moderation.message_reports_of(user_id, offset, count)
        seen: set[str] = set()
        unique: list[MessageReport] = []
        for row in rows:
            if row["message_id"] not in seen:
                seen.add(row["message_id"])
                unique.append(await _message_report(uow, row))
        user = await uow.users.find_by_id(user_id)
    return user, unique, len(rows), total


async def reports_about_user(
    deps: Deps, actor: User, user_id: str, offset: int, count: int
) -> tuple[User | None, list[UserReport], int]:
    """moderation.user.reportsByUserId: the open reports about one user."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        rows, total = await uow.moderation.user_reports_of(user_id, offset, count)
        reports = [await _user_report(uow, r) for r in rows]
        user = await uow.users.find_by_id(user_id)
    return user, reports, total


async def reports_of_message(
    deps: Deps, actor: User, message_id: str, offset: int, count: int
) -> tuple[list[MessageReport], int]:
    """moderation.reports: the open reports of one message, newest first."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        rows, total = await uow.moderation.reports_of_message(message_id, offset, count)
        return [await _message_report(uow, r) for r in rows], total


async def report_info(deps: Deps, actor: User, report_id: str) -> MessageReport | UserReport:
    """moderation.reportInfo: one report, message or user, dismissed or not."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        row = await uow.moderation.find_message_report(report_id)
        if row is not None:
            return await _message_report(uow, row)
        user_row = await uow.moderation.find_user_report(report_id)
        if user_row is not None:
            return await _user_report(uow, user_row)
    raise ChinwagError("error-report-not-found", "Report not found")


def _settled(deps: Deps, actor: User, reason: str | None, action: str | None) -> dict[str, object]:
    return {
        "moderated_by": actor.id,
        "moderated_at": deps.clock.now(),
        "moderation_reason": reason.strip() if reason and reason.strip() else NO_REASON,
        "moderation_action": action or "None",
    }


async def dismiss_reports(
    deps: Deps,
    actor: User,
    user_id: str | None,
    message_id: str | None,
    reason: str | None = None,
    action: str | None = None,
    origin: Origin | None = None,
) -> int:
    """moderation.dismissReports: settle the open reports of an author's messages, or of one
    message."""
    require_permission(deps, actor, MANAGE)
    if bool(user_id) == bool(message_id):
        raise InvalidParams("Give either userId or msgId")
    async with deps.uow() as uow:
        if not await uow.moderation.has_open_message_reports(user_id, message_id):
            raise ChinwagError("no-reports-found", "No reports found")
        settled = _settled(deps, actor, reason, action)
        dismissed = await uow.moderation.dismiss_message_reports(settled, user_id, message_id)
        target = ("user", user_id) if user_id else ("message", message_id or "")
        await record_audit(
            deps,
            uow,
            actor,
            "moderation.dismissReports",
            origin,
            target,
            after={"dismissed": dismissed, "reason": settled["moderation_reason"]},
        )
    return dismissed


async def dismiss_user_reports(
    deps: Deps,
    actor: User,
    user_id: str,
    reason: str | None = None,
    action: str | None = None,
    origin: Origin | None = None,
) -> int:
    """moderation.dismissUserReports: settle the open reports about a user."""
    require_permission(deps, actor, MANAGE)
    if not user_id:
        raise ChinwagError("error-user-id-param-not-provided", "The userId param is required")
    async with deps.uow() as uow:
        settled = _settled(deps, actor, reason, action)
        dismissed = await uow.moderation.dismiss_user_reports(user_id, settled)
        await record_audit(
            deps,
            uow,
            actor,
            "moderation.dismissUserReports",
            origin,
            ("user", user_id),
            after={"dismissed": dismissed, "reason": settled["moderation_reason"]},
        )
    return dismissed


async def delete_reported_messages(
    deps: Deps, actor: User, user_id: str, reason: str | None = None, origin: Origin | None = None
) -> int:
    """moderation.user.deleteReportedMessages: delete every reported message of a user (the
    reports keep their copies) and settle the reports."""
    require_permission(deps, actor, MANAGE)
    async with deps.uow() as uow:
        if await uow.users.find_by_id(user_id) is None:
            raise invalid_user()
        rows, total = await uow.moderation.message_reports_of(user_id)
        if total == 0:
            raise ChinwagError(
                "error-no-reported-messages", "No reported messages found for this user."
            )
        deleted = await _delete_messages(deps, uow, {(r["room_id"], r["message_id"]) for r in rows})
        settled = _settled(deps, actor, reason, "DELETE Messages")
        await uow.moderation.dismiss_message_reports(settled, user_id=user_id)
        await record_audit(
            deps,
            uow,
            actor,
            "moderation.user.deleteReportedMessages",
            origin,
            ("user", user_id),
            after={"deleted": deleted, "reason": settled["moderation_reason"]},
        )
    return deleted


async def _delete_messages(deps: Deps, uow: UnitOfWork, found: set[tuple[str, str]]) -> int:
    by_room: dict[str, list[str]] = {}
    existing = await uow.messages.messages_by_ids(sorted(m for _, m in found))
    for message in existing:
        by_room.setdefault(message.room_id, []).append(message.id)
    now = deps.clock.now()
    for room_id, ids in by_room.items():
        await uow.messages.delete_messages(room_id, ids, now)
        uow.emit(RoomHistoryCleaned(room_id=room_id, message_ids=tuple(ids)))
    return sum(len(ids) for ids in by_room.values())
