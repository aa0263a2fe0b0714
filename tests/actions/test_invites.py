"""The events invite actions emit, after commit."""

from chinwag.actions.deps import Deps
from chinwag.actions.invites import find_or_create_invite, remove_invite, use_invite_token
from chinwag.events.types import InviteCreated, InviteRemoved, InviteUsed, UserJoinedRoom
from chinwag.pubsub.memory import MemoryBus
from tests.conftest import Persona
from tests.conftest_helpers import make_room, user_named


async def test_invite_actions_notify(deps: Deps, alice: Persona, bob: Persona) -> None:
    assert isinstance(deps.bus, MemoryBus)
    team = await make_room(deps, "team", alice)
    owner, joiner = await user_named(deps, "alice"), await user_named(deps, "bob")
    with deps.bus.capture() as published:
        invite = await find_or_create_invite(deps, owner, team.id, 7, 0)
        await find_or_create_invite(deps, owner, team.id, 7, 0)
    assert published == [InviteCreated(invite_id=invite.id, room_id=team.id, creator_id=alice.id)]
    with deps.bus.capture() as published:
        await use_invite_token(deps, joiner, invite.id)
        await use_invite_token(deps, joiner, invite.id)
    assert published == [
        InviteUsed(invite_id=invite.id, room_id=team.id, user_id=bob.id),
        UserJoinedRoom(room_id=team.id, user_id=bob.id),
    ]
    with deps.bus.capture() as published:
        await remove_invite(deps, owner, invite.id)
    assert published == [InviteRemoved(invite_id=invite.id, room_id=team.id, by=alice.id)]
