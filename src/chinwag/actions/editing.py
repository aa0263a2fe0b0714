"""Editing and deleting messages, under Rocket.Chat's permissions and time windows."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chinwag.actions.access import can_in_room
from chinwag.actions.deps import Deps
from chinwag.actions.messages import (
    MessageAccess,
    access_message,
    find_channel_mentions,
    find_mentions,
    find_urls,
    require_can_post,
    require_not_archived,
)
from chinwag.domain.errors import ChinwagError, Forbidden, invalid_user
from chinwag.domain.ids import random_id
from chinwag.domain.markdown import parse as parse_markdown
from chinwag.domain.models import JsonDoc, Message, User
from chinwag.events.types import MessageDeleted, MessageUpdated
from chinwag.storage.uow import UnitOfWork

BYPASS_WINDOWS = "bypass-time-limit-edit-and-delete"


@dataclass(frozen=True)
class Edit:
    room_id: str
    message_id: str
    text: str
    custom_fields: JsonDoc | None = None
    preview_urls: tuple[str, ...] | None = None


def _wrong_room() -> ChinwagError:
    return ChinwagError(
        "error-invalid-room", "The room id provided does not match where the message is from."
    )


def _minutes_since(then: datetime, now: datetime) -> float:
    return (now - then).total_seconds() / 60


async def update_message(deps: Deps, actor: User, edit: Edit) -> Message:
    """chat.update: new text (and custom fields) for a message. Emits MessageUpdated."""
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, edit.message_id, for_update=True)
        message, room = found.message, found.room
        if message.room_id != edit.room_id:
            raise _wrong_room()
        await _require_can_edit(deps, uow, actor, message)
        await require_can_post(deps, uow, actor, room, found.subscription)
        current = message.attachments[0]["description"] if _captioned(message) else message.text
        if current == edit.text and edit.custom_fields is None and edit.preview_urls is None:
            return message  # nothing changed: Rocket.Chat leaves editedAt alone too
        _check_text(deps, message, edit.text)
        now = deps.clock.now()
        values = await _new_content(deps, uow, actor, found, edit.text)
        values.update(
            edited_at=now, edited_by_id=actor.id, edited_by_username=actor.username, updated_at=now
        )
        if edit.custom_fields is not None:
            values["custom_fields"] = edit.custom_fields
        await _keep_previous_version(uow, actor, message, now)
        await uow.messages.update_message(message.id, values)
        uow.emit(MessageUpdated(room_id=room.id, message_id=message.id))
        return await _reload(uow, message.id)


async def _keep_previous_version(
    uow: UnitOfWork, actor: User, message: Message, now: datetime
) -> None:
    """The edit history: what the message said before this edit (evidence bundles read it)."""
    previous = await uow.messages.snapshot(message.id)
    assert previous is not None
    await uow.moderation.insert_edit(
        {
            "id": random_id(),
            "message_id": message.id,
            "room_id": message.room_id,
            "edited_at": now,
            "edited_by": actor.id,
            "previous": previous,
        }
    )


async def _new_content(
    deps: Deps, uow: UnitOfWork, actor: User, found: MessageAccess, text: str
) -> dict[str, Any]:
    message = found.message
    if _captioned(message):
        # A file's caption is its first attachment's description, not the message text.
        first = {**message.attachments[0], "description": text}
        return {"attachments": [first, *message.attachments[1:]]}
    mentions = await find_mentions(deps, uow, actor, found.room, text)
    channels = await find_channel_mentions(uow, text)
    return {
        "msg": text,
        "md": parse_markdown(text) if text else None,
        "urls": find_urls(text),
        "mentions": [m.__dict__ for m in mentions],
        "channels": [c.__dict__ for c in channels],
    }


def _captioned(message: Message) -> bool:
    return bool(message.attachments) and "description" in message.attachments[0]


def _check_text(deps: Deps, message: Message, text: str) -> None:
    limit = deps.settings.int("Message_MaxAllowedSize")
    if len(text) > limit:
        raise ChinwagError(
            "error-message-size-exceeded", f"Message size exceeds {limit} characters"
        )
    if not text.strip() and not message.attachments:
        raise ChinwagError("error-invalid-message", "The message is empty")


async def _require_can_edit(deps: Deps, uow: UnitOfWork, actor: User, message: Message) -> None:
    if message.type is not None:
        raise Forbidden("System messages cannot be edited", "error-action-not-allowed")
    own = message.author.id == actor.id
    allowed = deps.settings.bool("Message_AllowEditing") and own
    if not allowed and not await can_in_room(deps, uow, actor, "edit-message", message.room_id):
        raise Forbidden("Message editing not allowed", "error-action-not-allowed")
    block = deps.settings.int("Message_AllowEditing_BlockEditInMinutes")
    # Whole minutes elapsed, as Rocket.Chat's moment().diff(ts, 'minutes') counts them.
    late = block > 0 and int(_minutes_since(message.created_at, deps.clock.now())) >= block
    if late and not await can_in_room(deps, uow, actor, BYPASS_WINDOWS, message.room_id):
        raise ChinwagError("error-message-editing-blocked", "Message editing is blocked")


async def delete_message(
    deps: Deps, actor: User, room_id: str, message_id: str, as_user: bool = False
) -> Message:
    """chat.delete: remove a message (a thread's first message stays as a placeholder).

    With `as_user` the deletion is made as the author (force-delete-message for others'
    messages). Returns the message as it was. Emits MessageDeleted.
    """
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, for_update=True)
        message, room = found.message, found.room
        if message.room_id != room_id:
            raise _wrong_room()
        require_not_archived(room)
        deleter = actor
        if as_user and message.author.id != actor.id:
            if not await can_in_room(deps, uow, actor, "force-delete-message", room.id):
                raise Forbidden(
                    'Unauthorized. You must have the permission "force-delete-message" to '
                    "delete other's message as them.",
                    "error-action-not-allowed",
                )
            author = await uow.users.find_by_id(message.author.id)
            if author is None:
                raise invalid_user()
            deleter = author
        await _require_can_delete(deps, uow, deleter, message, room.read_only)
        await _remove(deps, uow, deleter, message)
    return message


async def _require_can_delete(
    deps: Deps, uow: UnitOfWork, user: User, message: Message, read_only: bool
) -> None:
    """Rocket.Chat's canDeleteMessage: force-delete, else the setting, a permission, the window."""
    room_id = message.room_id
    if await can_in_room(deps, uow, user, "force-delete-message", room_id):
        return
    not_allowed = Forbidden("Not allowed", "error-action-not-allowed")
    if not deps.settings.bool("Message_AllowDeleting"):
        raise not_allowed
    own = message.author.id == user.id
    if not await can_in_room(deps, uow, user, "delete-message", room_id) and not (
        own and await can_in_room(deps, uow, user, "delete-own-message", room_id)
    ):
        raise not_allowed
    block = deps.settings.int("Message_AllowDeleting_BlockDeleteInMinutes")
    # Rocket.Chat rounds the elapsed minutes and allows up to the limit itself.
    late = block > 0 and round(_minutes_since(message.created_at, deps.clock.now())) > block
    if late and not await can_in_room(deps, uow, user, BYPASS_WINDOWS, room_id):
        raise ChinwagError("error-message-deleting-blocked", "Message deleting is blocked")
    if read_only and not await can_in_room(deps, uow, user, "post-readonly", room_id):
        raise ChinwagError(
            "error-action-not-allowed", "You can't delete messages because the room is readonly."
        )


async def _remove(deps: Deps, uow: UnitOfWork, deleter: User, message: Message) -> None:
    now = deps.clock.now()
    if message.thread_id:
        await uow.threads.remove_reply(message.thread_id, now)
    # A thread's first message (one that ever had replies) stays as a "removed" placeholder,
    # so its replies keep their thread; so does every message with Message_ShowDeletedStatus.
    had_thread = message.thread_count > 0 or message.thread_last_at is not None
    placeholder = had_thread or deps.settings.bool("Message_ShowDeletedStatus")
    if placeholder:
        await uow.messages.update_message(
            message.id,
            {
                "t": "rm",
                "msg": "",
                "md": None,
                "urls": [],
                "mentions": [],
                "channels": [],
                "attachments": [],
                "reactions": {},
                "edited_at": now,
                "edited_by_id": deleter.id,
                "edited_by_username": deleter.username,
                "updated_at": now,
            },
        )
    else:
        await uow.messages.delete_message(message, now)
    await uow.messages.uncount_message(message, now)
    uow.emit(
        MessageDeleted(
            room_id=message.room_id,
            message_id=message.id,
            thread_id=message.thread_id,
            placeholder=placeholder,
        )
    )


async def _reload(uow: UnitOfWork, message_id: str) -> Message:
    message = await uow.messages.find_message(message_id)
    assert message is not None
    return message
