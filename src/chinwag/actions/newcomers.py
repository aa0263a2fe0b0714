"""Limits on young accounts and on mass room creation: a minimum account age before handing
out invite links, creating channels and groups, or messaging people one shares no room with;
and a cap on the rooms one account creates per hour and per day. Administrators are exempt."""

import math
from datetime import timedelta

from chinwag.actions.access import is_admin
from chinwag.actions.deps import Deps
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Room, User
from chinwag.storage.uow import UnitOfWork

INVITE_AGE = "Accounts_Min_Age_To_Invite_Minutes"
ROOMS_AGE = "Accounts_Min_Age_To_Create_Rooms_Minutes"
STRANGERS_AGE = "Accounts_Min_Age_To_Message_Strangers_Minutes"

HOUR_MS = 3_600_000
DAY_MS = 86_400_000
ROOM_QUOTAS = (
    ("Rooms_Created_Per_User_Per_Hour", HOUR_MS, "hour"),
    ("Rooms_Created_Per_User_Per_Day", DAY_MS, "day"),
)


def _minutes_to_wait(deps: Deps, user: User, setting: str) -> int:
    """Whole minutes until `user` is old enough under `setting`; 0 when already (or exempt)."""
    minimum = deps.settings.int(setting)
    if minimum <= 0 or is_admin(user):
        return 0
    left = user.created_at + timedelta(minutes=minimum) - deps.clock.now()
    return max(math.ceil(left.total_seconds() / 60), 0)


def _too_new(what: str, wait: int) -> ChinwagError:
    unit = "minute" if wait == 1 else "minutes"
    return ChinwagError(
        "error-account-too-new",
        f"Your account is too new to {what}; try again in {wait} {unit}",
        details={"retryInMinutes": wait},
        status=403,
    )


def require_old_enough(deps: Deps, user: User, setting: str, what: str) -> None:
    """403 error-account-too-new while `user` is younger than `setting` says."""
    wait = _minutes_to_wait(deps, user, setting)
    if wait:
        raise _too_new(what, wait)


def require_may_invite(deps: Deps, user: User) -> None:
    require_old_enough(deps, user, INVITE_AGE, "create invite links")


async def require_may_message(
    deps: Deps, uow: UnitOfWork, actor: User, others: list[str], opened_by: str | None
) -> None:
    """A young account may not start a direct conversation with people it shares no room
    with: neither open the DM nor write in one it opened. Answering a DM someone else opened
    is allowed."""
    wait = _minutes_to_wait(deps, actor, STRANGERS_AGE)
    if not wait or (opened_by is not None and opened_by != actor.id):
        return
    for other in others:
        if other != actor.id and not await uow.rooms.share_a_room(actor.id, other):
            raise _too_new("message people you share no room with", wait)


async def require_may_post_in_dm(deps: Deps, uow: UnitOfWork, actor: User, room: Room) -> None:
    if not _minutes_to_wait(deps, actor, STRANGERS_AGE):
        return  # the common case costs no query
    opener = room.creator.id if room.creator else None
    await require_may_message(deps, uow, actor, list(room.dm_user_ids), opener)


def _quota_key(label: str, user: User) -> str:
    return f"rooms-created-{label}:{user.id}"


async def require_may_create_room(deps: Deps, user: User) -> None:
    """Old enough, and under the per-hour and per-day room creation caps."""
    require_old_enough(deps, user, ROOMS_AGE, "create channels or groups")
    if is_admin(user):
        return
    for setting, _, label in ROOM_QUOTAS:
        limit = deps.settings.int(setting)
        if limit > 0 and await deps.limits.count(_quota_key(label, user)) >= limit:
            raise ChinwagError(
                "error-too-many-rooms",
                f"You have created {limit} rooms in the last {label}, the most allowed; "
                "try again later",
                status=429,
            )


async def count_room_created(deps: Deps, user: User) -> None:
    """Count a room the user has just created toward the caps."""
    if is_admin(user):
        return
    for setting, window_ms, label in ROOM_QUOTAS:
        if deps.settings.int(setting) > 0:
            await deps.limits.hit(_quota_key(label, user), 1 << 30, window_ms)
