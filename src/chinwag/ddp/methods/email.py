"""Account mail over DDP (and method.call / method.callAnon): resetPassword, verifyEmail,
forgotPassword, sendForgotPasswordEmail, sendConfirmationEmail, sendInvitationEmail."""

from typing import Any

from chinwag.actions.auth import Session
from chinwag.actions.email_verification import send_confirmation_email, verify_email_and_log_in
from chinwag.actions.invitations import send_invitation_emails
from chinwag.actions.login_history import record_login
from chinwag.actions.password_reset import forgot_password, reset_password
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.methods.account import logged_in
from chinwag.ddp.protocol import MethodError
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError, LoginFailed


def _meteor_error(exc: ChinwagError) -> MethodError:
    """Meteor's accounts answer stale links with the number 403, not a string code."""
    code: str | int = 403 if exc.code == "403" else exc.code
    return MethodError(code, exc.reason, exc.details or None)


async def _kept(ctx: MethodContext, session: Session, method: str) -> None:
    """A login these links grant goes into the login history like any other."""
    if session.token:
        connection = ctx.connection
        origin = Origin(ip=connection.client_ip, user_agent=connection.user_agent)
        await record_login(ctx.deps, session.user.id, origin, method)


@method("resetPassword")
async def reset_password_method(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    token = param(params, 0, str)
    new_password = param(params, 1, object)
    try:
        session = await reset_password(ctx.deps, token, new_password)
    except (LoginFailed, ChinwagError) as exc:
        raise _meteor_error(exc) from exc
    await _kept(ctx, session, "ddp:resetPassword")
    return await logged_in(ctx, session, "password")


@method("verifyEmail")
async def verify_email_method(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    token = param(params, 0, str)
    try:
        session = await verify_email_and_log_in(ctx.deps, token)
    except ChinwagError as exc:
        raise _meteor_error(exc) from exc
    await _kept(ctx, session, "ddp:verifyEmail")
    return await logged_in(ctx, session, "password")


@method("forgotPassword")
async def forgot_password_method(ctx: MethodContext, params: list[Any]) -> None:
    options = param(params, 0, dict)
    email = options.get("email")
    if not isinstance(email, str) or not email:
        raise MethodError(400, "Must pass options.email")
    await forgot_password(ctx.deps, email)


@method("sendForgotPasswordEmail")
async def send_forgot_password_email(ctx: MethodContext, params: list[Any]) -> bool:
    await forgot_password(ctx.deps, param(params, 0, str))
    return True


@method("sendConfirmationEmail")
async def send_confirmation_email_method(ctx: MethodContext, params: list[Any]) -> bool:
    return await send_confirmation_email(ctx.deps, param(params, 0, str))


@method("sendInvitationEmail")
async def send_invitation_email_method(ctx: MethodContext, params: list[Any]) -> list[str]:
    emails = param(params, 0, list)
    if not all(isinstance(e, str) for e in emails):
        raise MethodError("error-invalid-params", "Parameter 1 must be a list of strings")
    return await send_invitation_emails(ctx.deps, ctx.user, emails)
