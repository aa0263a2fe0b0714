"""Two-factor methods: TOTP enrolment (2fa:*), and the personal access token methods that
Rocket.Chat guards with a second factor (its twoFactorRequired wrapper)."""

from typing import Any

from chinwag.actions import two_factor as tf
from chinwag.actions.tokens import (
    generate_personal_token,
    regenerate_personal_token,
    remove_personal_token,
)
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.domain.two_factor import fingerprint


def second_factor(ctx: MethodContext, params: list[Any]) -> tf.TwoFactorInput:
    """Rocket.Chat's trailing argument `{twoFactorCode, twoFactorMethod}` (taken off the
    params), else the x-2fa-* headers of a method.call; with the socket's token and client."""
    code, kind = ctx.connection.two_factor_headers
    last = params[-1] if params else None
    if isinstance(last, dict) and last.get("twoFactorCode") and last.get("twoFactorMethod"):
        params.pop()
        code, kind = str(last["twoFactorCode"]), str(last["twoFactorMethod"])
    return tf.TwoFactorInput(
        code=code or None,
        method=kind or None,
        token=ctx.connection.token,
        client=fingerprint(ctx.connection.user_agent, ctx.connection.client_ip),
    )


@method("2fa:enable")
async def enable(ctx: MethodContext, params: list[Any]) -> dict[str, str]:
    enrolment = await tf.enable_totp(ctx.deps, ctx.user)
    return {"secret": enrolment.secret, "url": enrolment.url, "qrCode": enrolment.qr_svg}


@method("2fa:validateTempToken")
async def validate_temp_token(ctx: MethodContext, params: list[Any]) -> dict[str, list[str]]:
    code = param(params, 0, str)
    codes = await tf.validate_temp_token(ctx.deps, ctx.user, code, ctx.connection.token)
    return {"codes": codes}


@method("2fa:disable")
async def disable(ctx: MethodContext, params: list[Any]) -> bool:
    return await tf.disable_totp(ctx.deps, ctx.user, param(params, 0, str))


@method("2fa:regenerateCodes")
async def regenerate_codes(ctx: MethodContext, params: list[Any]) -> dict[str, list[str]] | None:
    codes = await tf.regenerate_codes(ctx.deps, ctx.user, param(params, 0, str))
    return {"codes": codes} if codes is not None else None


@method("2fa:checkCodesRemaining")
async def check_codes_remaining(ctx: MethodContext, params: list[Any]) -> dict[str, int]:
    return {"remaining": await tf.codes_remaining(ctx.deps, ctx.user)}


def _token_name(params: list[Any]) -> tuple[str, dict[str, Any]]:
    options = param(params, 0, dict)
    name = options.get("tokenName")
    if not isinstance(name, str):
        raise MethodError("error-invalid-params", "tokenName is required")
    return name, options


@method("personalAccessTokens:generateToken")
async def generate_token(ctx: MethodContext, params: list[Any]) -> str:
    given = second_factor(ctx, params)
    name, options = _token_name(params)
    bypass = options.get("bypassTwoFactor") is True
    return await generate_personal_token(ctx.deps, ctx.user, name, bypass, given)


@method("personalAccessTokens:regenerateToken")
async def regenerate_token(ctx: MethodContext, params: list[Any]) -> str:
    given = second_factor(ctx, params)
    name, _ = _token_name(params)
    return await regenerate_personal_token(ctx.deps, ctx.user, name, given)


@method("personalAccessTokens:removeToken")
async def remove_token(ctx: MethodContext, params: list[Any]) -> None:
    given = second_factor(ctx, params)
    name, _ = _token_name(params)
    await remove_personal_token(ctx.deps, ctx.user, name, given)
