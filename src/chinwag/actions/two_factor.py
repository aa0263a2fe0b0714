"""Two-factor authentication as Rocket.Chat has it: the code check guarded calls and logins
go through (its checkCodeForUser), TOTP and email enrolment, backup codes, mailed codes.

A check picks the first method the user has on (TOTP, then email), or the password when a
guarded call allows that fallback; without a code it answers `totp-required` with the method
and what else is available, and the client repeats the call with the code.
"""

from dataclasses import dataclass
from datetime import timedelta

from chinwag.actions.deps import Deps
from chinwag.actions.mail import queue_mail
from chinwag.actions.passwords import password_matches
from chinwag.domain import mail_templates
from chinwag.domain import two_factor as tf
from chinwag.domain.errors import ChinwagError
from chinwag.domain.mail import MailKind
from chinwag.domain.models import User
from chinwag.domain.passwords import hash_login_token
from chinwag.events.types import UserLoggedOut, UserUpdated
from chinwag.storage.uow import UnitOfWork

SETTING = "Accounts_TwoFactorAuthentication_"


class TwoFactorError(ChinwagError):
    """totp-required / totp-invalid / totp-max-attempts, with Rocket.Chat's details."""

    def __init__(self, code: str, reason: str, details: dict[str, object]) -> None:
        super().__init__(code=code, reason=reason, details=details)


@dataclass(frozen=True)
class TwoFactorInput:
    """What a caller presented: a code and method (the x-2fa-* headers, a login's `code`),
    the login token it called with, and which client it is (for remembering)."""

    code: str | None = None
    method: str | None = None
    token: str | None = None
    client: str | None = None


@dataclass(frozen=True)
class TwoFactorOptions:
    disable_password_fallback: bool = False
    disable_remember_me: bool = False
    require_second_factor: bool = False


LOGIN = TwoFactorOptions(disable_password_fallback=True, disable_remember_me=True)
GUARDED = TwoFactorOptions()
NO_REMEMBER = TwoFactorOptions(disable_remember_me=True)
# Changing one's own email or password: always a second factor, never remembered.
SENSITIVE = TwoFactorOptions(require_second_factor=True)


# Which methods a user has -------------------------------------------------------------------


def _mail_configured(deps: Deps) -> bool:
    return bool(deps.settings.str("SMTP_Host").strip())


def totp_on(deps: Deps, user: User) -> bool:
    return deps.settings.bool(f"{SETTING}By_TOTP_Enabled") and user.totp_enabled


def email_on(deps: Deps, user: User) -> bool:
    """Codes by mail need a verified address and, unlike Rocket.Chat, a configured mail
    server: a code that cannot leave the queue would lock the user out."""
    return (
        deps.settings.bool(f"{SETTING}By_Email_Enabled")
        and user.email2fa_enabled
        and bool(user.email)
        and user.email_verified
        and _mail_configured(deps)
    )


def available_methods(deps: Deps, user: User) -> list[str]:
    methods = [tf.TOTP] if totp_on(deps, user) else []
    return methods + ([tf.EMAIL] if email_on(deps, user) else [])


def _select_method(
    deps: Deps, user: User, named: str | None, options: TwoFactorOptions
) -> str | None:
    enabled = deps.settings.bool(f"{SETTING}Enabled")
    available = available_methods(deps, user) if enabled else []
    if named in available:
        return named
    if available:
        return available[0]
    if not user.has_password:
        return None  # nothing to confirm with
    if options.require_second_factor:
        return tf.PASSWORD
    fallback = deps.settings.bool(f"{SETTING}Enforce_Password_Fallback")
    if enabled and fallback and not options.disable_password_fallback:
        return tf.PASSWORD
    return None


# The check ------------------------------------------------------------------------------------


async def check_code(
    deps: Deps, user: User, given: TwoFactorInput, options: TwoFactorOptions = GUARDED
) -> None:
    """Rocket.Chat's checkCodeForUser: return if the caller may go on, else raise
    totp-required (no code), totp-invalid or totp-max-attempts."""
    if given.token and await _authorised_by_token(deps, user, given, options):
        return
    method = _select_method(deps, user, given.method, options)
    if method is None:
        return
    data = await _prepare(deps, user, method)
    details: dict[str, object] = {
        "method": method,
        **data,
        "availableMethods": available_methods(deps, user),
    }
    if not given.code:
        raise TwoFactorError("totp-required", "TOTP Required", details)
    if not await _verify(deps, user, method, given.code):
        if method == tf.EMAIL and await _email_attempts_exhausted(deps, user):
            raise TwoFactorError(
                "totp-max-attempts", "TOTP Maximun Failed Attempts Reached", details
            )
        raise TwoFactorError("totp-invalid", "TOTP Invalid", details)
    if not options.disable_remember_me and given.token and given.client:
        await _remember(deps, user, given.token, given.client)


async def check_login_code(deps: Deps, user: User, code: str | None) -> None:
    """The second step of a password login: only TOTP and email codes count (a password
    was just given), and nothing is remembered."""
    await check_code(deps, user, TwoFactorInput(code=code), LOGIN)


