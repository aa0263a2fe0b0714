"""messageSearch: Rocket.Chat's message search, in one room or across the caller's rooms."""

from typing import Any

from chinwag.actions.sync import search_messages, search_my_rooms
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.serialize.chat import message as serialize_message


@method("messageSearch")
async def message_search(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    """`(text, rid?, limit=20, offset=0)` → `{message: {docs}}`, newest first."""
    text, rid = param(params, 0, str), param(params, 1, str, None)
    upper = ctx.deps.settings.int("API_Upper_Count_Limit")
    limit = max(min(param(params, 2, int, 20), upper), 1)
    offset = max(param(params, 3, int, 0), 0)
    if rid:
        found = await search_messages(ctx.deps, ctx.user, rid, text, offset, limit)
    else:
        found = await search_my_rooms(ctx.deps, ctx.user, text, offset, limit)
    return {"message": {"docs": [serialize_message(m, date=date) for m in found]}}
