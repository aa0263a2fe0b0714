"""What the room families' requests share: which room, which users, dates and list params,
and rooms shaped with their last message."""

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from chinwag.actions.history import room_history
from chinwag.actions.room_queries import MessageQuery, room_messages
from chinwag.actions.rooms import RoomRef
from chinwag.actions.users import UserSelector
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.domain.models import Room, RoomType
from chinwag.http.auth import Caller
from chinwag.http.envelope import ok
from chinwag.http.params import Page, listing
from chinwag.serialize.chat import message as serialize_message


class RoomBody(BaseModel):
    """Rocket.Chat's room params in a body: `roomId`, else `roomName`."""

    roomId: str | None = None
    roomName: str | None = None

    def ref(self, kind: RoomType | None = None) -> RoomRef:
        return RoomRef(room_id=self.roomId or None, name=self.roomName or None, type=kind)


class TargetBody(RoomBody):
    """A room and one user in it: `userId`, else `username` (or `user`)."""

    userId: str | None = None
    username: str | None = None
    user: str | None = None

    def target(self) -> UserSelector:
        return UserSelector(
            user_id=self.userId or None, username=self.username or self.user or None
        )


def parse_date(value: str | None, name: str, code: str = "invalid-params") -> datetime | None:
    """An ISO 8601 date from a query or body; naive dates are UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ChinwagError(code, f"The '{name}' param must be an ISO 8601 date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def query_list(request: Request, name: str) -> tuple[str, ...]:
    """A list in a query string: `name[]=a&name[]=b`, `name=a&name=b` or `name=a,b`."""
    raw = request.query_params.getlist(name) + request.query_params.getlist(f"{name}[]")
    items = [part.strip() for value in raw for part in value.split(",")]
    return tuple(i for i in items if i)


def comma_list(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


def truthy(value: str | bool | None) -> bool:
    """Rocket.Chat's loose booleans in query strings: "true" / "1"."""
    if isinstance(value, bool):
        return value
    return (value or "").strip().lower() in ("true", "1")


def one_sort(sort: dict[str, int], key: str, default: int = 1) -> int:
    value = sort.get(key, default)
    if value not in (1, -1):
        raise InvalidParams("Invalid sort parameter provided", "error-invalid-sort")
    return value


@dataclass(frozen=True)
class HistoryWindow:
    """The query of channels.history / groups.history / dm.history, as sent."""

    latest: str | None
    oldest: str | None
    inclusive: bool
    count: int
    offset: int
    show_thread_messages: bool


async def history_response(caller: Caller, room: Room, window: HistoryWindow) -> Response:
    """A room's messages, newest first, in the *.history answer's shape."""
    deps = caller.deps
    limit = min(window.count, deps.settings.int("API_Upper_Count_Limit")) if window.count else None
    page = await room_history(
        deps,
        caller.user,
        room,
        parse_date(window.latest, "latest"),
        parse_date(window.oldest, "oldest"),
        window.inclusive,
        window.offset,
        limit,
        with_thread_replies=window.show_thread_messages,
    )
    return ok(
        messages=[serialize_message(m) for m in page.messages],
        count=len(page.messages),
        offset=window.offset,
    )


@dataclass(frozen=True)
class MessageFilters:
    """The filters of channels.messages / groups.messages / dm.messages, as sent."""

    mention_ids: str | None
    starred_ids: str | None
    pinned: str | None


async def messages_response(
    caller: Caller, page: Page, ref: RoomRef, filters: MessageFilters
) -> Response:
    """A room's messages, filtered and paged, in the *.messages answer's shape."""
    query = MessageQuery(
        mention_ids=comma_list(filters.mention_ids),
        starred_ids=comma_list(filters.starred_ids),
        pinned=truthy(filters.pinned),
        newest_first=one_sort(page.sort, "ts", -1) < 0,
    )
    found, total = await room_messages(
        caller.deps, caller.user, ref, query, page.offset, page.count
    )
    return ok(**listing("messages", [serialize_message(m) for m in found], page, total))
