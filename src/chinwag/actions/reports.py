"""Reporting a message to the moderators, with a copy of it as it was."""

from chinwag.actions.deps import Deps
from chinwag.actions.messages import access_message
from chinwag.domain.errors import ChinwagError
from chinwag.domain.ids import random_id
from chinwag.domain.models import User
from chinwag.events.types import MessageReported

MAX_DESCRIPTION = 5000


def invalid_message_id() -> ChinwagError:
    return ChinwagError("error-invalid-message_id", "Invalid message id")


async def report_message(deps: Deps, actor: User, message_id: str, description: str) -> str:
    """chat.reportMessage: only a message the caller can read. Returns the report id.

    Emits MessageReported.
    """
    if not description.strip():
        raise ChinwagError("error-invalid-description", "The description is empty")
    if len(description) > MAX_DESCRIPTION:
        raise ChinwagError(
            "error-invalid-description", f"The description exceeds {MAX_DESCRIPTION} characters"
        )
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, not_found=invalid_message_id)
        snapshot = await uow.messages.snapshot(found.message.id)
        assert snapshot is not None
        report_id = random_id()
        await uow.messages.insert_report(
            {
                "id": report_id,
                "message_id": found.message.id,
                "room_id": found.room.id,
                "reported_by": actor.id,
                "description": description,
                "ts": deps.clock.now(),
                "message": snapshot,
                "reported_user_id": found.message.author.id,
            }
        )
        uow.emit(
            MessageReported(
                report_id=report_id, message_id=found.message.id, room_id=found.room.id, by=actor.id
            )
        )
    return report_id
