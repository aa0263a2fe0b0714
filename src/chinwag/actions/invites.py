"""Invite links: create or reuse, list, revoke, validate, and join a room through one."""

from datetime import datetime, timedelta

from chinwag.actions.access import can, require_room_permission
from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.domain.errors import ChinwagError, InvalidParams, room_not_found
from chinwag.domain.ids import invite_token
from chinwag.domain.models import Invite, Room, User
from chinwag.events.types import InviteUsed
from chinwag.storage.uow import UnitOfWork

ALLOWED_DAYS = (0, 1, 7, 15, 30)
ALLOWED_MAX_USES = (0, 1, 5, 10, 25, 50, 100)


def invalid_token() -> ChinwagError:
    return ChinwagError("error-invalid-token", "The invite token is invalid.")


def invite_url(deps: Deps, invite: Invite) -> str:
    return f"{deps.settings.str('Site_Url').rstrip('/')}/invite/{invite.id}"


async def find_or_create_invite(
    deps: Deps, actor: User, room_id: str, days: int, max_uses: int
) -> Invite:
    """Rocket.Chat's findOrCreateInvite: the caller's live link with these terms, or a new one."""
    if days not in ALLOWED_DAYS:
        raise InvalidParams(f"days must be one of {list(ALLOWED_DAYS)}", "error-invalid-days")
    if max_uses not in ALLOWED_MAX_USES:
        raise InvalidParams(
            f"maxUses must be one of {list(ALLOWED_MAX_USES)}", "error-invalid-max-uses"
        )
    async with deps.uow() as uow:
        room = await uow.rooms.find_room(room_id)
        if room is None or not await uow.rooms.find_subscription(room_id, actor.id):
            raise ChinwagError("error-invalid-room", "The rid field is invalid")
        await require_room_permission(deps, uow, actor, "create-invite-links", room_id)
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
        await uow.invites.insert_invite(
            {
                "id": invite.id,
                "room_id": invite.room_id,
                "creator_id": invite.creator_id,
                "created_at": now,
                "updated_at": now,
                "expires_at": invite.expires_at,
                "days": days,
                "max_uses": max_uses,
                "uses": 0,
            }
        )
    return invite


async def list_invites(deps: Deps, actor: User) -> list[Invite]:
    """Every invite for admins (create-invite-links globally); otherwise those of rooms one may manage."""
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
    async with deps.uow() as uow:
        invite = await uow.invites.find_invite(invite_id)
        if invite is None:
            raise ChinwagError("invalid-invitation-id", "Invalid invitation id")
        await require_room_permission(deps, uow, actor, "create-invite-links", invite.room_id)
        await uow.invites.delete_invite(invite_id)


def _require_live(invite: Invite, now: datetime) -> None:
    if invite.expires_at is not None and invite.expires_at <= now:
        raise ChinwagError("error-invite-expired", "The invite token has expired.")
    if invite.max_uses and invite.uses >= invite.max_uses:
        raise ChinwagError(
            "error-invite-reached-max-usage", "The invite token has reached its maximum usage."
        )


async def live_invite(deps: Deps, uow: UnitOfWork, token: str) -> tuple[Invite, Room]:
    """The invite behind a token and its room, refusing unknown, expired or used-up links."""
    if not token:
        raise invalid_token()
    invite = await uow.invites.find_invite(token)
    if invite is None:
        raise invalid_token()
    _require_live(invite, deps.clock.now())
    room = await uow.rooms.find_room(invite.room_id)
    if room is None:
        raise ChinwagError("error-invalid-room", "The invite token is invalid.")
    return invite, room


async def validate_invite_token(deps: Deps, token: str) -> bool:
    async with deps.reader() as uow:
        try:
            await live_invite(deps, uow, token)
        except ChinwagError:
            return False
    return True


async def redeem_invite(
    deps: Deps, uow: UnitOfWork, invite: Invite, room: Room, user: User, registered: bool
) -> None:
    """Join the invite's room; a use is counted only for a new member."""
    if await uow.rooms.find_subscription(room.id, user.id):
        return
    if not await uow.invites.record_use(invite.id, user.id, deps.clock.now(), registered):
        raise ChinwagError(
            "error-invite-reached-max-usage", "The invite token has reached its maximum usage."
        )
    await add_member(deps, uow, room, user.id, user.username or "")
    uow.emit(InviteUsed(invite_id=invite.id, room_id=room.id, user_id=user.id))


async def use_invite_token(deps: Deps, actor: User, token: str) -> Room:
    """Rocket.Chat's useInviteToken: the caller joins the invite's room."""
    async with deps.uow() as uow:
        invite, room = await live_invite(deps, uow, token)
        await redeem_invite(deps, uow, invite, room, actor, registered=False)
        await uow.users.update_user(actor.id, {"invite_token": token})
    return room


async def invite_room(deps: Deps, room_id: str) -> Room:
    async with deps.reader() as uow:
        room = await uow.rooms.find_room(room_id)
    if room is None:
        raise room_not_found()
    return room
