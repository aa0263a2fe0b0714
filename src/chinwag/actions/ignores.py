"""Hiding another member's messages in one room (Rocket.Chat's ignoreUser)."""

from chinwag.actions.deps import Deps
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Subscription, User
from chinwag.events.types import UserIgnored


def invalid_subscription() -> ChinwagError:
    return ChinwagError("error-invalid-subscription", "Invalid subscription")


async def ignore_user(
    deps: Deps, actor: User, room_id: str, user_id: str, ignore: bool
) -> Subscription:
    """chat.ignoreUser: both must be members of the room. Emits UserIgnored on change."""
    async with deps.uow() as uow:
        mine = await uow.rooms.find_subscription(room_id, actor.id)
        theirs = await uow.rooms.find_subscription(room_id, user_id)
        if mine is None or theirs is None:
            raise invalid_subscription()
        kept = [uid for uid in mine.ignored if uid != user_id]
        ignored = [*kept, user_id] if ignore else kept
        if ignored != list(mine.ignored):
            await uow.rooms.set_subscription_ignored(room_id, actor.id, ignored, deps.clock.now())
            uow.emit(
                UserIgnored(
                    room_id=room_id, user_id=actor.id, ignored_user_id=user_id, ignored=ignore
                )
            )
        updated = await uow.rooms.find_subscription(room_id, actor.id)
    assert updated is not None
    return updated
