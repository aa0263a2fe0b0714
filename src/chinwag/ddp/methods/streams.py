"""Clients write to streams by calling them as methods: typing notices to a room, and the
call-signalling events (webrtc, otr) one user relays to another they share a direct message
with."""

from typing import Any

from chinwag.actions.rooms import access_room_by_id
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.events.types import UserSignalled, UserTyping


@method("stream-notify-room")
async def notify_room(ctx: MethodContext, params: list[Any]) -> None:
    event_name = param(params, 0, str)
    rid, _, kind = event_name.partition("/")
    if kind not in ("user-activity", "typing"):
        raise MethodError("not-allowed", f"Clients may not send {kind or event_name}")
    user = ctx.user
    async with ctx.deps.reader() as uow:
        await access_room_by_id(ctx.deps, uow, user, rid)
        if await uow.rooms.find_subscription(rid, user.id) is None:
            raise MethodError("not-allowed", "Only members may type in a room")
    activities: tuple[str, ...]
    if kind == "typing":
        typing = param(params, 2, bool, False)
        activities = ("user-typing",) if typing else ()
    else:
        raw = param(params, 2, list, [])
        activities = tuple(a for a in raw if isinstance(a, str))[:4]
    await ctx.deps.publish(
        [UserTyping(room_id=rid, username=user.username or "", activities=activities)]
    )


RELAYED = ("webrtc", "otr")


@method("stream-notify-user")
async def notify_user(ctx: MethodContext, params: list[Any]) -> None:
    """`("<uid>/webrtc" | "<uid>/otr", ...args)`: delivered to that user's sockets as sent."""
    event_name = param(params, 0, str)
    target, _, kind = event_name.partition("/")
    if kind not in RELAYED:
        raise MethodError("not-allowed", f"Clients may not send {kind or event_name}")
    user = ctx.user
    async with ctx.deps.reader() as uow:
        shared = await uow.rooms.find_dm_with_members(sorted({user.id, target}))
    if shared is None:
        raise MethodError("not-allowed", "Only people who share a direct message may signal")
    signal = UserSignalled(user_id=target, event_name=event_name, args=tuple(params[1:]))
    await ctx.deps.publish([signal])
