"""moderation.*: Rocket.Chat's moderation console (reports), and Chinwag's takedowns and
shadow restriction."""

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.moderation import MessageReport as MessageReportView
from chinwag.actions.moderation import (
    delete_reported_messages,
    dismiss_reports,
    dismiss_user_reports,
    report_info,
    report_user,
    reported_messages,
    reports_about_user,
    reports_by_users,
    reports_of_message,
    user_reports,
)
from chinwag.actions.takedowns import (
    Purge,
    RoomTakedown,
    UserTakedown,
    restrict_user,
    takedown_room,
    takedown_user,
)
from chinwag.domain.errors import InvalidParams
from chinwag.http.auth import CallerDep, origin_of
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep
from chinwag.http.v1 import V1
from chinwag.serialize import moderation as shape
from chinwag.storage.moderation import ReportWindow

router = APIRouter(prefix=V1, tags=["moderation"])

MAX_PAGE = 100


def _date(raw: str | None, name: str, default: datetime) -> datetime:
    if not raw:
        return default
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidParams(f"The '{name}' param must be an ISO 8601 date") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _window(latest: str | None, oldest: str | None, selector: str) -> ReportWindow:
    return ReportWindow(
        oldest=_date(oldest, "oldest", datetime.fromtimestamp(0, tz=UTC)),
        latest=_date(latest, "latest", datetime.now(UTC)),
        selector=selector.strip(),
    )


def _count(page_count: int | None, default: int) -> int:
    return min(page_count if page_count is not None else default, MAX_PAGE)


@router.get("/moderation.reportsByUsers", summary="Open message reports, grouped by author")
async def moderation_reports_by_users(
    caller: CallerDep,
    page: PageDep,
    latest: str | None = None,
    oldest: str | None = None,
    selector: str = "",
) -> Response:
    count = _count(page.count, 20)
    found, total = await reports_by_users(
        caller.deps, caller.user, _window(latest, oldest, selector), page.offset, count
    )
    reports = [shape.reported_author(a) for a in found]
    return ok(reports=reports, count=len(reports), offset=page.offset, total=total)


@router.get("/moderation.userReports", summary="Open reports about users, grouped by user")
async def moderation_user_reports(
    caller: CallerDep,
    page: PageDep,
    latest: str | None = None,
    oldest: str | None = None,
    selector: str = "",
) -> Response:
    count = _count(page.count, 20)
    found, total = await user_reports(
        caller.deps, caller.user, _window(latest, oldest, selector), page.offset, count
    )
    reports = [shape.reported_person(p) for p in found]
    return ok(reports=reports, count=len(reports), offset=page.offset, total=total)


@router.get("/moderation.user.reportedMessages", summary="A user's reported messages")
async def moderation_user_reported_messages(
    caller: CallerDep, page: PageDep, userId: str = Query(min_length=1)
) -> Response:
    user, found, read, total = await reported_messages(
        caller.deps, caller.user, userId, page.offset, _count(page.count, 50)
    )
    return ok(
        user=shape.report_user_view(user),
        messages=[shape.reported_message(r) for r in found],
        count=read,
        total=total,
        offset=page.offset,
    )


@router.get("/moderation.user.reportsByUserId", summary="The open reports about one user")
async def moderation_user_reports_by_user_id(
    caller: CallerDep, page: PageDep, userId: str = Query(min_length=1)
) -> Response:
    user, found, total = await reports_about_user(
        caller.deps, caller.user, userId, page.offset, _count(page.count, 50)
    )
    return ok(
        user=shape.report_user_view(user, full=True),
        reports=[shape.user_report(r) for r in found],
        count=len(found),
        total=total,
        offset=page.offset,
    )


@router.get("/moderation.reports", summary="The open reports of one message")
async def moderation_reports(
    caller: CallerDep, page: PageDep, msgId: str = Query(min_length=1)
) -> Response:
    found, total = await reports_of_message(
        caller.deps, caller.user, msgId, page.offset, _count(page.count, 50)
    )
    reports = [shape.message_report_brief(r) for r in found]
    return ok(reports=reports, count=len(reports), offset=page.offset, total=total)


