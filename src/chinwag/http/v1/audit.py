"""audit.list, evidence.list / info / export, invites.tree and invites.revokeTree."""

from datetime import UTC, datetime

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.audit import list_audit
from chinwag.actions.evidence import export_bundle, get_bundle, list_bundles
from chinwag.actions.invite_tree import invite_tree, revoke_tree
from chinwag.domain.errors import InvalidParams
from chinwag.http.auth import CallerDep, origin_of
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep
from chinwag.http.v1 import V1
from chinwag.serialize import moderation as shape
from chinwag.storage.audit import AuditFilter

router = APIRouter(prefix=V1, tags=["audit"])

MAX_PAGE = 100


def _date(raw: str | None, name: str) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidParams(f"The '{name}' param must be an ISO 8601 date") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@router.get("/audit.list", summary="The audit trail, newest first (administrators)")
async def audit_list(
    caller: CallerDep,
    page: PageDep,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    flt = AuditFilter(
        actor=actor or None,
        action=action or None,
        target=target or None,
        since=_date(since, "since"),
        until=_date(until, "until"),
    )
    count = min(page.count if page.count is not None else 50, MAX_PAGE)
    entries, total = await list_audit(caller.deps, caller.user, flt, page.offset, count)
    return ok(
        entries=[shape.audit_entry(e) for e in entries],
        count=len(entries),
        offset=page.offset,
        total=total,
    )


@router.get("/evidence.list", summary="Evidence bundles, newest first (administrators)")
async def evidence_list(caller: CallerDep, page: PageDep, request: Request) -> Response:
    count = min(page.count if page.count is not None else 50, MAX_PAGE)
    bundles, total = await list_bundles(
        caller.deps, caller.user, page.offset, count, origin_of(request)
    )
    return ok(
        bundles=[shape.bundle(b) for b in bundles],
        count=len(bundles),
        offset=page.offset,
        total=total,
    )


@router.get("/evidence.info", summary="One evidence bundle and its manifest (administrators)")
async def evidence_info(
    caller: CallerDep, request: Request, bundleId: str = Query(min_length=1)
) -> Response:
    bundle = await get_bundle(caller.deps, caller.user, bundleId, origin_of(request))
    return ok(bundle=shape.bundle(bundle))


@router.get(
    "/evidence.export",
    summary="An evidence bundle as a zip of its files and manifest.json (administrators)",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
async def evidence_export(
    caller: CallerDep, request: Request, bundleId: str = Query(min_length=1)
) -> Response:
    bundle, archive = await export_bundle(caller.deps, caller.user, bundleId, origin_of(request))
    disposition = f'attachment; filename="evidence-{bundle.id}.zip"'
    return Response(
        archive, media_type="application/zip", headers={"Content-Disposition": disposition}
    )


@router.get("/invites.tree", summary="Who invited whom, below a user or from every root")
async def invites_tree(caller: CallerDep, userId: str | None = None) -> Response:
    tree = await invite_tree(caller.deps, caller.user, userId or None)
    return ok(tree=[shape.invite_node(root, tree) for root in tree.roots])


class RevokeTreeBody(BaseModel):
    userId: str = Field(min_length=1)
    reason: str


@router.post(
    "/invites.revokeTree",
    summary="Revoke every invite link below a user and deactivate every account below them",
)
async def invites_revoke_tree(
    body: RevokeTreeBody, caller: CallerDep, request: Request
) -> Response:
    done = await revoke_tree(caller.deps, caller.user, body.userId, body.reason, origin_of(request))
    return ok(
        bundleId=done.takedown.bundle_id,
        auditId=done.takedown.audit_id,
        revokedLinks=done.revoked_links,
        deactivated=done.deactivated,
    )
