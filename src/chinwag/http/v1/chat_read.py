"""chat.* reads: one message, search, threads, the pinned / starred / mentioning lists, and
catching up on what changed (syncMessages, getDeletedMessages, sync of threads)."""

import re
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from starlette.responses import Response

from chinwag.actions.sync import (
    Cursor,
    ListKind,
    get_message,
    list_deleted_messages,
    list_room_messages,
    search_messages,
    sync_messages,
    sync_messages_page,
)
from chinwag.actions.threads import (
    Changes,
    Order,
    list_thread_messages,
    list_threads,
    sync_thread_messages,
    sync_threads,
)
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.domain.models import Deletion, Message
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import MAX_INT, Page, PageDep, listing
from chinwag.http.v1 import V1
from chinwag.serialize.base import iso
from chinwag.serialize.chat import message as serialize_message

router = APIRouter(prefix=V1, tags=["chat"])

# Rocket.Chat sort keys a message listing honours, and the stored field each stands for.
SORT_KEYS = {"ts": "ts", "_updatedAt": "updated_at", "tlm": "tlm", "tcount": "tcount"}
# A `+` sent unencoded in a query string arrives as a space: "…T10:00:00 00:00".
SPACED_OFFSET = re.compile(r" (\d\d:?\d\d)$")


def parse_when(value: str | None, name: str, code: str = "invalid-params") -> datetime | None:
    """An ISO 8601 date from the query string (UTC when it names no offset)."""
    if value is None or not value.strip():
        return None
    text = SPACED_OFFSET.sub(r"+\1", value.strip())
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ChinwagError(code, f'The "{name}" query parameter must be a valid date') from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _order(page: Page) -> Order:
    order = []
    for key, way in page.sort.items():
        if key not in SORT_KEYS:
            raise ChinwagError("error-invalid-sort", f"Messages cannot be sorted by {key}")
        order.append((SORT_KEYS[key], way))
    return tuple(order)


def _messages(found: list[Message]) -> list[dict[str, Any]]:
    return [serialize_message(m) for m in found]


def _deletion(d: Deletion) -> dict[str, Any]:
    return {"_id": d.message_id, "_deletedAt": iso(d.deleted_at)}


def _changes(changes: Changes) -> dict[str, Any]:
    return {
        "update": _messages(changes.updated),
        "remove": [_deletion(d) for d in changes.removed],
    }


@router.get("/chat.getMessage", summary="One message by id")
async def chat_get_message(caller: CallerDep, msgId: str = Query(min_length=1)) -> Response:
    found = await get_message(caller.deps, caller.user, msgId)
    return ok(message=serialize_message(found))


@router.get("/chat.search", summary="Search a room's messages (words; the last one as a prefix)")
async def chat_search(
    caller: CallerDep, page: PageDep, roomId: str = Query(""), searchText: str = Query("")
) -> Response:
    if not roomId:
        raise ChinwagError(
            "error-roomId-param-not-provided", 'The required "roomId" query param is missing.'
        )
    if not searchText:
        raise ChinwagError(
            "error-searchText-param-not-provided",
            'The required "searchText" query param is missing.',
        )
    count = page.count or caller.deps.settings.int("API_Upper_Count_Limit")
    found = await search_messages(caller.deps, caller.user, roomId, searchText, page.offset, count)
    return ok(messages=_messages(found))


def _register_list(path: str, kind: ListKind, summary: str) -> None:
    @router.get(f"/{path}", summary=summary)
    async def room_list(
        caller: CallerDep, page: PageDep, roomId: str = Query(min_length=1)
    ) -> Response:
        found = await list_room_messages(
            caller.deps, caller.user, roomId, kind, page.offset, page.count, _order(page)
        )
        return ok(**listing("messages", _messages(found.messages), page, found.total))


_register_list("chat.getPinnedMessages", "pinned", "A room's pinned messages")
_register_list("chat.getStarredMessages", "starred", "The messages the caller starred in a room")
_register_list("chat.getMentionedMessages", "mentioned", "Messages mentioning the caller")


@router.get("/chat.getThreadsList", summary="A room's threads, most recently active first")
async def chat_get_threads_list(
    caller: CallerDep,
    page: PageDep,
    rid: str = Query(min_length=1),
    kind: Literal["all", "following", "unread"] = Query("all", alias="type"),
    text: str | None = Query(None),
) -> Response:
    found = await list_threads(
        caller.deps, caller.user, rid, kind, text, page.offset, page.count, _order(page)
    )
    return ok(**listing("threads", _messages(found.messages), page, found.total))


