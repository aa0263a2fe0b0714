"""Personal access tokens, tokens issued for other users, and ending one's other sessions."""

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from chinwag.actions.access import can
from chinwag.actions.auth import end_other_sessions
from chinwag.actions.deps import Deps
from chinwag.actions.two_factor import TwoFactorInput, check_code
from chinwag.actions.users import UserSelector, find_user
from chinwag.domain.errors import ChinwagError, Forbidden, InvalidParams
from chinwag.domain.ids import random_secret
from chinwag.domain.models import PersonalAccessToken, User
from chinwag.domain.passwords import hash_login_token
from chinwag.events.types import TokenRevoked

MAX_TOKEN_NAME = 200


def _require_pat_permission(deps: Deps, actor: User) -> None:
    if not can(deps, actor, "create-personal-access-tokens"):
        raise Forbidden("Not Authorized", "not-authorized")


def _require_pats_enabled(deps: Deps) -> None:
    if not deps.settings.bool("API_Enable_Personal_Access_Tokens"):
        raise ChinwagError(
            "error-personal-access-tokens-are-current-disabled",
            "Personal Access Tokens are currently disabled",
        )


def _check_name(name: str) -> str:
    if not name or not name.strip():
        raise InvalidParams("The 'tokenName' param is required")
    if len(name) > MAX_TOKEN_NAME:
        raise InvalidParams(f"The 'tokenName' param must be at most {MAX_TOKEN_NAME} characters")
    return name


async def _second_factor(deps: Deps, actor: User, given: TwoFactorInput | None) -> None:
    """Rocket.Chat guards every change to personal access tokens with a second factor."""
    if given is not None:
        await check_code(deps, actor, given)


def _already_exists() -> ChinwagError:
    return ChinwagError("error-token-already-exists", "A token with this name already exists")


def _does_not_exist() -> ChinwagError:
    return ChinwagError("error-token-does-not-exists", "Token does not exist")


async def generate_personal_token(
    deps: Deps,
    actor: User,
    name: str,
    bypass_two_factor: bool = False,
    two_factor: TwoFactorInput | None = None,
) -> str:
    """users.generatePersonalAccessToken: a named token that never expires, shown this once.
    A guarded call: it needs a second factor (or the password as fallback)."""
    _require_pats_enabled(deps)
    _require_pat_permission(deps, actor)
    name = _check_name(name)
    await _second_factor(deps, actor, two_factor)
    token = random_secret()
    async with deps.uow() as uow:
        if await uow.tokens.find_personal_token(actor.id, name) is not None:
            raise _already_exists()
        stored = await uow.tokens.insert_personal_token(
            actor.id,
            hash_login_token(token),
            deps.clock.now(),
            name=name,
            last_token_part=token[-6:],
            bypass_two_factor=bypass_two_factor,
        )
        if not stored:
            raise _already_exists()  # a concurrent request won the name
    return token


async def regenerate_personal_token(
    deps: Deps, actor: User, name: str, two_factor: TwoFactorInput | None = None
) -> str:
    """users.regeneratePersonalAccessToken: replace a token, keeping its name and 2FA choice."""
    _require_pats_enabled(deps)
    _require_pat_permission(deps, actor)
    name = _check_name(name)
    await _second_factor(deps, actor, two_factor)
    token = random_secret()
    async with deps.uow() as uow:
        old = await uow.tokens.find_personal_token(actor.id, name)
        if old is None:
            raise _does_not_exist()
        await uow.tokens.delete_personal_token(actor.id, name)
        uow.emit(TokenRevoked(user_id=actor.id))
        await uow.tokens.insert_token(
            actor.id,
            hash_login_token(token),
            deps.clock.now(),
            None,
            name=name,
            last_token_part=token[-6:],
            bypass_two_factor=old.bypass_two_factor,
        )
    return token


async def list_personal_tokens(deps: Deps, actor: User) -> list[PersonalAccessToken]:
    _require_pat_permission(deps, actor)
    async with deps.reader() as uow:
        return await uow.tokens.list_personal_tokens(actor.id)


async def remove_personal_token(
    deps: Deps, actor: User, name: str, two_factor: TwoFactorInput | None = None
) -> None:
    _require_pat_permission(deps, actor)
    name = _check_name(name)
    await _second_factor(deps, actor, two_factor)
    async with deps.uow() as uow:
        if not await uow.tokens.delete_personal_token(actor.id, name):
            raise _does_not_exist()
        uow.emit(TokenRevoked(user_id=actor.id))


def _secret_accepted(configured: str | None, presented: str) -> bool:
    """Without a configured secret the endpoint is off (Rocket.Chat would accept a missing one)."""
    if not configured:
        return False
    return hmac.compare_digest(configured.encode(), presented.encode())


async def create_token(
    deps: Deps, actor: User, selector: UserSelector, secret: str
) -> tuple[str, str]:
    """users.createToken: a login token for any user, for callers holding the server secret
    (CREATE_TOKENS_FOR_USERS_SECRET). Returns the user's id and the token."""
    if not _secret_accepted(deps.config.create_tokens_secret, secret):
        raise ChinwagError("error-not-authorized", "Not authorized")
    token = random_secret()
    now = deps.clock.now()
    expires = now + timedelta(days=deps.settings.int("Accounts_LoginExpiration"))
    async with deps.uow() as uow:
        user = await find_user(uow, selector)
        if not user.active:
            raise ChinwagError("error-user-is-not-activated", "User is not activated")
        await uow.tokens.insert_token(user.id, hash_login_token(token), now, expires)
    return user.id, token


@dataclass(frozen=True)
class KeptSession:
    token: str
    expires_at: datetime | None  # None for a personal access token, which never expires


async def logout_other_clients(deps: Deps, actor: User, token: str) -> KeptSession:
    """users.logoutOtherClients / users.removeOtherTokens: end every other login session."""
    async with deps.uow() as uow:
        await end_other_sessions(deps, uow, actor.id, token)
        expires = await uow.tokens.find_token_expiry(actor.id, hash_login_token(token))
    return KeptSession(token=token, expires_at=expires)
