"""Account mail over REST: chinwag.mail.queue (Chinwag's own: what the mail queue holds)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from chinwag.actions.mail import list_mail_queue
from chinwag.domain.mail import MailState, QueuedMail
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing
from chinwag.http.serialize import iso
from chinwag.http.v1 import V1

router = APIRouter(prefix=V1, tags=["email"])


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
