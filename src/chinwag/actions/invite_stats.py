"""What one invite link brought in: joins per day, the accounts, their email domains and the
networks they signed up from. For user administrators."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from chinwag.actions.access import require_permission
from chinwag.actions.deps import Deps
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Invite, User
from chinwag.domain.networks import email_domain


@dataclass(frozen=True)
class InvitedAccount:
    id: str
    username: str | None
    email: str | None
    email_verified: bool
    created_at: datetime
    joined_at: datetime
    network: str | None  # None for accounts that joined through the link after signing up


@dataclass(frozen=True)
class InviteStats:
    invite: Invite
    joins: list[tuple[date, int]]  # per UTC day, oldest first
    accounts: list[InvitedAccount]
    domains: list[tuple[str, int]]  # most first
    networks: list[tuple[str, int]]


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


async def invite_stats(deps: Deps, actor: User, invite_id: str) -> InviteStats:
    """invites.stats: one live (or paused) link's joins, accounts, domains and networks."""
    require_permission(deps, actor, "view-user-administration")
    async with deps.reader() as uow:
        invite = await uow.invites.find_invite(invite_id)
        if invite is None:
            raise ChinwagError("invalid-invitation-id", "Invalid Invitation _id")
        rows = await uow.invites.list_invite_accounts(invite_id)
    accounts = [
        InvitedAccount(
            id=uid,
            username=username,
            email=email,
            email_verified=verified,
            created_at=created,
            joined_at=joined,
            network=network,
        )
        for uid, username, email, verified, created, network, joined in rows
    ]
    per_day = Counter(a.joined_at.date() for a in accounts)
    domains = Counter(d for a in accounts if (d := email_domain(a.email)))
    networks = Counter(a.network for a in accounts if a.network)
    return InviteStats(
        invite=invite,
        joins=sorted(per_day.items()),
        accounts=accounts,
        domains=_ranked(domains),
        networks=_ranked(networks),
    )
