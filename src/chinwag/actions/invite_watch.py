"""Invite links that bring people in too fast pause themselves and alert the administrators,
who resume them."""

from chinwag.actions.access import require_permission
from chinwag.actions.alerts import alert_admins, record_moderation_event
from chinwag.actions.deps import Deps
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Invite, User

PAUSE_AFTER = "Invites_Pause_After_Joins"
PAUSE_WINDOW = "Invites_Pause_Window_Minutes"
MODERATE = "manage-moderation-actions"


def _joins_key(invite_id: str) -> str:
    return f"invite-joins:{invite_id}"


async def watch_invite_joins(deps: Deps, invite: Invite) -> None:
    """Count a join through `invite`. The join that reaches Invites_Pause_After_Joins within
    Invites_Pause_Window_Minutes is let in; the link then pauses and the admins hear of it."""
    limit = deps.settings.int(PAUSE_AFTER)
    if limit <= 0:
        return
    minutes = max(deps.settings.int(PAUSE_WINDOW), 1)
    verdict = await deps.limits.hit(_joins_key(invite.id), limit, minutes * 60_000)
    if verdict.remaining > 0:
        return
    async with deps.uow() as uow:
        paused = await uow.invites.set_paused(invite.id, deps.clock.now())
        room = await uow.rooms.find_room(invite.room_id)
    if not paused:
        return  # already paused, or revoked meanwhile
    record_moderation_event(
        None,
        "invite-paused",
        "invite",
        invite.id,
        room=invite.room_id,
        joins=limit,
        minutes=minutes,
    )
    where = f"#{room.name}" if room is not None and room.name else invite.room_id
    await alert_admins(
        deps,
        f"Invite link {invite.id} to {where} is paused: {limit} people joined through it "
        f"within {minutes} minutes. See who with invites.stats; resume it with invites.resume.",
    )


async def resume_invite(deps: Deps, actor: User, invite_id: str) -> Invite:
    """An administrator lets a paused link admit people again; its join count starts over."""
    require_permission(deps, actor, MODERATE)
    async with deps.uow() as uow:
        invite = await uow.invites.find_invite(invite_id)
        if invite is None:
            raise ChinwagError("invalid-invitation-id", "Invalid Invitation _id")
        resumed = await uow.invites.set_paused(invite_id, None)
        invite = await uow.invites.find_invite(invite_id)
    assert invite is not None
    await deps.limits.clear(_joins_key(invite_id))
    if resumed:
        record_moderation_event(actor.id, "invite-resumed", "invite", invite_id)
    return invite
