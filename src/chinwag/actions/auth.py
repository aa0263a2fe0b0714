"""Logging in and out, and turning a presented token into a user."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from chinwag.actions import lockout
from chinwag.actions.deps import Deps
from chinwag.actions.login_history import record_login
from chinwag.actions.two_factor import TwoFactorError, check_login_code
from chinwag.domain.audit import Origin
from chinwag.domain.errors import LoginFailed, Unauthorized
from chinwag.domain.ids import random_secret
from chinwag.domain.models import User
from chinwag.domain.passwords import check_digest, hash_login_token, sha256_hex
from chinwag.events.types import TokenRevoked, UserLoggedOut
from chinwag.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Session:
    user: User
    token: str
    expires_at: object  # datetime; kept loose for the adapters' EJSON/ISO choice


async def issue_login_token(deps: Deps, uow: UnitOfWork, user: User) -> tuple[str, object]:
    token = random_secret()
    now = deps.clock.now()
    expires = now + timedelta(days=deps.settings.int("Accounts_LoginExpiration"))
    await uow.tokens.insert_token(user.id, hash_login_token(token), now, expires)
    await uow.users.update_user(user.id, {"last_login": now})
    return token, expires


async def _find_login_user(uow: UnitOfWork, identity: str, by: str) -> User | None:
    if by == "email" or (by == "auto" and "@" in identity):
        return await uow.users.find_by_email(identity)
    return await uow.users.find_by_username(identity)


def _require_can_log_in(user: User) -> None:
    if not user.active:
        raise LoginFailed("error-user-is-not-activated", "User is not activated")


def _require_verified_email(deps: Deps, user: User) -> None:
    """With Accounts_EmailVerification, a password login needs a verified address (admins
    excepted), as Rocket.Chat's validateLoginAttempt; the reason is its text, untranslated."""
    if not deps.settings.bool("Accounts_EmailVerification") or "admin" in user.roles:
        return
    if not (user.email and user.email_verified):
        raise LoginFailed("error-invalid-email", "Invalid email __email__")


async def login_with_password(
    deps: Deps,
    identity: str,
    by: str,
    digest: str,
    code: str | None = None,
    client_ip: str | None = None,
) -> Session:
    """Log in by username or email and the SHA-256 hex digest of the password; a user with a
    second factor on also needs its `code`. Repeated failures block the user and the address
    for a while (see actions/lockout.py)."""
    await lockout.require_ip_not_blocked(deps, client_ip)
    async with deps.reader() as uow:
        user = await _find_login_user(uow, identity.strip(), by)
        hashed = await uow.users.find_password_hash(user.id) if user else None
    if user is not None:
        await lockout.require_user_not_blocked(deps, user)
    if user is None or hashed is None:
        await lockout.count_failure(deps, user, client_ip)
        raise LoginFailed()
    if not await deps.run_cpu(check_digest, digest.lower(), hashed):
        await lockout.count_failure(deps, user, client_ip)
        raise LoginFailed()
    await lockout.forget_failures(deps, user, client_ip)
    _require_can_log_in(user)
    _require_verified_email(deps, user)
    try:
        await check_login_code(deps, user, code)
    except TwoFactorError as exc:
        raise LoginFailed(exc.code, exc.reason, exc.details) from exc
    async with deps.uow() as uow:
        token, expires = await issue_login_token(deps, uow, user)
    return Session(user=user, token=token, expires_at=expires)


async def login_with_resume(deps: Deps, token: str) -> Session:
    """Log in again with a token a previous login returned (it stays valid)."""
    async with deps.reader() as uow:
        now = deps.clock.now()
        user_id = await uow.tokens.find_token_owner(hash_login_token(token), now, _max_age(deps))
        user = await uow.users.find_by_id(user_id) if user_id else None
    if user is None:
        raise LoginFailed("403", "You've been logged out by the server. Please log in again.")
    _require_can_log_in(user)
    async with deps.uow() as uow:
        await uow.users.update_user(user.id, {"last_login": deps.clock.now()})
    return Session(user=user, token=token, expires_at=None)


