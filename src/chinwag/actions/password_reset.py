"""Getting back into an account: a mailed single-use reset link, then a new password."""

import asyncio
import time
from datetime import timedelta

from chinwag.actions.auth import Session, issue_login_token, presented_digest
from chinwag.actions.deps import Deps
from chinwag.actions.mail import queue_mail, site_link
from chinwag.actions.passwords import require_allowed_digest, require_allowed_password
from chinwag.domain import mail_templates
from chinwag.domain.errors import ChinwagError, InvalidParams, LoginFailed
from chinwag.domain.ids import random_secret
from chinwag.domain.mail import MailKind
from chinwag.domain.models import User
from chinwag.domain.passwords import hash_digest, hash_login_token
from chinwag.events.types import UserLoggedOut, UserUpdated
from chinwag.storage.uow import UnitOfWork

RESET = "reset"
# Meteor's reset links last 3 days; a day is enough to read a mail and safer. Documented in
# docs/COMPATIBILITY.md.
RESET_LINK_LIFETIME = timedelta(hours=24)
# users.forgotPassword answers no sooner than this, whether or not the address is known, so
# its timing does not tell which addresses have accounts.
FORGOT_PASSWORD_FLOOR_SECONDS = 0.2


def token_expired() -> ChinwagError:
    """Meteor's answer to a reset link that is unknown, used or too old (403)."""
    return ChinwagError("403", "Token expired", status=403)


async def forgot_password(deps: Deps, email: str) -> None:
    """users.forgotPassword: mail a reset link to the user with this address, if there is one.
    Answers the same, in about the same time, for an address nobody has."""
    if not deps.settings.bool("Accounts_PasswordReset"):
        raise ChinwagError("error-not-allowed", "Password reset is not enabled")
    started = time.monotonic()
    try:
        await _mail_reset_link(deps, email.strip().lower())
    finally:
        await asyncio.sleep(max(0.0, FORGOT_PASSWORD_FLOOR_SECONDS - (time.monotonic() - started)))


async def _mail_reset_link(deps: Deps, email: str) -> None:
    token = random_secret()  # made either way: the two answers cost the same
    now = deps.clock.now()
    async with deps.uow() as uow:
        user = await uow.users.find_by_email(email) if email else None
        if user is None or not user.email:
            return
        # One live link per user, as Meteor keeps one: asking again replaces it.
        await uow.email_tokens.delete_user_tokens(user.id, RESET)
        await uow.email_tokens.insert_token(
            hash_login_token(token), user.id, RESET, user.email, now, now + RESET_LINK_LIFETIME
        )
        mail = mail_templates.reset_password(
            site=deps.settings.str("Site_Name"),
            site_url=deps.settings.str("Site_Url"),
            name=user.name or user.username or user.email,
            url=site_link(deps, "reset-password", token),
            hours=int(RESET_LINK_LIFETIME.total_seconds() // 3600),
        )
        await queue_mail(deps, uow, MailKind.RESET_PASSWORD, user.email, mail)


async def reset_link_valid(deps: Deps, token: str) -> bool:
    """pw.getPolicyReset: whether a reset link is live (it stays unused)."""
    async with deps.reader() as uow:
        record = await uow.email_tokens.find_token(hash_login_token(token), RESET)
    if record is None:
        return False
    return record.expires_at is None or record.expires_at > deps.clock.now()


def new_password_digest(password: object) -> str:
    """The new password as Meteor takes it: a plain string or {digest, algorithm: "sha-256"}."""
    try:
        return presented_digest(password)
    except LoginFailed:
        raise InvalidParams(
            'The new password must be a string or {"digest", "algorithm": "sha-256"}'
        ) from None


async def reset_password(deps: Deps, token: str, new_password: object) -> Session:
    """resetPassword: follow a reset link with a new password. The link is used up; the address
    it was sent to is verified; every session and access token of the user ends; the answer
    is a new login, as Meteor's (an inactive user's password changes, but no login)."""
    if isinstance(new_password, str):
        require_allowed_password(deps, new_password)
    digest = new_password_digest(new_password)
    if not isinstance(new_password, str):
        require_allowed_digest(deps, digest)
    password_hash = await deps.run_cpu(hash_digest, digest.lower(), deps.config.bcrypt_rounds)
    session: Session | None = None
    async with deps.uow() as uow:
        record = await uow.email_tokens.take_token(hash_login_token(token), RESET)
        if record is None:
            raise token_expired()
        # An expired link ends here too, but only after the transaction has removed it.
        if record.expires_at is None or record.expires_at > deps.clock.now():
            user = await _set_new_password(deps, uow, record.user_id, record.email, password_hash)
            session = await _log_in_alone(deps, uow, user)
    if session is None:
        raise token_expired()
    if not session.token:
        raise LoginFailed("error-user-is-not-activated", "User is not activated")
    return session


async def _set_new_password(
    deps: Deps, uow: UnitOfWork, user_id: str, email: str, password_hash: str
) -> User:
    user = await uow.users.find_by_id(user_id)
    if user is None:
        raise token_expired()
    if (user.email or "").lower() != email.lower():
        raise ChinwagError("403", "Token has invalid email address", status=403)
    values = {
        "password_hash": password_hash,
        "email_verified": True,  # the link reached that mailbox
        "require_password_change": False,
        "updated_at": deps.clock.now(),
    }
    await uow.users.update_user(user.id, values)
    await uow.email_tokens.delete_user_tokens(user.id, RESET)
    uow.emit(UserUpdated(user_id=user.id, fields=("password", "verified")))
    refreshed = await uow.users.find_by_id(user.id)
    assert refreshed is not None
    return refreshed


async def _log_in_alone(deps: Deps, uow: UnitOfWork, user: User) -> Session:
    """End every token of the user (access tokens too) and issue one new login, if active.
    A session without a token means the user may not log in."""
    await uow.tokens.delete_every_user_token(user.id)
    if not user.active:
        uow.emit(UserLoggedOut(user_id=user.id))
        return Session(user=user, token="", expires_at=None)
    token, expires = await issue_login_token(deps, uow, user)
    # Every earlier session must leave; the login this answer carries stays.
    uow.emit(UserLoggedOut(user_id=user.id, kept_token_hash=hash_login_token(token)))
    return Session(user=user, token=token, expires_at=expires)
