"""Sign-up bursts: when registrations per minute, overall or from one network or one email
domain, pass their thresholds, registration holds new accounts for approval (as
Accounts_ManuallyApproveNewUsers does) for a cool-down, and the administrators hear of it."""

from dataclasses import dataclass
from datetime import timedelta

from chinwag.actions.access import require_permission
from chinwag.actions.alerts import alert_admins, record_moderation_event
from chinwag.actions.deps import Deps
from chinwag.domain.ids import random_id
from chinwag.domain.models import SignupBurst, User

PER_MINUTE = "Accounts_Signup_Burst_Per_Minute"
PER_NETWORK = "Accounts_Signup_Burst_Per_Network_Per_Minute"
PER_DOMAIN = "Accounts_Signup_Burst_Per_Domain_Per_Minute"
COOLDOWN = "Accounts_Signup_Burst_Cooldown_Minutes"
MINUTE_MS = 60_000
VIEW = "view-moderation-console"
MODERATE = "manage-moderation-actions"


@dataclass(frozen=True)
class SignupStatus:
    burst: SignupBurst | None  # the spell in force, if any
    manual_approval: bool  # Accounts_ManuallyApproveNewUsers, which holds every sign-up
    thresholds: dict[str, int]


def _watches(deps: Deps, network: str | None, domain: str | None) -> list[tuple[str, int, str]]:
    """(counter key, per-minute threshold, what it means) for each detector that is on."""
    found = []
    if (limit := deps.settings.int(PER_MINUTE)) > 0:
        found.append(("signup-burst:all", limit, "sign-ups"))
    if network and (limit := deps.settings.int(PER_NETWORK)) > 0:
        found.append((f"signup-burst:net:{network}", limit, f"sign-ups from {network}"))
    if domain and (limit := deps.settings.int(PER_DOMAIN)) > 0:
        found.append((f"signup-burst:domain:{domain}", limit, f"sign-ups with @{domain} addresses"))
    return found


async def _count_signup(deps: Deps, network: str | None, domain: str | None) -> str | None:
    """Count one sign-up under every detector; why it makes a burst, or None."""
    tripped = None
    for key, limit, what in _watches(deps, network, domain):
        verdict = await deps.limits.hit(key, limit, MINUTE_MS)
        if not verdict.allowed and tripped is None:
            tripped = f"more than {limit} {what} in a minute"
    return tripped


async def hold_for_approval(deps: Deps, network: str | None, domain: str | None) -> bool:
    """Count a sign-up about to be made: whether it waits for approval because a burst is on,
    or starts with it."""
    tripped = await _count_signup(deps, network, domain)
    now = deps.clock.now()
    if tripped is None:
        async with deps.reader() as uow:
            return await uow.signup_bursts.find_active_burst(now) is not None
    ends_at = now + timedelta(minutes=max(deps.settings.int(COOLDOWN), 1))
    async with deps.uow() as uow:
        if await uow.signup_bursts.find_active_burst(now) is not None:
            await uow.signup_bursts.extend_bursts(now, ends_at)  # still going: cool down later
            return True
        burst = SignupBurst(id=random_id(), started_at=now, ends_at=ends_at, reason=tripped)
        await uow.signup_bursts.insert_burst(burst)
    record_moderation_event(None, "signup-burst-started", "registration", burst.id, reason=tripped)
    await alert_admins(
        deps,
        f"Sign-up burst: {tripped}. New accounts wait for approval until "
        f"{ends_at:%Y-%m-%d %H:%M} UTC (longer if it goes on); end it sooner with "
        "moderation.endSignupBurst.",
    )
    return True


async def signup_status(deps: Deps, actor: User) -> SignupStatus:
    """moderation.signupStatus: whether registration is holding sign-ups, why and until when."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        burst = await uow.signup_bursts.find_active_burst(deps.clock.now())
    thresholds = {
        "perMinute": deps.settings.int(PER_MINUTE),
        "perNetworkPerMinute": deps.settings.int(PER_NETWORK),
        "perDomainPerMinute": deps.settings.int(PER_DOMAIN),
        "cooldownMinutes": deps.settings.int(COOLDOWN),
    }
    manual = deps.settings.bool("Accounts_ManuallyApproveNewUsers")
    return SignupStatus(burst=burst, manual_approval=manual, thresholds=thresholds)


async def end_signup_burst(deps: Deps, actor: User) -> SignupStatus:
    """moderation.endSignupBurst: registration stops holding sign-ups now. Ending none is not
    an error."""
    require_permission(deps, actor, MODERATE)
    async with deps.uow() as uow:
        ended = await uow.signup_bursts.end_bursts(deps.clock.now(), actor.id)
    # Start the overall count afresh, or the next sign-up would trip it again at once.
    await deps.limits.clear("signup-burst:all")
    if ended:
        record_moderation_event(actor.id, "signup-burst-ended", "registration", "signup-burst")
        await alert_admins(deps, f"Sign-up burst ended by @{actor.username}: sign-ups open again.")
    return await signup_status(deps, actor)
