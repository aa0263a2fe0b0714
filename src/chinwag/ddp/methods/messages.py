"""sendMessage, and the history a client loads: back, forward and around a message."""

from datetime import datetime
from typing import Any

from chinwag.actions.history import messages_around, room_history, room_history_after
from chinwag.actions.messages import NewMessage, send_message
from chinwag.actions.rooms import access_room_by_id
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.serialize.chat import message as serialize_message


@method("sendMessage")
async def send_message_method(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    m = param(params, 0, dict)
    rid, text = m.get("rid"), m.get("msg", "")
    if not isinstance(rid, str) or not isinstance(text, str):
        raise MethodError("error-invalid-params", "A message needs rid and msg")
    sent = await send_message(
        ctx.deps,
        ctx.user,
        NewMessage(
            room_id=rid,
            text=text,
            message_id=m.get("_id") if isinstance(m.get("_id"), str) else None,
            thread_id=m.get("tmid") if isinstance(m.get("tmid"), str) else None,
            thread_show=bool(m.get("tshow")),
            alias=m.get("alias") if isinstance(m.get("alias"), str) else None,
            emoji=m.get("emoji") if isinstance(m.get("emoji"), str) else None,
            avatar=m.get("avatar") if isinstance(m.get("avatar"), str) else None,
            attachments=tuple(a for a in m.get("attachments") or () if isinstance(a, dict)),
        ),
    )
    return serialize_message(sent, date=date)


@method("loadHistory")
async def load_history(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    rid = param(params, 0, str)
    end = param(params, 1, datetime, None)
    limit = _limit(ctx, params, 2, 20)
    show_threads = param(params, 4, bool, True)
    async with ctx.deps.reader() as uow:
        room = await access_room_by_id(ctx.deps, uow, ctx.user, rid)
    page = await room_history(
        ctx.deps,
        ctx.user,
        room,
        end,
        None,
        False,
        0,
        limit,
        with_thread_replies=show_threads,
    )
    return {"messages": [serialize_message(m, date=date) for m in page.messages]}


def _limit(ctx: MethodContext, params: list[Any], index: int, default: int) -> int:
    wanted: int = param(params, index, int, default)
    return max(min(wanted, ctx.deps.settings.int("API_Upper_Count_Limit")), 1)


@method("loadNextMessages")
async def load_next_messages(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    """`(rid, end, limit)`: the messages after `end` (from the first without it), oldest first."""
    rid, end = param(params, 0, str), param(params, 1, datetime, None)
    page = await room_history_after(ctx.deps, ctx.user, rid, end, _limit(ctx, params, 2, 20))
    return {"messages": [serialize_message(m, date=date) for m in page]}


@method("loadSurroundingMessages")
async def load_surrounding_messages(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    """`({_id, rid}, limit)`: a message with up to half the limit on each side, newest first,
    and whether more lie beyond (Rocket.Chat's jump to a message)."""
    target = param(params, 0, dict)
    if not isinstance(target.get("_id"), str):
        raise MethodError("error-invalid-params", "The message needs an _id")
    around = await messages_around(ctx.deps, ctx.user, target["_id"], _limit(ctx, params, 1, 50))
    return {
        "messages": [serialize_message(m, date=date) for m in around.messages],
        "moreBefore": around.more_before,
        "moreAfter": around.more_after,
    }
