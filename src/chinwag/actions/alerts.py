"""Telling people about abuse: the admins-only alerts room, written to by the system bot;
notices in a named channel; and the one place that records what an audit trail would keep."""

from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError

from chinwag.actions.accounts import NewUser, add_member, insert_user
from chinwag.actions.deps import Deps
from chinwag.actions.messages import NewMessage, insert_message
from chinwag.domain.ids import random_id
from chinwag.domain.models import Room, RoomType, User, UserType
from chinwag.events.types import UserRemovedFromRoom
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import UserFilter

log = structlog.get_logger(__name__)

BOT_ID = "chinwag.bot"
BOT_USERNAME = "chinwag.bot"
ALERTS_ROOM_ID = "moderation-alerts"
ALERTS_ROOM_NAME = "moderation-alerts"
ADMIN_ROLE = "admin"


def record_moderation_event(
    actor: str | None, action: str, kind: str, target: str, **details: Any
) -> None:
    """What an audit trail keeps of an abuse-detection decision: who (a user id, None for the
    server itself), what, on what (`kind` and id). Every such decision goes through here."""
    # An invite's id is the link's secret: the log keeps only enough to tell links apart.
    shown = f"{target[:6]}..." if kind == "invite" else target
    log.info("moderation event", actor=actor, action=action, kind=kind, target=shown, **details)


async def post_notice(deps: Deps, uow: UnitOfWork, author: User, room: Room, text: str) -> None:
    """A server notice: `author` (a bot) says `text` in `room`, inside the caller's transaction."""
    await insert_message(deps, uow, author, room, NewMessage(room.id, text))


async def alert_admins(deps: Deps, text: str) -> None:
    """The system bot posts `text` in the admins-only alerts room, made on first use."""
    log.warning("admin alert", detail=text)
    try:
        await _post_alert(deps, text)
    except IntegrityError:
        # Another process made the bot or the room at the same moment; theirs will do.
        await _post_alert(deps, text)


async def _post_alert(deps: Deps, text: str) -> None:
    async with deps.uow() as uow:
        bot = await _system_bot(deps, uow)
        room = await _alerts_room(deps, uow, bot)
        await sync_alert_members(deps, uow, room)
        await post_notice(deps, uow, bot, room, text)


async def _system_bot(deps: Deps, uow: UnitOfWork) -> User:
    """chinwag.bot: a bot account with no password, so nobody can log in as it."""
    bot = await uow.users.find_by_id(BOT_ID)
    if bot is not None:
        return bot
    return await insert_user(
        deps,
        uow,
        NewUser(
            user_id=BOT_ID,
            username=BOT_USERNAME,
            name="Chinwag",
            type=UserType.BOT,
            roles=("bot",),
            join_default_channels=False,
        ),
        password_hash=None,
    )


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
    """The alerts room's members are the active administrators (and the bot), no one else."""
    room = room or await uow.rooms.find_room(ALERTS_ROOM_ID)
    if room is None:
        return  # made, with its members, at the first alert
    admins = UserFilter(role=ADMIN_ROLE, active=True, types=("user",))
    wanted, _ = await uow.users.list_users(admins, 0, None)
    wanted_ids = {u.id for u in wanted} | {BOT_ID}
    members, _ = await uow.rooms.list_member_ids(room.id)
    for user in wanted:
        if user.id not in members and user.username:
            await add_member(deps, uow, room, user.id, user.username)
    for user_id in set(members) - wanted_ids:
        subscription = await uow.rooms.find_subscription(room.id, user_id)
        if subscription is not None:
            await uow.rooms.delete_subscription(subscription, deps.clock.now())
            uow.emit(UserRemovedFromRoom(room_id=room.id, user_id=user_id, by=BOT_ID))


async def tell_channel(deps: Deps, author_id: str, channel: str, text: str) -> bool:
    """`author_id` (a bot) posts `text` in the room named `channel`; False if either is gone."""
    async with deps.uow() as uow:
        room = await uow.rooms.find_room_by_name(channel)
        author = await uow.users.find_by_id(author_id)
        if room is None or author is None:
            return False
        await post_notice(deps, uow, author, room, text)
    return True
