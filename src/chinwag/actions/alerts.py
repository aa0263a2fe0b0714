"""Telling people about abuse: the admins-only alerts room and notices in a named channel,
both written by rocket.cat, the server's own account."""

import structlog
from sqlalchemy.exc import IntegrityError

from chinwag.actions.accounts import add_member
from chinwag.actions.bootstrap import ROCKET_CAT_ID
from chinwag.actions.deps import Deps
from chinwag.actions.messages import NewMessage, insert_message
from chinwag.domain.ids import random_id
from chinwag.domain.models import Room, RoomType, User
from chinwag.events.types import UserRemovedFromRoom
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import UserFilter

log = structlog.get_logger(__name__)

ALERTS_ROOM_ID = "moderation-alerts"
ALERTS_ROOM_NAME = "moderation-alerts"
ADMIN_ROLE = "admin"


async def post_notice(deps: Deps, uow: UnitOfWork, author: User, room: Room, text: str) -> None:
    """A server notice: `author` (a bot) says `text` in `room`, inside the caller's transaction."""
    await insert_message(deps, uow, author, room, NewMessage(room.id, text))


async def alert_admins(deps: Deps, text: str) -> None:
    """rocket.cat posts `text` in the admins-only alerts room, made on first use."""
    log.warning("admin alert", detail=text)
    try:
        await _post_alert(deps, text)
    except IntegrityError:
        # Another process made the room at the same moment; theirs will do.
        await _post_alert(deps, text)


async def _post_alert(deps: Deps, text: str) -> None:
    async with deps.uow() as uow:
        bot = await uow.users.find_by_id(ROCKET_CAT_ID)
        if bot is None:
            return  # bootstrap makes rocket.cat; without it the log line above must do
        room = await _alerts_room(deps, uow, bot)
        await sync_alert_members(deps, uow, room)
        await post_notice(deps, uow, bot, room, text)


async def _alerts_room(deps: Deps, uow: UnitOfWork, bot: User) -> Room:
    room = await uow.rooms.find_room(ALERTS_ROOM_ID)
    if room is not None:
        return room
    name = ALERTS_ROOM_NAME
    if await uow.rooms.find_room_by_name(name) is not None:
        name = f"{ALERTS_ROOM_NAME}-{random_id()[:6].lower()}"  # someone took the name
    now = deps.clock.now()
    await uow.rooms.insert_room(
        {
            "id": ALERTS_ROOM_ID,
            "type": RoomType.PRIVATE.value,
            "name": name,
            "fname": name,
            "creator_id": bot.id,
            "creator_username": bot.username,
            "created_at": now,
            "updated_at": now,
            "topic": "Abuse alerts for administrators",
        }
    )
    room = await uow.rooms.find_room(ALERTS_ROOM_ID)
    assert room is not None
    await add_member(deps, uow, room, bot.id, bot.username or "", roles=("owner",))
    return room


async def sync_alert_members(deps: Deps, uow: UnitOfWork, room: Room | None = None) -> None:
    """The alerts room's members are the active administrators (and rocket.cat), no one else."""
    room = room or await uow.rooms.find_room(ALERTS_ROOM_ID)
    if room is None:
        return  # made, with its members, at the first alert
    admins = UserFilter(role=ADMIN_ROLE, active=True, types=("user",))
    wanted, _ = await uow.users.list_users(admins, 0, None)
    wanted_ids = {u.id for u in wanted} | {ROCKET_CAT_ID}
    members, _ = await uow.rooms.list_member_ids(room.id)
    for user in wanted:
        if user.id not in members and user.username:
            await add_member(deps, uow, room, user.id, user.username)
    for user_id in set(members) - wanted_ids:
        subscription = await uow.rooms.find_subscription(room.id, user_id)
        if subscription is not None:
            await uow.rooms.delete_subscription(subscription, deps.clock.now())
            uow.emit(UserRemovedFromRoom(room_id=room.id, user_id=user_id, by=ROCKET_CAT_ID))


async def tell_channel(deps: Deps, author_id: str, channel: str, text: str) -> bool:
    """`author_id` (a bot) posts `text` in the room named `channel`; False if either is gone."""
    async with deps.uow() as uow:
        room = await uow.rooms.find_room_by_name(channel)
        author = await uow.users.find_by_id(author_id)
        if room is None or author is None:
            return False
        await post_notice(deps, uow, author, room, text)
    return True
