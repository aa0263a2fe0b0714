"""Reacting to messages with emoji."""

import re

from chinwag.actions.access import can_in_room
from chinwag.actions.deps import Deps
from chinwag.actions.messages import access_message, require_not_archived
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import User
from chinwag.events.types import ReactionChanged

# Shortnames as emoji sets and custom emoji spell them: `smile`, `+1`, `flag-gb`, `party_parrot`.
EMOJI_NAME = re.compile(r"[A-Za-z0-9_+\-]{1,64}")


def reaction_key(emoji: str) -> str:
    """`smile` or `:smile:` → `:smile:`, the key of a message's reactions."""
    name = emoji.strip().replace(":", "")
    if not EMOJI_NAME.fullmatch(name):
        raise ChinwagError("error-not-allowed", "Invalid emoji provided.")
    return f":{name}:"


async def react_to_message(
    deps: Deps, actor: User, message_id: str, emoji: str, should_react: bool | None = None
) -> bool:
    """Add or take back the caller's reaction; toggles when `should_react` is None.

    Returns whether the caller now reacts with that emoji. Emits ReactionChanged on change.
    """
    key = reaction_key(emoji)
    username = actor.username or ""
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, for_update=True)
        message, room = found.message, found.room
        reacted = username in message.reactions.get(key, ())
        wanted = not reacted if should_react is None else should_react
        if wanted == reacted:
            return reacted
        require_not_archived(room)
        if username in room.muted:
            raise ChinwagError("error-not-allowed", "You have been muted and cannot react")
        if (
            room.read_only
            and not room.react_when_read_only
            and not await can_in_room(deps, uow, actor, "post-readonly", room.id)
        ):
            raise ChinwagError(
                "error-action-not-allowed", "You can't send messages because the room is readonly."
            )
        reactions = {k: list(v) for k, v in message.reactions.items()}
        if wanted:
            reactions.setdefault(key, []).append(username)
        else:
            reactions[key] = [u for u in reactions.get(key, []) if u != username]
            if not reactions[key]:
                del reactions[key]
        await uow.messages.update_message(
            message.id, {"reactions": reactions, "updated_at": deps.clock.now()}
        )
        uow.emit(
            ReactionChanged(
                room_id=room.id, message_id=message.id, emoji=key, username=username, reacted=wanted
            )
        )
    return wanted
