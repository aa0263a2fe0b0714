"""sendInvitationEmail: mail people a link to sign up to this workspace."""

from chinwag.actions.access import can
from chinwag.actions.deps import Deps
from chinwag.actions.mail import queue_mail, site_link
from chinwag.domain import mail_templates
from chinwag.domain.accounts import EMAIL, MAX_EMAIL
from chinwag.domain.errors import ChinwagError, Forbidden, InvalidParams
from chinwag.domain.mail import MailKind
from chinwag.domain.models import User

MAX_INVITATIONS = 100  # addresses per call


def registration_link(deps: Deps) -> str:
    """Where a newcomer signs up: the secret registration URL when the form is behind one."""
    if deps.settings.str("Accounts_RegistrationForm") == "Secret URL":
        secret = deps.settings.str("Accounts_RegistrationForm_SecretURL")
        if secret:
            return site_link(deps, "register", secret)
    return site_link(deps, "register")


def _valid_addresses(emails: list[str]) -> list[str]:
    chosen: dict[str, None] = {}
    for raw in emails:
        email = raw.strip().lower()
        if len(email) <= MAX_EMAIL and EMAIL.match(email):
            chosen.setdefault(email)
    return list(chosen)


async def send_invitation_emails(deps: Deps, actor: User, emails: list[str]) -> list[str]:
    """Queue an invitation to each well-formed address (others are skipped, as Rocket.Chat
    does); returns the addresses invited. Needs bulk-register-user."""
    if not can(deps, actor, "bulk-register-user"):
        raise Forbidden("Not allowed", "error-not-allowed")
    if len(emails) > MAX_INVITATIONS:
        raise InvalidParams(f"At most {MAX_INVITATIONS} addresses at a time")
    if deps.settings.str("Accounts_RegistrationForm") == "Disabled":
        raise ChinwagError("error-user-registration-disabled", "User registration is disabled")
    addresses = _valid_addresses(emails)
    if not addresses:
        raise ChinwagError("error-email-send-failed", "No valid email addresses")
    mail = mail_templates.invitation(
        site=deps.settings.str("Site_Name"),
        site_url=deps.settings.str("Site_Url"),
        url=registration_link(deps),
    )
    async with deps.uow() as uow:
        for address in addresses:
            await queue_mail(deps, uow, MailKind.INVITATION, address, mail)
    return addresses
