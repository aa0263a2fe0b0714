"""Invite links: findOrCreateInvite, listInvites, removeInvite, useInviteToken,
validateInviteToken; and Chinwag's own invites.uses (who came in through a link),
invites.stats (what a link brought in) and invites.resume (reopen a paused link)."""

from typing import Any

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.deps import Deps
from chinwag.actions.invite_stats import InvitedAccount, InviteStats, invite_stats
from chinwag.actions.invite_watch import resume_invite
from chinwag.actions.invites import (
    InviteUse,
    find_or_create_invite,
    list_invite_uses,
    list_invites,
    remove_invite,
    use_invite_token,
    validate_invite_token,
)
from chinwag.domain.models import Room
from chinwag.http.auth import CallerDep, DepsDep
from chinwag.http.envelope import JSON, ok
from chinwag.http.v1 import V1
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["invites"])


def invite_room(room: Room) -> dict[str, Any]:
    """The `room` useInviteToken answers with: enough for a client to open it."""
    body = {
        "rid": room.id,
        "prid": room.parent_id,
        "fname": room.fname,
        "name": room.name,
        "t": room.type.value,
    }
    return serialize.drop_none(body)


def invite_use(use: InviteUse) -> dict[str, Any]:
    return {
        "user": {"_id": use.user.id, "username": use.user.username, "name": use.user.name},
        "usedAt": serialize.iso(use.used_at),
        "registered": use.registered,
    }


class FindOrCreateInviteBody(BaseModel):
    rid: str = Field(min_length=1)
    days: int = 1
    maxUses: int = 0


@router.post("/findOrCreateInvite", summary="The caller's live invite link to a room, or a new one")
async def find_or_create_invite_(body: FindOrCreateInviteBody, caller: CallerDep) -> Response:
    invite = await find_or_create_invite(
        caller.deps, caller.user, body.rid, body.days, body.maxUses
    )
    return ok(**serialize.invite(caller.deps, invite))


@router.get("/listInvites", summary="Invite links the caller manages (a bare JSON array)")
async def list_invites_(caller: CallerDep) -> Response:
    invites = await list_invites(caller.deps, caller.user)
    return JSON([serialize.invite(caller.deps, i) for i in invites])


@router.delete("/removeInvite/{invite_id}", summary="Revoke an invite link (answers bare true)")
async def remove_invite_(invite_id: str, caller: CallerDep) -> Response:
    await remove_invite(caller.deps, caller.user, invite_id)
    return JSON(True)


class TokenBody(BaseModel):
    token: str


@router.post("/useInviteToken", summary="Join the room an invite link leads to")
async def use_invite_token_(body: TokenBody, caller: CallerDep) -> Response:
    room = await use_invite_token(caller.deps, caller.user, body.token)
    return ok(room=invite_room(room))


@router.post(
    "/validateInviteToken",
    summary="Whether an invite token is live, and the room it leads to (no login needed)",
)
async def validate_invite_token_(request: Request, deps: DepsDep) -> Response:
    try:
        body = orjson.loads(await request.body() or b"{}")
    except orjson.JSONDecodeError:
        body = None  # this endpoint answers, it never errors
    token = body.get("token") if isinstance(body, dict) else None
    room = await validate_invite_token(deps, token) if isinstance(token, str) else None
    if room is None:
        return ok(valid=False)
    # Whoever holds the link may see where it leads: the sign-up page names the room.
    return ok(valid=True, room=invite_room(room))


@router.get("/invites.uses", summary="Who came in through an invite link (user administrators)")
async def invites_uses(caller: CallerDep, inviteId: str = Query(min_length=1)) -> Response:
    uses = await list_invite_uses(caller.deps, caller.user, inviteId)
    return ok(uses=[invite_use(u) for u in uses])


def invited_account(a: InvitedAccount) -> dict[str, Any]:
    return {
        "_id": a.id,
        "username": a.username,
        "emails": [{"address": a.email, "verified": a.email_verified}] if a.email else [],
        "createdAt": serialize.iso(a.created_at),
        "joinedAt": serialize.iso(a.joined_at),
        "network": a.network,
    }


def stats_body(deps: Deps, stats: InviteStats) -> dict[str, Any]:
    return {
        "invite": serialize.invite(deps, stats.invite),
        "joins": [{"day": day.isoformat(), "count": n} for day, n in stats.joins],
        "accounts": [invited_account(a) for a in stats.accounts],
        "domains": [{"domain": d, "count": n} for d, n in stats.domains],
        "networks": [{"network": net, "count": n} for net, n in stats.networks],
    }


@router.get(
    "/invites.stats",
    summary="What an invite link brought in: joins per day, accounts, email domains and "
    "networks (user administrators)",
)
async def invites_stats(caller: CallerDep, inviteId: str = Query(min_length=1)) -> Response:
    stats = await invite_stats(caller.deps, caller.user, inviteId)
    return ok(**stats_body(caller.deps, stats))


class InviteIdBody(BaseModel):
    inviteId: str = Field(min_length=1)


@router.post(
    "/invites.resume",
    summary="Let a paused invite link admit people again (manage-moderation-actions)",
)
async def invites_resume(body: InviteIdBody, caller: CallerDep) -> Response:
    invite = await resume_invite(caller.deps, caller.user, body.inviteId)
    return ok(invite=serialize.invite(caller.deps, invite))
