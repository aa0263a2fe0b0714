"""Security notices for operators: risky setting combinations, logged at start and shown to
administrators as Rocket.Chat banners."""

from dataclasses import dataclass

import structlog

from chinwag.actions.access import can
from chinwag.actions.deps import Deps
from chinwag.domain.models import User

log = structlog.get_logger(__name__)

# Who sees the notices: those who can change the settings they are about.
NOTICE_PERMISSION = "edit-privileged-setting"


@dataclass(frozen=True)
class Notice:
    id: str
    title: str
    text: str


OPEN_REGISTRATION = Notice(
    id="chinwag-open-registration",
    title="Anyone can sign up",
    text=(
        "Registration is public (Accounts_RegistrationForm = Public) with neither email "
        "verification (Accounts_EmailVerification) nor manual approval "
        "(Accounts_ManuallyApproveNewUsers): anyone who finds this server can create "
        "accounts in bulk. Switch registration to Secret URL (invite links), or turn on "
        "verification or approval."
    ),
)


def security_notices(deps: Deps) -> list[Notice]:
    """The notices the settings call for right now."""
    s = deps.settings
    found = []
    unchecked = not (
        s.bool("Accounts_EmailVerification") or s.bool("Accounts_ManuallyApproveNewUsers")
    )
    if s.str("Accounts_RegistrationForm") == "Public" and unchecked:
        found.append(OPEN_REGISTRATION)
    return found


def notices_for(deps: Deps, user: User) -> list[Notice]:
    """What an administrator is shown; others see none."""
    return security_notices(deps) if can(deps, user, NOTICE_PERMISSION) else []


def log_security_notices(deps: Deps) -> None:
    """At start: one warning per notice, for whoever reads the server's log."""
    for notice in security_notices(deps):
        log.warning(notice.title.lower(), notice=notice.id, detail=notice.text)
