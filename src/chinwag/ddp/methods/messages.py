"""sendMessage and loadHistory."""

from datetime import datetime
from typing import Any

from chinwag.actions.history import room_history
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
    limit = min(param(params, 2, int, 20), ctx.deps.settings.int("API_Upper_Count_Limit"))
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
        max(limit, 1),
        with_thread_replies=show_threads,
    )
    return {"messages": [serialize_message(m, date=date) for m in page.messages]}
