"""Invite links: create or reuse, list, revoke, validate, join a room through one, audit uses."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chinwag.actions.access import can, require_permission, require_room_permission
from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.actions.invite_watch import watch_invite_joins
from chinwag.actions.newcomers import require_may_invite
from chinwag.domain.errors import ChinwagError
from chinwag.domain.ids import invite_token
from chinwag.domain.models import Invite, Room, RoomType, User, UserRef
from chinwag.events.types import InviteCreated, InviteRemoved, InviteUsed
from chinwag.storage.uow import UnitOfWork

ALLOWED_DAYS = (0, 1, 7, 15, 30)
ALLOWED_MAX_USES = (0, 1, 5, 10, 25, 50, 100)


@dataclass(frozen=True)
class InviteUse:
    """One member an invite brought in: who, when, and whether they signed up through it."""

    user: UserRef
    used_at: datetime
    registered: bool


def invalid_token() -> ChinwagError:
    return ChinwagError("error-invalid-token", "The invite token is invalid.")


def invite_expired(field: str) -> ChinwagError:
    """Rocket.Chat answers an expired and a used-up link alike; `details.field` tells them apart."""
    return ChinwagError(
        "error-invite-expired", "The invite token has expired.", details={"field": field}
    )


def invalid_invitation_id() -> ChinwagError:
    return ChinwagError("invalid-invitation-id", "Invalid Invitation _id")


def invite_paused() -> ChinwagError:
    return ChinwagError(
        "error-invite-paused",
        "This invite link is paused: too many people joined through it too quickly. "
        "An administrator can resume it.",
    )


def _check_terms(deps: Deps, days: int, max_uses: int) -> None:
    """Rocket.Chat's allowed lifetimes and use counts, then the workspace's caps: terms past
    a cap are refused (as Rocket.Chat refuses terms it does not offer), never shortened."""
    if days not in ALLOWED_DAYS:
        raise ChinwagError(
            "invalid-number-of-days",
            "Invite should expire in 1, 7, 15 or 30 days, or send 0 to never expire.",
        )
    if max_uses not in ALLOWED_MAX_USES:
        raise ChinwagError(
            "invalid-number-of-uses",
            "Invite should be valid for 1, 5, 10, 25, 50, 100 or infinite (0) uses.",
        )
    max_days = deps.settings.int("Invites_Max_Days")
    if max_days > 0 and (days == 0 or days > max_days):
        raise ChinwagError(
            "invalid-number-of-days",
            f"Invite links on this server expire within {max_days} days at most.",
            details={"maxDays": max_days},
        )
    most_uses = deps.settings.int("Invites_Max_Uses")
    if most_uses > 0 and (max_uses == 0 or max_uses > most_uses):
        raise ChinwagError(
            "invalid-number-of-uses",
            f"Invite links on this server are valid for {most_uses} uses at most.",
            details={"maxUses": most_uses},
        )


async def _invitable_room(deps: Deps, uow: UnitOfWork, actor: User, room_id: str) -> Room:
    """The room, if the actor belongs to it and may hand out links to it."""
    room = await uow.rooms.find_room(room_id)
    if room is None or not await uow.rooms.find_subscription(room_id, actor.id):
        raise ChinwagError("error-invalid-room", "The rid field is invalid")
    if room.type == RoomType.DIRECT:
        raise ChinwagError(
            "error-room-type-not-allowed", "Cannot create invite links for this room type"
        )
    await require_room_permission(deps, uow, actor, "create-invite-links", room_id)
    return room


def _invite_row(invite: Invite) -> dict[str, Any]:
    return {
        "id": invite.id,
        "room_id": invite.room_id,
        "creator_id": invite.creator_id,
        "created_at": invite.created_at,
        "updated_at": invite.updated_at,
        "expires_at": invite.expires_at,
        "days": invite.days,
        "max_uses": invite.max_uses,
        "uses": invite.uses,
        "paused_at": invite.paused_at,
    }


async def find_or_create_invite(
    deps: Deps, actor: User, room_id: str, days: int, max_uses: int
) -> Invite:
    """Rocket.Chat's findOrCreateInvite: the caller's live link with these terms, or a new one."""
    _check_terms(deps, days, max_uses)
    require_may_invite(deps, actor)
    async with deps.uow() as uow:
        await _invitable_room(deps, uow, actor, room_id)
        now = deps.clock.now()
        existing = await uow.invites.find_reusable_invite(actor.id, room_id, days, max_uses, now)
        if existing is not None:
            return existing
        invite = Invite(
            id=invite_token(),
            room_id=room_id,
            creator_id=actor.id,
            created_at=now,
            updated_at=now,
            expires_at=now + timedelta(days=days) if days else None,
            days=days,
            max_uses=max_uses,
            uses=0,
        )
        await uow.invites.insert_invite(_invite_row(invite))
        uow.emit(InviteCreated(invite_id=invite.id, room_id=room_id, creator_id=actor.id))
    return invite


async def list_invites(deps: Deps, actor: User) -> list[Invite]:
    """Every invite for holders of create-invite-links; otherwise those of rooms one manages."""
    async with deps.reader() as uow:
        if can(deps, actor, "create-invite-links"):
            return await uow.invites.list_invites()
        managed = [
            s.room_id
            for s in await uow.rooms.list_user_subscriptions(actor.id)
            if can(deps, actor, "create-invite-links", s.roles)
        ]
        return await uow.invites.list_invites(managed)


async def remove_invite(deps: Deps, actor: User, invite_id: str) -> None:
    """Revoke a link. Emits InviteRemoved."""
    async with deps.uow() as uow:
        invite = await uow.invites.find_invite(invite_id)
        if invite is None:
            raise invalid_invitation_id()
        await require_room_permission(deps, uow, actor, "create-invite-links", invite.room_id)
        await uow.invites.delete_invite(invite_id)
        uow.emit(InviteRemoved(invite_id=invite_id, room_id=invite.room_id, by=actor.id))


def _require_live(invite: Invite, now: datetime) -> None:
    if invite.paused_at is not None:
        raise invite_paused()
    if invite.expires_at is not None and invite.expires_at <= now:
        raise invite_expired("expires")
    if invite.max_uses and invite.uses >= invite.max_uses:
        raise invite_expired("maxUses")


async def live_invite(deps: Deps, uow: UnitOfWork, token: str) -> tuple[Invite, Room]:
    """The invite behind a token and its room, refusing unknown, expired or used-up links."""
    invite = await uow.invites.find_invite(token) if token else None
    if invite is None:
        raise invalid_token()
    room = await uow.rooms.find_room(invite.room_id)
    if room is None:
        raise ChinwagError("error-invalid-room", "The invite token is invalid.")
    _require_live(invite, deps.clock.now())
    return invite, room


async def validate_invite_token(deps: Deps, token: str) -> Room | None:
    """The room a token would let someone into right now, or None; never raises."""
    async with deps.reader() as uow:
        try:
            _, room = await live_invite(deps, uow, token)
        except ChinwagError:
            return None
    return room


async def redeem_invite(
    deps: Deps, uow: UnitOfWork, invite: Invite, room: Room, user: User, registered: bool
) -> bool:
    """Join the invite's room. A use is counted once per new member: True when this was one.
    Emits InviteUsed."""
    # Signing up through a link is a use even when the room is a default one the new account
    # has just joined; otherwise one link to such a room would admit sign-ups without limit.
    if not registered and await uow.rooms.find_subscription(room.id, user.id):
        return False
    # Someone who left and comes back through the same link is not a new member.
    used = not await uow.invites.has_used(invite.id, user.id)
    if used:
        if not await uow.invites.record_use(invite.id, user.id, deps.clock.now(), registered):
            raise invite_expired("maxUses")
        uow.emit(InviteUsed(invite_id=invite.id, room_id=room.id, user_id=user.id))
    if user.username:  # without a username the join waits until one is chosen, as in Rocket.Chat
        await add_member(deps, uow, room, user.id, user.username)
    return used


async def use_invite_token(deps: Deps, actor: User, token: str) -> Room:
    """Rocket.Chat's useInviteToken: the caller joins the invite's room."""
    async with deps.uow() as uow:
        invite, room = await live_invite(deps, uow, token)
        joined = await redeem_invite(deps, uow, invite, room, actor, registered=False)
        await uow.users.update_user(actor.id, {"invite_token": token})
    if joined:
        await watch_invite_joins(deps, invite)
    return room


async def list_invite_uses(deps: Deps, actor: User, invite_id: str) -> list[InviteUse]:
    """Who came in through a link (kept after the link is revoked). User administrators only."""
    require_permission(deps, actor, "view-user-administration")
    async with deps.reader() as uow:
        rows = await uow.invites.list_invite_uses(invite_id)
        if not rows and await uow.invites.find_invite(invite_id) is None:
            raise invalid_invitation_id()
    return [
        InviteUse(
            user=UserRef(id=uid, username=username or "", name=name), used_at=at, registered=reg
        )
        for uid, username, name, at, reg in rows
    ]
