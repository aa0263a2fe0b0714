"""Self sign-up (users.register) under the workspace's registration policy."""

import hmac
from dataclasses import dataclass

from chinwag.actions.accounts import NewUser, first_admin_needed, hash_password, insert_user
from chinwag.actions.deps import Deps
from chinwag.actions.email_verification import queue_verification
from chinwag.actions.invite_watch import watch_invite_joins
from chinwag.actions.invites import live_invite, redeem_invite
from chinwag.actions.passwords import require_allowed_password
from chinwag.actions.signup_bursts import hold_for_approval
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.domain.models import Invite, Room, User
from chinwag.domain.networks import email_domain, network_of
from chinwag.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Registration:
    username: str
    email: str
    password: str
    name: str
    secret_url: str | None = None
    reason: str | None = None
    client_ip: str | None = None  # for the daily sign-up limit and the burst detectors


def _registration_closed() -> ChinwagError:
    return ChinwagError("error-user-registration-disabled", "User registration is disabled")


def _secret_refused() -> ChinwagError:
    return ChinwagError(
        "error-user-registration-secret", "User registration is only allowed via Secret URL"
    )


def _is_workspace_secret(deps: Deps, presented: str) -> bool:
    secret = deps.settings.str("Accounts_RegistrationForm_SecretURL")
    return bool(secret) and hmac.compare_digest(presented.encode(), secret.encode())


def _mode(deps: Deps, first_account: bool) -> str:
    """Accounts_RegistrationForm; while no admin exists, invite-only ("Secret URL") lets the
    first account in, so a new workspace can make its admin."""
    mode = deps.settings.str("Accounts_RegistrationForm")
    return "Public" if first_account and mode == "Secret URL" else mode


def _require_open(deps: Deps, form: Registration, first_account: bool) -> None:
    """The checks that need no password hash, made before paying for one."""
    mode = _mode(deps, first_account)
    if mode == "Disabled":
        raise _registration_closed()
    if mode == "Secret URL" and not form.secret_url:
        raise _secret_refused()


async def _policy_invite(
    deps: Deps, uow: UnitOfWork, form: Registration
) -> tuple[Invite, Room] | None:
    """Check the registration form setting; a live invite token doubles as the secret URL."""
    first_account = await first_admin_needed(uow)
    _require_open(deps, form, first_account)
    mode = _mode(deps, first_account)
    if not form.secret_url:
        return None
    if mode == "Secret URL" and _is_workspace_secret(deps, form.secret_url):
        return None
    try:
        return await live_invite(deps, uow, form.secret_url)
    except ChinwagError as refused:
        if refused.code == "error-invite-paused":
            raise  # say why: the link is real, but resting
        if mode == "Secret URL":
            raise _secret_refused() from None
        return None  # a stale link on an open server is not a reason to refuse


async def register_user(deps: Deps, form: Registration) -> User:
    """Create a self-registered account; through an invite it also joins the invite's room."""
    if not form.password:
        raise InvalidParams("The 'pass' param is required")
    if not form.name and deps.settings.bool("Accounts_RequireNameForSignUp"):
        raise InvalidParams("The 'name' param is required")
    async with deps.reader() as uow:
        _require_open(deps, form, await first_admin_needed(uow))
    await _require_under_daily_limit(deps, form.client_ip)
    require_allowed_password(deps, form.password)
    password_hash = await hash_password(deps, form.password)
    email = form.email.strip().lower()
    network = network_of(form.client_ip)
    held = await hold_for_approval(deps, network, email_domain(email))
    approve = held or deps.settings.bool("Accounts_ManuallyApproveNewUsers")
    reason = (form.reason or "").strip() or None
    async with deps.uow() as uow:
        invited = await _policy_invite(deps, uow, form)
        user = await insert_user(
            deps,
            uow,
            NewUser(
                username=form.username,
                name=form.name,
                email=email,
                active=not approve,
                reason=reason if approve else None,
                invite_token=invited[0].id if invited else None,
                invited_by=invited[0].creator_id if invited else None,
                signup_network=network,
            ),
            password_hash,
        )
        joined = invited is not None and await redeem_invite(
            deps, uow, invited[0], invited[1], user, registered=True
        )
        if deps.settings.bool("Accounts_EmailVerification") and user.email:
            await queue_verification(deps, uow, user, user.email)
    if joined and invited is not None:
        await watch_invite_joins(deps, invited[0])
    if form.client_ip:
        await deps.limits.hit(_signups_key(form.client_ip), 1 << 30, DAY_MS)
    return user


DAY_MS = 86_400_000


def _signups_key(client_ip: str) -> str:
    return f"signups:{client_ip}"


async def _require_under_daily_limit(deps: Deps, client_ip: str | None) -> None:
    """At most Accounts_Registration_Per_IP_Per_Day accounts from one address a day
    (0 turns it off): a burst of sign-ups from one network stops here."""
    limit = deps.settings.int("Accounts_Registration_Per_IP_Per_Day")
    if not client_ip or limit <= 0:
        return
    if await deps.limits.count(_signups_key(client_ip)) >= limit:
        raise ChinwagError(
            "error-too-many-requests",
            "Too many accounts were created from this address today; try again tomorrow",
            status=429,
        )
