"""Confirming an address belongs to its user: the mailed link, sending it again, following it."""

from chinwag.actions.auth import Session, issue_login_token
from chinwag.actions.deps import Deps
from chinwag.actions.mail import queue_mail, site_link
from chinwag.domain import mail_templates
from chinwag.domain.errors import ChinwagError, LoginFailed
from chinwag.domain.ids import random_secret
from chinwag.domain.mail import MailKind
from chinwag.domain.models import User
from chinwag.domain.passwords import hash_login_token
from chinwag.events.types import UserUpdated
from chinwag.storage.uow import UnitOfWork

VERIFY = "verify"


def link_expired() -> ChinwagError:
    """Meteor's answer to a verification link that is unknown or already used (403)."""
    return ChinwagError("403", "Verify email link expired", status=403)


async def queue_verification(deps: Deps, uow: UnitOfWork, user: User, email: str) -> None:
    """Mail `email` a link that verifies it, inside the caller's transaction.

    Links do not expire (as Meteor's); each works once, and only while the address is the
    user's."""
    token = random_secret()
    now = deps.clock.now()
    await uow.email_tokens.insert_token(hash_login_token(token), user.id, VERIFY, email, now, None)
    mail = mail_templates.verify_email(
        site=deps.settings.str("Site_Name"),
        site_url=deps.settings.str("Site_Url"),
        name=user.name or user.username or email,
        url=site_link(deps, "verify-email", token),
    )
    await queue_mail(deps, uow, MailKind.VERIFY_EMAIL, email, mail)


async def send_confirmation_email(deps: Deps, to: str) -> bool:
    """users.sendConfirmationEmail / sendConfirmationEmail: mail the link again to an address
    a user has. False when no user has it."""
    email = to.strip().lower()
    if not email:
        return False
    async with deps.uow() as uow:
        user = await uow.users.find_by_email(email)
        if user is None or not user.email:
            return False
        await queue_verification(deps, uow, user, user.email)
    return True


async def verify_email(deps: Deps, token: str) -> User:
    """Follow a verification link: the address it was sent to is verified. Single use."""
    if not token:
        raise link_expired()
    async with deps.uow() as uow:
        record = await uow.email_tokens.take_token(hash_login_token(token), VERIFY)
        user = await uow.users.find_by_id(record.user_id) if record else None
        if record is None or user is None:
            raise link_expired()
        if (user.email or "").lower() != record.email.lower():
            raise ChinwagError("403", "Verify email link is for unknown address", status=403)
        if not user.email_verified:
            await uow.users.update_user(
                user.id, {"email_verified": True, "updated_at": deps.clock.now()}
            )
            uow.emit(UserUpdated(user_id=user.id, fields=("verified",)))
        verified = await uow.users.find_by_id(user.id)
    assert verified is not None
    return verified


async def verify_email_and_log_in(deps: Deps, token: str) -> Session:
    """The verifyEmail method: verify, then log in as the user (Meteor's answer)."""
    user = await verify_email(deps, token)
    if not user.active:
        raise LoginFailed("error-user-is-not-activated", "User is not activated")
    async with deps.uow() as uow:
        login_token, expires = await issue_login_token(deps, uow, user)
    return Session(user=user, token=login_token, expires_at=expires)
