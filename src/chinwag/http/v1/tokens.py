"""users.*: personal access tokens, tokens made for other users, ending other sessions."""

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.tokens import (
    create_token,
    generate_personal_token,
    list_personal_tokens,
    logout_other_clients,
    regenerate_personal_token,
    remove_personal_token,
)
from chinwag.http.auth import CallerDep, TwoFactorDep
from chinwag.http.envelope import ok
from chinwag.http.v1 import V1
from chinwag.http.v1.users import UserParams
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["users"])


class CreateTokenBody(UserParams):
    secret: str = Field(min_length=1, max_length=1000)


@router.post(
    "/users.createToken",
    summary="A login token for a user (needs the server's CREATE_TOKENS_FOR_USERS_SECRET)",
)
async def users_create_token(body: CreateTokenBody, caller: CallerDep) -> Response:
    user_id, token = await create_token(caller.deps, caller.user, body.selector(), body.secret)
    return ok(data={"userId": user_id, "authToken": token})


class GenerateTokenBody(BaseModel):
    tokenName: str
    bypassTwoFactor: bool = False


@router.post(
    "/users.generatePersonalAccessToken",
    summary="Create a named personal access token (shown once)",
)
async def users_generate_personal_access_token(
    body: GenerateTokenBody, caller: CallerDep, two_factor: TwoFactorDep
) -> Response:
    token = await generate_personal_token(
        caller.deps, caller.user, body.tokenName, body.bypassTwoFactor, two_factor
    )
    return ok(token=token)


class TokenNameBody(BaseModel):
    tokenName: str


@router.post(
    "/users.regeneratePersonalAccessToken",
    summary="Replace a personal access token with a new secret",
)
async def users_regenerate_personal_access_token(
    body: TokenNameBody, caller: CallerDep, two_factor: TwoFactorDep
) -> Response:
    token = await regenerate_personal_token(caller.deps, caller.user, body.tokenName, two_factor)
    return ok(token=token)


@router.get("/users.getPersonalAccessTokens", summary="The caller's personal access tokens")
async def users_get_personal_access_tokens(caller: CallerDep) -> Response:
    tokens = await list_personal_tokens(caller.deps, caller.user)
    return ok(tokens=[serialize.personal_token(t) for t in tokens])


@router.post("/users.removePersonalAccessToken", summary="Revoke a personal access token")
async def users_remove_personal_access_token(
    body: TokenNameBody, caller: CallerDep, two_factor: TwoFactorDep
) -> Response:
    await remove_personal_token(caller.deps, caller.user, body.tokenName, two_factor)
    return ok()


@router.post("/users.logoutOtherClients", summary="End every session but this one")
async def users_logout_other_clients(caller: CallerDep) -> Response:
    kept = await logout_other_clients(caller.deps, caller.user, caller.token)
    return ok(token=kept.token, tokenExpires=serialize.iso(kept.expires_at) or "")


@router.post("/users.removeOtherTokens", summary="End every session but this one")
async def users_remove_other_tokens(caller: CallerDep) -> Response:
    await logout_other_clients(caller.deps, caller.user, caller.token)
    return ok()
