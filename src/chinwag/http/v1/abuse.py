"""Sign-up bursts (Chinwag's own): moderation.signupStatus and moderation.endSignupBurst."""

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from chinwag.actions.signup_bursts import SignupStatus, end_signup_burst, signup_status
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.v1 import V1
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["moderation"])


def status_body(status: SignupStatus) -> dict[str, Any]:
    burst = status.burst
    return {
        "approvalRequired": burst is not None or status.manual_approval,
        "manualApproval": status.manual_approval,
        "burst": None
        if burst is None
        else {
            "_id": burst.id,
            "startedAt": serialize.iso(burst.started_at),
            "endsAt": serialize.iso(burst.ends_at),
            "reason": burst.reason,
        },
        "thresholds": status.thresholds,
    }


@router.get(
    "/moderation.signupStatus",
    summary="Whether a sign-up burst holds new accounts for approval, why and until when",
)
async def moderation_signup_status(caller: CallerDep) -> Response:
    return ok(**status_body(await signup_status(caller.deps, caller.user)))


@router.post(
    "/moderation.endSignupBurst",
    summary="End a sign-up burst now: new accounts stop waiting for approval",
)
async def moderation_end_signup_burst(caller: CallerDep) -> Response:
    return ok(**status_body(await end_signup_burst(caller.deps, caller.user)))
