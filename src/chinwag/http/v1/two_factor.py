"""users.2fa.* (codes by mail), pw.getPolicy and pw.getPolicyReset.

TOTP enrolment has no REST endpoints in Rocket.Chat: clients call the 2fa:* methods over
DDP or through method.call."""

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.password_reset import reset_link_valid
from chinwag.actions.passwords import password_policy
from chinwag.actions.two_factor import disable_email, enable_email, send_email_code
from chinwag.domain.errors import Unauthorized
from chinwag.http.auth import CallerDep, DepsDep, OptionalCallerDep, TwoFactorDep
from chinwag.http.envelope import ok
from chinwag.http.v1 import V1

router = APIRouter(prefix=V1, tags=["two-factor"])


@router.post("/users.2fa.enableEmail", summary="Turn on codes by mail (needs a verified email)")
async def users_2fa_enable_email(caller: CallerDep) -> Response:
    await enable_email(caller.deps, caller.user, caller.token)
    return ok()


@router.post("/users.2fa.disableEmail", summary="Turn off codes by mail (needs a second factor)")
async def users_2fa_disable_email(caller: CallerDep, two_factor: TwoFactorDep) -> Response:
    await disable_email(caller.deps, caller.user, two_factor)
    return ok()


class SendEmailCodeBody(BaseModel):
    emailOrUsername: str = Field("", max_length=320)


@router.post(
    "/users.2fa.sendEmailCode",
    summary="Mail a new login code (the same answer whether or not the user exists)",
)
async def users_2fa_send_email_code(
    body: SendEmailCodeBody, deps: DepsDep, caller: OptionalCallerDep
) -> Response:
    await send_email_code(deps, caller.user if caller else None, body.emailOrUsername)
    return ok()


@router.get("/pw.getPolicy", summary="The password policy new passwords must meet")
async def pw_get_policy(caller: CallerDep) -> Response:
    return ok(**password_policy(caller.deps).describe())


@router.get("/pw.getPolicyReset", summary="The password policy, for the holder of a reset link")
async def pw_get_policy_reset(
    deps: DepsDep, token: str = Query(min_length=1, max_length=200)
) -> Response:
    if not await reset_link_valid(deps, token):
        raise Unauthorized("unauthorized")
    return ok(**password_policy(deps).describe())