def _max_age(deps: Deps) -> timedelta:
    """How old a login token may be: Accounts_LoginExpiration days, as the setting is now."""
    return timedelta(days=deps.settings.int("Accounts_LoginExpiration"))


async def authenticate(deps: Deps, user_id: str, token: str) -> User:
    """The user behind an `X-User-Id` / `X-Auth-Token` pair, or Unauthorized."""
    personal_ok = deps.settings.bool("API_Enable_Personal_Access_Tokens")
    hashed = hash_login_token(token)
    now = deps.clock.now()
    cached = deps.auth_cache.lookup(hashed, user_id, now, personal_ok)
    if cached is not None:
        return cached
    async with deps.reader() as uow:
        found = await uow.tokens.find_live_token(hashed, now, _max_age(deps))
        if found is None or found[0] != user_id or (found[2] and not personal_ok):
            raise Unauthorized()
        user = await uow.users.find_by_id(user_id)
    if user is None or not user.active:
        raise Unauthorized()
    deps.auth_cache.remember(hashed, found, user)
    return user


async def logout(deps: Deps, user: User, token: str) -> None:
    """End the session of the presented token only."""
    async with deps.uow() as uow:
        await uow.tokens.delete_token(hash_login_token(token))
        uow.emit(TokenRevoked(user_id=user.id))


async def end_all_sessions(deps: Deps, uow: UnitOfWork, user_id: str) -> None:
    """Revoke every login token of a user and tell their open sessions to leave."""
    await uow.tokens.delete_user_tokens(user_id)
    uow.emit(UserLoggedOut(user_id=user_id))


async def end_other_sessions(deps: Deps, uow: UnitOfWork, user_id: str, keep_token: str) -> None:
    """Revoke every login token of a user but the presented one; other sessions must leave."""
    kept = hash_login_token(keep_token)
    await uow.tokens.delete_user_tokens(user_id, keep=kept)
    uow.emit(UserLoggedOut(user_id=user_id, kept_token_hash=kept))


def presented_digest(password: object) -> str:
    """A plain password becomes its SHA-256 hex; a `{digest, algorithm:"sha-256"}` passes."""
    if isinstance(password, str) and password:
        return sha256_hex(password)
    if isinstance(password, dict) and password.get("algorithm") == "sha-256":
        digest = password.get("digest")
        if isinstance(digest, str) and digest:
            return digest
    raise LoginFailed()


def presented_identity(request: Mapping[str, object]) -> tuple[str, str]:
    """Who a login names: `user` as a string (an email if it has @) or as {username|email},
    else top-level `username` / `email` (REST clients send those)."""
    user = request.get("user")
    if isinstance(user, str) and user:
        return user, "auto"
    for source in (user if isinstance(user, dict) else {}, request):
        for key in ("username", "email"):
            value = source.get(key)
            if isinstance(value, str) and value:
                return value, key
    raise LoginFailed()


async def log_in(
    deps: Deps,
    request: Mapping[str, object],
    client_ip: str | None = None,
    origin: Origin | None = None,
    via: str = "rest",
) -> tuple[Session, str]:
    """Meteor's login request, over REST or DDP (`via`): a resume token, or who and a
    password. Returns the session and its type ("resume" or "password"). A successful login
    is kept in the login history with its `origin`."""
    request, code = _second_factor(request)
    resume = request.get("resume")
    if isinstance(resume, str) and resume:
        session, kind = await login_with_resume(deps, resume), "resume"
    else:
        identity, by = presented_identity(request)
        digest = presented_digest(request.get("password"))
        session = await login_with_password(deps, identity, by, digest, code, client_ip)
        kind = "password"
    await record_login(deps, session.user.id, origin or Origin(ip=client_ip), f"{via}:{kind}")
    return session, kind


def _second_factor(request: Mapping[str, object]) -> tuple[Mapping[str, object], str | None]:
    """Meteor's `{totp: {login: <the login request>, code}}`: the request and its code."""
    totp = request.get("totp")
    if isinstance(totp, dict) and isinstance(totp.get("login"), dict):
        code = totp.get("code")
        return totp["login"], code if isinstance(code, str) and code else None
    return request, None