def _remember_for(deps: Deps) -> timedelta | None:
    seconds = deps.settings.int(f"{SETTING}RememberFor")
    return timedelta(seconds=seconds) if seconds > 0 else None


async def _authorised_by_token(
    deps: Deps, user: User, given: TwoFactorInput, options: TwoFactorOptions
) -> bool:
    """A personal access token made to bypass 2FA; a new account; or a second factor
    checked on this token from this client lately (Accounts_TwoFactorAuthentication_RememberFor)."""
    if options.require_second_factor or not given.token:
        return False
    async with deps.reader() as uow:
        grant = await uow.two_factor.find_token_grant(user.id, hash_login_token(given.token))
    if grant is None:
        return False
    bypass, until, client = grant
    if bypass:
        return True
    remember_for = _remember_for(deps)
    if options.disable_remember_me or remember_for is None:
        return False
    now = deps.clock.now()
    if user.created_at + remember_for >= now:
        return True  # Rocket.Chat remembers a user right after their registration
    return until is not None and until > now and client == given.client


async def _remember(deps: Deps, user: User, token: str, client: str) -> None:
    remember_for = _remember_for(deps)
    if remember_for is None:
        return
    until = deps.clock.now() + remember_for
    async with deps.uow() as uow:
        await uow.two_factor.remember_on_token(user.id, hash_login_token(token), until, client)


async def _prepare(deps: Deps, user: User, method: str) -> dict[str, object]:
    """What the challenge says besides the method; for email, mail a code if none is live."""
    if method != tf.EMAIL:
        return {"codeGenerated": False}
    who = user.username or user.email or ""
    now = deps.clock.now()
    async with deps.uow() as uow:
        held = await uow.two_factor.get_secrets(user.id, for_update=True)
        expires = held.email_code_expires_at
        live = held.email_code_hash is not None and expires is not None and expires > now
        if live and held.email_code_attempts < _max_email_attempts(deps):
            return {"emailOrUsername": who, "codeGenerated": False, "codeExpires": expires}
        await _mail_code(deps, uow, user)
    return {"codeGenerated": True, "emailOrUsername": who}


def _max_email_attempts(deps: Deps) -> int:
    return deps.settings.int(f"{SETTING}Max_Invalid_Email_Code_Attempts")


async def _mail_code(deps: Deps, uow: UnitOfWork, user: User) -> None:
    """A new 6-digit code replaces any earlier one, and goes out through the mail queue."""
    assert user.email
    code = tf.new_email_code()
    lifetime = deps.settings.int(f"{SETTING}By_Email_Code_Expiration")
    await uow.two_factor.update_secrets(
        user.id,
        {
            "email_code_hash": tf.hash_email_code(user.id, code),
            "email_code_expires_at": deps.clock.now() + timedelta(seconds=max(60, lifetime)),
            "email_code_attempts": 0,
        },
    )
    mail = mail_templates.two_factor_code(
        site=deps.settings.str("Site_Name"),
        site_url=deps.settings.str("Site_Url"),
        code=tf.display_email_code(code),
    )
    await queue_mail(deps, uow, MailKind.TWO_FACTOR_CODE, user.email, mail)


async def _verify(deps: Deps, user: User, method: str, code: str) -> bool:
    if method == tf.PASSWORD:
        return await password_matches(deps, user.id, code)
    if method == tf.TOTP:
        return await _verify_totp(deps, user, code)
    return await _verify_email_code(deps, user, code)


async def _verify_totp(deps: Deps, user: User, code: str, temp: bool = False) -> bool:
    """An app code; or, for an enrolled secret, an unused backup code (used up by this)."""
    async with deps.uow() as uow:
        held = await uow.two_factor.get_secrets(user.id, for_update=True)
        secret = held.totp_temp_secret if temp else held.totp_secret
        if secret is None:
            return False
        if not temp and tf.is_backup_code_shape(code) and held.backup_codes:
            left = tf.remaining_after_backup(held.backup_codes, code)
            if left is None:
                return False
            await uow.two_factor.update_secrets(user.id, {"backup_codes": left})
            return True
    max_delta = deps.settings.int(f"{SETTING}MaxDelta")
    return tf.totp_matches(secret, code, deps.clock.now(), max_delta)


async def _verify_email_code(deps: Deps, user: User, code: str) -> bool:
    async with deps.uow() as uow:
        held = await uow.two_factor.get_secrets(user.id, for_update=True)
        expires = held.email_code_expires_at
        if held.email_code_hash is None or expires is None or expires <= deps.clock.now():
            return False
        if held.email_code_attempts >= _max_email_attempts(deps):
            return False
        if tf.email_code_matches(user.id, held.email_code_hash, code):
            cleared = {"email_code_hash": None, "email_code_expires_at": None}
            await uow.two_factor.update_secrets(user.id, {**cleared, "email_code_attempts": 0})
            return True
        await uow.two_factor.update_secrets(
            user.id, {"email_code_attempts": held.email_code_attempts + 1}
        )
    return False


async def _email_attempts_exhausted(deps: Deps, user: User) -> bool:
    async with deps.reader() as uow:
        held = await uow.two_factor.get_secrets(user.id)
    return held.email_code_attempts >= _max_email_attempts(deps)