@router.get("/chat.getThreadMessages", summary="A thread's replies, oldest first")
async def chat_get_thread_messages(
    caller: CallerDep, page: PageDep, tmid: str = Query(min_length=1)
) -> Response:
    found = await list_thread_messages(
        caller.deps, caller.user, tmid, page.offset, page.count, _order(page)
    )
    return ok(**listing("messages", _messages(found.messages), page, found.total))


def _since(value: str, name: str = "updatedSince") -> datetime:
    since = parse_when(value, name, f"error-{name}-param-invalid")
    if since is None:
        raise ChinwagError(
            f"error-{name}-param-invalid", f'The "{name}" query parameter must be a valid date.'
        )
    return since


@router.get("/chat.syncThreadsList", summary="Threads of a room changed since a date")
async def chat_sync_threads_list(
    caller: CallerDep, rid: str = Query(min_length=1), updatedSince: str = Query()
) -> Response:
    changes = await sync_threads(caller.deps, caller.user, rid, _since(updatedSince))
    return ok(threads=_changes(changes))


@router.get("/chat.syncThreadMessages", summary="Replies of a thread changed since a date")
async def chat_sync_thread_messages(
    caller: CallerDep, tmid: str = Query(min_length=1), updatedSince: str = Query()
) -> Response:
    changes = await sync_thread_messages(caller.deps, caller.user, tmid, _since(updatedSince))
    return ok(messages=_changes(changes))


def _cursor_time(value: str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) > MAX_INT:
        raise InvalidParams(f'The "{name}" cursor must be a time in epoch milliseconds')
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def _stamp(at: datetime | None) -> str | None:
    return None if at is None else str(int(at.timestamp() * 1000))


@router.get("/chat.syncMessages", summary="A room's messages changed or deleted since a date")
async def chat_sync_messages(
    caller: CallerDep,
    roomId: str = Query(""),
    lastUpdate: str | None = Query(None),
    kind: Literal["UPDATED", "DELETED"] | None = Query(None, alias="type"),
    next: str | None = Query(None),
    previous: str | None = Query(None),
    count: int = Query(20, ge=1, le=MAX_INT),
) -> Response:
    if not roomId:
        raise ChinwagError("error-param-required", 'The required "roomId" query param is missing')
    if not lastUpdate and not kind:
        raise ChinwagError(
            "error-param-required", 'The "type" or "lastUpdate" parameters must be provided'
        )
    if lastUpdate and (next or previous):
        raise ChinwagError(
            "error-cursor-and-lastUpdate-conflict",
            'The attributes "next", "previous" and "lastUpdate" cannot be used together',
        )
    deps, user = caller.deps, caller.user
    if lastUpdate:
        since = _since(lastUpdate, "lastUpdate")
        changes = await sync_messages(deps, user, roomId, since)
        deleted = [_deletion(d) for d in changes.removed]
        return ok(result={"updated": _messages(changes.updated), "deleted": deleted})
    assert kind is not None
    cursor = Cursor(_cursor_time(next, "next"), _cursor_time(previous, "previous"))
    limit = min(count, deps.settings.int("API_Upper_Count_Limit"))
    found = await sync_messages_page(deps, user, roomId, kind, cursor, limit)
    return ok(
        result={
            "updated": _messages(found.updated),
            "deleted": [_deletion(d) for d in found.deleted],
            "cursor": {"next": _stamp(found.next), "previous": _stamp(found.previous)},
        }
    )


@router.get("/chat.getDeletedMessages", summary="Ids of a room's messages deleted since a date")
async def chat_get_deleted_messages(
    caller: CallerDep, page: PageDep, roomId: str = Query(min_length=1), since: str = Query()
) -> Response:
    when = parse_when(since, "since")
    if when is None:
        raise InvalidParams('The "since" query parameter must be a valid date')
    gone, total = await list_deleted_messages(
        caller.deps, caller.user, roomId, when, page.offset, page.count
    )
    return ok(**listing("messages", [{"_id": d.message_id} for d in gone], page, total))


@router.get("/chat.getMessageReadReceipts", summary="Read receipts (an enterprise feature)")
async def chat_get_message_read_receipts(
    caller: CallerDep, messageId: str = Query(min_length=1)
) -> Response:
    # Rocket.Chat without an enterprise licence answers exactly this.
    raise ChinwagError("error-action-not-allowed", "This is an enterprise feature")
