"""Messages, subscriptions and rooms with their last message, in Rocket.Chat's shapes."""

from collections.abc import Sequence
from typing import Any

from chinwag.actions.deps import Deps
from chinwag.actions.room_queries import last_messages_of
from chinwag.domain.models import Message, Room, RoomState, Subscription, UserRef
from chinwag.serialize.base import DateFn, drop_none, iso
from chinwag.serialize.base import room as room_shape


def _user(ref: UserRef | None, with_name: bool = False) -> dict[str, Any] | None:
    if ref is None:
        return None
    body: dict[str, Any] = {"_id": ref.id, "username": ref.username}
    if with_name and ref.name is not None:
        body["name"] = ref.name
    return body


def message(m: Message, date: DateFn = iso) -> dict[str, Any]:
    body: dict[str, Any] = {
        "_id": m.id,
        "rid": m.room_id,
        "msg": m.text,
        "ts": date(m.created_at),
        "u": _user(m.author, with_name=True),
        "_updatedAt": date(m.updated_at),
        "urls": [dict(u) for u in m.urls],
        "mentions": [
            drop_none({"_id": x.id, "username": x.username, "name": x.name, "type": x.type})
            for x in m.mentions
        ],
        "channels": [{"_id": c.id, "name": c.name} for c in m.channels],
        "md": list(m.md) if m.md is not None else None,
        "t": m.type,
        "tmid": m.thread_id,
        "tshow": m.thread_show or None,
        # A thread's first message keeps its count, even at 0 once every reply is deleted.
        "tcount": m.thread_count if m.thread_last_at is not None else None,
        "tlm": date(m.thread_last_at),
        "replies": list(m.repliers) or None,
        "editedAt": date(m.edited_at),
        "editedBy": _user(m.edited_by),
        "pinned": m.pinned or None,
        "pinnedAt": date(m.pinned_at),
        "pinnedBy": _user(m.pinned_by),
        "starred": [{"_id": uid} for uid in m.starred_by] or None,
        "reactions": {k: {"usernames": list(v)} for k, v in m.reactions.items()} or None,
        "attachments": [dict(a) for a in m.attachments] or None,
        "alias": m.alias,
        "emoji": m.emoji,
        "avatar": m.avatar,
        "groupable": m.groupable,
        "bot": m.bot,
        "customFields": m.custom_fields or None,
        "drid": m.discussion_id,
        "dcount": m.discussion_count,
        "dlm": date(m.discussion_last_at),
        "role": m.role,
    }
    return drop_none(body)


def subscription(s: Subscription, room: Room | RoomState, date: DateFn = iso) -> dict[str, Any]:
    """A member's view of a room; unread counts derive from the room's timeline position."""
    unread = max(0, room.seq - s.read_seq)
    return drop_none(
        {
            "_id": s.id,
            "rid": s.room_id,
            "u": _user(s.user),
            "t": s.room_type.value,
            "name": s.name,
            "fname": s.fname,
            "ts": date(s.joined_at),
            "ls": date(s.last_seen),
            "lr": date(s.last_reply_at),
            "_updatedAt": date(max(s.updated_at, room.updated_at)),
            "open": s.open,
            "alert": unread > 0 or s.user_mentions > 0,
            "unread": unread,
            "userMentions": s.user_mentions,
            "groupMentions": s.group_mentions,
            "tunread": list(s.thread_unread),
            "roles": list(s.roles) or None,
            "f": s.favourite or None,
            "archived": room.archived or None,
            "ignored": list(s.ignored) or None,
            "hideUnreadStatus": s.hide_unread or None,
            "prid": room.parent_id,
            **{k: v for k, v in s.notifications.items() if isinstance(k, str)},
        }
    )


def room_role(s: Subscription) -> dict[str, Any]:
    """One entry of channels.roles / rooms.roles: a member holding room roles."""
    user = _user(s.user, with_name=True)
    return {"_id": s.id, "rid": s.room_id, "u": user, "roles": list(s.roles)}


async def rooms_json(deps: Deps, rooms: Sequence[Room], date: DateFn = iso) -> list[dict[str, Any]]:
    """Rooms as Rocket.Chat returns them, each with its `lastMessage` (one query for all)."""
    last = await last_messages_of(deps, rooms)
    return [
        room_shape(
            r,
            last_message=message(last[r.id], date=date) if r.id in last else None,
            date=date,
        )
        for r in rooms
    ]


async def room_json(deps: Deps, room: Room) -> dict[str, Any]:
    return (await rooms_json(deps, [room]))[0]