@router.get("/moderation.reportInfo", summary="One report, about a message or a user")
async def moderation_report_info(
    caller: CallerDep, reportId: str = Query(min_length=1)
) -> Response:
    report = await report_info(caller.deps, caller.user, reportId)
    if isinstance(report, MessageReportView):
        return ok(report=shape.message_report(report))
    return ok(report=shape.user_report(report))


class ReportUserBody(BaseModel):
    userId: str = Field(min_length=1)
    description: str


@router.post("/moderation.reportUser", summary="Report a user to the moderators")
async def moderation_report_user(body: ReportUserBody, caller: CallerDep) -> Response:
    await report_user(caller.deps, caller.user, body.userId, body.description)
    return ok()


class DismissBody(BaseModel):
    userId: str | None = None
    msgId: str | None = None
    reason: str | None = None
    action: str | None = None


@router.post("/moderation.dismissReports", summary="Dismiss the reports of a message or author")
async def moderation_dismiss_reports(
    body: DismissBody, caller: CallerDep, request: Request
) -> Response:
    await dismiss_reports(
        caller.deps,
        caller.user,
        body.userId or None,
        body.msgId or None,
        body.reason,
        body.action,
        origin_of(request),
    )
    return ok()


@router.post("/moderation.dismissUserReports", summary="Dismiss the reports about a user")
async def moderation_dismiss_user_reports(
    body: DismissBody, caller: CallerDep, request: Request
) -> Response:
    await dismiss_user_reports(
        caller.deps, caller.user, body.userId or "", body.reason, body.action, origin_of(request)
    )
    return ok()


class DeleteReportedBody(BaseModel):
    userId: str = Field(min_length=1)
    reason: str | None = None


@router.post(
    "/moderation.user.deleteReportedMessages",
    summary="Delete a user's reported messages and settle their reports",
)
async def moderation_user_delete_reported_messages(
    body: DeleteReportedBody, caller: CallerDep, request: Request
) -> Response:
    await delete_reported_messages(
        caller.deps, caller.user, body.userId, body.reason, origin_of(request)
    )
    return ok()


class TakedownRoomBody(BaseModel):
    roomId: str = Field(min_length=1)
    action: Literal["archive", "delete", "block"]
    reason: str
    notice: str | None = Field(default=None, max_length=5000)


@router.post(
    "/moderation.takedownRoom",
    summary="Archive, delete or block a room, after keeping its evidence",
)
async def moderation_takedown_room(
    body: TakedownRoomBody, caller: CallerDep, request: Request
) -> Response:
    done = await takedown_room(
        caller.deps,
        caller.user,
        body.roomId,
        RoomTakedown(body.action),
        body.reason,
        body.notice,
        origin_of(request),
    )
    return ok(bundleId=done.bundle_id, auditId=done.audit_id)


class TakedownUserBody(BaseModel):
    userId: str = Field(min_length=1)
    reason: str
    purge: Literal["none", "window", "all"] = "none"
    since: datetime | None = None
    until: datetime | None = None


@router.post(
    "/moderation.takedownUser",
    summary="Deactivate a user and purge their messages, after keeping the evidence",
)
async def moderation_takedown_user(
    body: TakedownUserBody, caller: CallerDep, request: Request
) -> Response:
    takedown = UserTakedown(
        user_id=body.userId,
        reason=body.reason,
        purge=Purge(body.purge),
        since=_aware(body.since),
        until=_aware(body.until),
    )
    done = await takedown_user(caller.deps, caller.user, takedown, origin_of(request))
    return ok(bundleId=done.bundle_id, auditId=done.audit_id)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class RestrictUserBody(BaseModel):
    userId: str = Field(min_length=1)
    restricted: bool
    reason: str | None = Field(default=None, max_length=2000)


@router.post(
    "/moderation.restrictUser",
    summary="Shadow-restrict a user (their posts reach only themselves), or lift it",
)
async def moderation_restrict_user(
    body: RestrictUserBody, caller: CallerDep, request: Request
) -> Response:
    user = await restrict_user(
        caller.deps, caller.user, body.userId, body.restricted, body.reason, origin_of(request)
    )
    return ok(user={"_id": user.id, "username": user.username, "restricted": user.restricted})
