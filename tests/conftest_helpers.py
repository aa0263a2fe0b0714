"""Test set-up through the storage layer, for state no REST endpoint can make yet:
settings, rooms with owners and moderators, and a look at who is in which room."""

from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.domain.ids import random_id
from chinwag.domain.models import Room, RoomType, Subscription, User
from chinwag.domain.settings_registry import SettingValue
from tests.conftest import Persona


async def set_setting(deps: Deps, setting_id: str, value: SettingValue) -> None:
    """Store a workspace setting and update this process's cache, as the settings API would."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        await uow.config.upsert_setting(setting_id, value, now)
    deps.settings.set(setting_id, value, now)


async def set_permission(deps: Deps, permission_id: str, roles: tuple[str, ...]) -> None:
    """Grant a permission to exactly these roles (stored, and in this process's grants)."""
    async with deps.uow() as uow:
        await uow.config.upsert_permission(permission_id, roles, deps.clock.now())
    deps.grants.by_permission[permission_id] = roles


async def make_room(
    deps: Deps, name: str, owner: Persona, room_type: RoomType = RoomType.PRIVATE
) -> Room:
    """A room created by `owner`, who joins it as its owner."""
    now = deps.clock.now()
    room_id = random_id()
    async with deps.uow() as uow:
        await uow.rooms.insert_room(
            {
                "id": room_id,
                "type": room_type.value,
                "name": name,
                "creator_id": owner.id,
                "creator_username": owner.username,
                "created_at": now,
                "updated_at": now,
            }
        )
        room = await uow.rooms.find_room(room_id)
        assert room is not None
        await add_member(deps, uow, room, owner.id, owner.username, roles=("owner",))
    return await room_by_id(deps, room_id)


async def join_room(deps: Deps, room: Room, member: Persona, *roles: str) -> None:
    async with deps.uow() as uow:
        current = await uow.rooms.find_room(room.id)
        assert current is not None
        await add_member(deps, uow, current, member.id, member.username, roles=roles)


async def room_by_id(deps: Deps, room_id: str) -> Room:
    async with deps.reader() as uow:
        room = await uow.rooms.find_room(room_id)
    assert room is not None
    return room


async def subscriptions_of(deps: Deps, user_id: str) -> list[Subscription]:
    async with deps.reader() as uow:
        return await uow.rooms.list_user_subscriptions(user_id)


async def room_ids_of(deps: Deps, user_id: str) -> set[str]:
    return {s.room_id for s in await subscriptions_of(deps, user_id)}


async def user_named(deps: Deps, username: str) -> User:
    async with deps.reader() as uow:
        user = await uow.users.find_by_username(username)
    assert user is not None
    return user