# Enrolment ------------------------------------------------------------------------------------


def _invalid_totp() -> ChinwagError:
    return ChinwagError("invalid-totp")


async def _changed(deps: Deps, uow: UnitOfWork, user: User, values: dict[str, bool]) -> None:
    await uow.two_factor.set_methods(user.id, values, deps.clock.now())
    uow.emit(UserUpdated(user_id=user.id, fields=("services",)))


async def _end_other_login_sessions(uow: UnitOfWork, user: User, token: str | None) -> None:
    """Turning a second factor on logs out every other login (access tokens stay)."""
    if not token:
        return
    kept = hash_login_token(token)
    await uow.tokens.delete_user_tokens(user.id, keep=kept)
    uow.emit(UserLoggedOut(user_id=user.id, kept_token_hash=kept))


async def enable_totp(deps: Deps, user: User) -> tf.Enrolment:
    """2fa:enable: a new secret to scan, kept aside until 2fa:validateTempToken confirms it."""
    if not user.username:
        raise ChinwagError("error-invalid-user", "Invalid user", details={"method": "2fa:enable"})
    if user.totp_enabled:
        raise ChinwagError("error-2fa-already-enabled")
    secret = tf.new_totp_secret()
    async with deps.uow() as uow:
        await uow.two_factor.update_secrets(user.id, {"totp_temp_secret": secret})
    return tf.enrolment(secret, user.username, deps.settings.str("Site_Name"))


async def validate_temp_token(deps: Deps, user: User, code: str, token: str | None) -> list[str]:
    """2fa:validateTempToken: the app's first code turns TOTP on; answers 12 backup codes."""
    if not await _verify_totp(deps, user, code, temp=True):
        raise _invalid_totp()
    codes, hashes = tf.new_backup_codes()
    async with deps.uow() as uow:
        held = await uow.two_factor.get_secrets(user.id, for_update=True)
        if held.totp_temp_secret is None:
            raise _invalid_totp()  # a concurrent validation took it
        values = {"totp_secret": held.totp_temp_secret, "totp_temp_secret": None}
        await uow.two_factor.update_secrets(user.id, {**values, "backup_codes": hashes})
        await _changed(deps, uow, user, {"totp_enabled": True})
        await _end_other_login_sessions(uow, user, token)
    return codes


async def disable_totp(deps: Deps, user: User, code: str) -> bool:
    """2fa:disable: with a current app code or a backup code; False otherwise."""
    if not user.totp_enabled or not await _verify_totp(deps, user, code):
        return False
    async with deps.uow() as uow:
        cleared = {"totp_secret": None, "totp_temp_secret": None, "backup_codes": ()}
        await uow.two_factor.update_secrets(user.id, cleared)
        await _changed(deps, uow, user, {"totp_enabled": False})
    return True


async def regenerate_codes(deps: Deps, user: User, code: str) -> list[str] | None:
    """2fa:regenerateCodes: twelve new backup codes replace the old; None for a wrong code."""
    if not user.totp_enabled:
        raise _invalid_totp()
    if not await _verify_totp(deps, user, code):
        return None
    codes, hashes = tf.new_backup_codes()
    async with deps.uow() as uow:
        await uow.two_factor.update_secrets(user.id, {"backup_codes": hashes})
    return codes


async def codes_remaining(deps: Deps, user: User) -> int:
    """2fa:checkCodesRemaining: how many backup codes are left unused."""
    if not user.totp_enabled:
        raise _invalid_totp()
    async with deps.reader() as uow:
        return len((await uow.two_factor.get_secrets(user.id)).backup_codes)


async def enable_email(deps: Deps, user: User, token: str | None) -> None:
    """users.2fa.enableEmail: codes by mail, for a user whose address is verified."""
    if user.email and not user.email_verified:
        raise ChinwagError(
            "error-invalid-user", "You need to verify your emails before setting up 2FA"
        )
    async with deps.uow() as uow:
        await _changed(deps, uow, user, {"email2fa_enabled": True})
        await _end_other_login_sessions(uow, user, token)


async def disable_email(deps: Deps, user: User, given: TwoFactorInput) -> None:
    """users.2fa.disableEmail: needs a second factor, never a remembered one."""
    await check_code(deps, user, given, NO_REMEMBER)
    async with deps.uow() as uow:
        await _changed(deps, uow, user, {"email2fa_enabled": False})


async def send_email_code(deps: Deps, caller: User | None, email_or_username: str) -> None:
    """users.2fa.sendEmailCode: mail a fresh code to the caller, or to the user named (the
    same answer whether or not that user exists)."""
    wanted = email_or_username.strip()
    if not wanted:
        raise ChinwagError("error-parameter-required", "emailOrUsername is required")
    async with deps.uow() as uow:
        user = caller
        if user is None:
            by_email = "@" in wanted
            find = uow.users.find_by_email if by_email else uow.users.find_by_username
            user = await find(wanted.lower() if by_email else wanted)
        if user is None or not email_on(deps, user):
            return
        await _mail_code(deps, uow, user)
