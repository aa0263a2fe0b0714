"""Account mail over REST: users.forgotPassword, users.sendConfirmationEmail,
sendInvitationEmail, and chinwag.mail.queue (Chinwag's own: what the mail queue holds)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.email_verification import send_confirmation_email
from chinwag.actions.invitations import MAX_INVITATIONS, send_invitation_emails
from chinwag.actions.mail import list_mail_queue
from chinwag.actions.password_reset import forgot_password
from chinwag.domain.accounts import MAX_EMAIL
from chinwag.domain.errors import ChinwagError
from chinwag.domain.mail import MailState, QueuedMail
from chinwag.http.auth import CallerDep, DepsDep
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing
from chinwag.http.v1 import V1
from chinwag.serialize.base import iso

router = APIRouter(prefix=V1, tags=["email"])

Address = Annotated[str, Field(min_length=1, max_length=MAX_EMAIL)]


class EmailBody(BaseModel):
    email: Address


@router.post(
    "/users.forgotPassword",
    summary="Mail a password reset link (the same answer whether or not the address is known)",
)
async def users_forgot_password(body: EmailBody, deps: DepsDep) -> Response:
    await forgot_password(deps, body.email)
    return ok()


@router.post("/users.sendConfirmationEmail", summary="Mail an address its verification link again")
async def users_send_confirmation_email(body: EmailBody, caller: CallerDep) -> Response:
    if not await send_confirmation_email(caller.deps, body.email):
        raise ChinwagError("error-invalid-email", f"No user has the email {body.email[:80]}")
    return ok()


class InvitationBody(BaseModel):
    emails: list[Annotated[str, Field(max_length=1000)]] = Field(
        min_length=1, max_length=MAX_INVITATIONS
    )


@router.post(
    "/sendInvitationEmail", summary="Mail addresses a link to sign up (bulk-register-user)"
)
async def send_invitation_email(body: InvitationBody, caller: CallerDep) -> Response:
    await send_invitation_emails(caller.deps, caller.user, body.emails)
    return ok()


def queued_mail(mail: QueuedMail) -> dict[str, Any]:
    return {
        "_id": mail.id,
        "kind": mail.kind.value,
        "to": mail.to,
        "subject": mail.subject,
        "state": mail.state.value,
        "attempts": mail.attempts,
        "lastError": mail.last_error,
        "nextAttemptAt": iso(mail.next_attempt_at) if mail.state == MailState.PENDING else None,
        "createdAt": iso(mail.created_at),
        "_updatedAt": iso(mail.updated_at),
        "sentAt": iso(mail.sent_at),
    }


@router.get(
    "/chinwag.mail.queue",
    summary="Outgoing mail and its delivery state, newest first (view-privileged-setting)",
)
async def chinwag_mail_queue(
    caller: CallerDep,
    page: PageDep,
    state: Annotated[list[MailState] | None, Query()] = None,
) -> Response:
    mails, total = await list_mail_queue(
        caller.deps, caller.user, tuple(state or ()), page.offset, page.count
    )
    return ok(**listing("mails", [queued_mail(m) for m in mails], page, total))
