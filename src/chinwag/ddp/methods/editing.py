"""Changing messages over DDP: edit, delete, pin, star, and reading one message."""

from typing import Any

from chinwag.actions.editing import Edit, delete_message, update_message
from chinwag.actions.messages import access_message
from chinwag.actions.pins import pin_message, star_message, unpin_message
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.serialize.chat import message as serialize_message


def _message_ref(params: list[Any]) -> tuple[str, str | None]:
    """Rocket.Chat's message methods take a message object: its `_id` and maybe `rid`."""
    m = param(params, 0, dict)
    message_id, rid = m.get("_id"), m.get("rid")
    if not isinstance(message_id, str) or not message_id:
        raise MethodError("error-invalid-params", "The message needs an _id")
    return message_id, rid if isinstance(rid, str) else None


@method("updateMessage")
async def update_message_method(ctx: MethodContext, params: list[Any]) -> None:
    message_id, rid = _message_ref(params)
    text = param(params, 0, dict).get("msg")
    if not isinstance(text, str) or rid is None:
        raise MethodError("error-invalid-params", "The message needs rid and msg")
    await update_message(ctx.deps, ctx.user, Edit(room_id=rid, message_id=message_id, text=text))


@method("deleteMessage")
async def delete_message_method(ctx: MethodContext, params: list[Any]) -> None:
    message_id, rid = _message_ref(params)
    if rid is None:
        async with ctx.deps.reader() as uow:
            rid = (await access_message(ctx.deps, uow, ctx.user, message_id)).room.id
    await delete_message(ctx.deps, ctx.user, rid, message_id)


@method("pinMessage")
async def pin_message_method(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    message_id, _ = _message_ref(params)
    return serialize_message(await pin_message(ctx.deps, ctx.user, message_id), date=date)


@method("unpinMessage")
async def unpin_message_method(ctx: MethodContext, params: list[Any]) -> bool:
    message_id, _ = _message_ref(params)
    await unpin_message(ctx.deps, ctx.user, message_id)
    return True


@method("starMessage")
async def star_message_method(ctx: MethodContext, params: list[Any]) -> bool:
    message_id, _ = _message_ref(params)
    starred = param(params, 0, dict).get("starred", True)
    await star_message(ctx.deps, ctx.user, message_id, bool(starred))
    return True


@method("getSingleMessage")
async def get_single_message(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    message_id = param(params, 0, str)
    async with ctx.deps.reader() as uow:
        found = await access_message(ctx.deps, uow, ctx.user, message_id)
    return serialize_message(found.message, date=date)
