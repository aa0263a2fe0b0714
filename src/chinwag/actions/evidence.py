"""Evidence bundles: gathered before a takedown in its transaction, kept under legal hold,
listed and exported by administrators only, every access audited."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chinwag.actions.access import require_permission
from chinwag.actions.audit import VIEW_AUDIT_LOG, record_audit
from chinwag.actions.deps import Deps
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError
from chinwag.domain.evidence import document, manifest, manifest_bytes, sha256, zip_bundle
from chinwag.domain.ids import random_id
from chinwag.domain.models import User
from chinwag.storage.moderation import Row
from chinwag.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Scope:
    """What a bundle covers: a room's messages, or some users' messages in a window."""

    kind: str  # "room", "user" or "invite-tree"
    target_id: str
    reason: str
    room_id: str | None = None
    user_ids: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Bundle:
    id: str
    kind: str
    target_id: str
    reason: str
    created_at: datetime
    created_by: str
    legal_hold: bool
    manifest: dict[str, str]
    manifest_sha256: str


def _bundle(row: Row) -> Bundle:
    return Bundle(
        id=row["id"],
        kind=row["kind"],
        target_id=row["target_id"],
        reason=row["reason"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        legal_hold=row["legal_hold"],
        manifest=dict(row["manifest"]),
        manifest_sha256=row["manifest_sha256"],
    )


def bundle_not_found() -> ChinwagError:
    return ChinwagError("error-bundle-not-found", "Evidence bundle not found", status=404)


def _file_references(messages: Sequence[Row]) -> list[Row]:
    """The files messages point at: each attachment's links, by message."""
    out: list[Row] = []
    for message in messages:
        for attachment in message.get("attachments") or ():
            if not isinstance(attachment, dict):
                continue
            links = {
                k: attachment[k]
                for k in ("title_link", "image_url", "audio_url", "video_url", "title")
                if attachment.get(k)
            }
            if links:
                out.append({"message_id": message["id"], "room_id": message["room_id"], **links})
    return out


async def _with_discussions(uow: UnitOfWork, room_id: str) -> list[str]:
    """The room and its discussions, at any depth: a room takedown takes them all."""
    found = [room_id]
    for current in found:
        found += [d for d in await uow.rooms.list_discussion_ids(current) if d not in found]
    return found


async def _gather(uow: UnitOfWork, scope: Scope) -> dict[str, object]:
    repo = uow.moderation
    if scope.room_id is not None:
        messages, memberships = [], []
        for room_id in await _with_discussions(uow, scope.room_id):
            messages += await repo.message_rows(room_id=room_id)
            memberships += await repo.membership_rows(room_id=room_id)
    else:
        messages = []
        for user_id in scope.user_ids:
            messages += await repo.message_rows(
                user_id=user_id, since=scope.since, until=scope.until
            )
        memberships = await repo.membership_rows(user_ids=scope.user_ids)
    edits = await repo.edits_of([m["id"] for m in messages])
    people = sorted(
        {*scope.user_ids, *(m["user_id"] for m in messages), *(s["user_id"] for s in memberships)}
    )
    links, uses = await repo.invite_rows(people)
    users = await repo.user_rows(people)
    inviters = sorted({u["invited_by"] for u in users if u["invited_by"]} - set(people))
    logins = await repo.logins_of(people, scope.since, scope.until)
    return {
        "messages.json": messages,
        "edits.json": edits,
        "files.json": _file_references(messages),
        "memberships.json": memberships,
        "users.json": users,
        "invites.json": {
            "inviters": await repo.user_rows(inviters),
            "links": links,
            "uses": uses,
        },
        "logins.json": logins,
    }


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


async def write_bundle(deps: Deps, uow: UnitOfWork, actor: User, scope: Scope) -> str:
    """Gather and store the evidence for `scope` inside the caller's (takedown) transaction,
    before anything is changed. Returns the bundle id."""
    bundle_id = random_id()
    now = deps.clock.now()
    contents = await _gather(uow, scope)
    contents["bundle.json"] = {
        "id": bundle_id,
        "kind": scope.kind,
        "target": scope.target_id,
        "reason": scope.reason,
        "createdAt": _ms(now),
        "createdBy": {"_id": actor.id, "username": actor.username},
        "window": {
            "since": _ms(scope.since) if scope.since else None,
            "until": _ms(scope.until) if scope.until else None,
        },
    }
    files = {name: document(value) for name, value in contents.items()}
    hashes = manifest(files)
    await uow.moderation.insert_bundle(
        {
            "id": bundle_id,
            "created_at": now,
            "created_by": actor.id,
            "kind": scope.kind,
            "target_id": scope.target_id,
            "reason": scope.reason,
            "legal_hold": True,
            "manifest": hashes,
            "manifest_sha256": sha256(manifest_bytes(hashes)),
        },
        [
            {"bundle_id": bundle_id, "name": name, "sha256": hashes[name], "content": content}
            for name, content in files.items()
        ],
    )
    return bundle_id


async def list_bundles(
    deps: Deps, actor: User, offset: int, count: int, origin: Origin | None = None
) -> tuple[list[Bundle], int]:
    """evidence.list (administrators: view-audit-log). The listing is itself audited."""
    require_permission(deps, actor, VIEW_AUDIT_LOG)
    async with deps.uow() as uow:
        rows, total = await uow.moderation.list_bundles(offset, count)
        await record_audit(deps, uow, actor, "evidence.list", origin)
    return [_bundle(r) for r in rows], total


async def get_bundle(
    deps: Deps, actor: User, bundle_id: str, origin: Origin | None = None
) -> Bundle:
    """evidence.info: one bundle and its manifest. Audited."""
    require_permission(deps, actor, VIEW_AUDIT_LOG)
    async with deps.uow() as uow:
        row = await uow.moderation.find_bundle(bundle_id)
        if row is None:
            raise bundle_not_found()
        await record_audit(deps, uow, actor, "evidence.info", origin, ("evidence", bundle_id))
    return _bundle(row)


async def export_bundle(
    deps: Deps, actor: User, bundle_id: str, origin: Origin | None = None
) -> tuple[Bundle, bytes]:
    """evidence.export: the bundle's files and manifest as a zip. Audited."""
    require_permission(deps, actor, VIEW_AUDIT_LOG)
    async with deps.uow() as uow:
        row = await uow.moderation.find_bundle(bundle_id)
        if row is None:
            raise bundle_not_found()
        files = {
            f["name"]: bytes(f["content"]) for f in await uow.moderation.bundle_files(bundle_id)
        }
        await record_audit(deps, uow, actor, "evidence.export", origin, ("evidence", bundle_id))
    bundle = _bundle(row)
    return bundle, zip_bundle(files, bundle.manifest, bundle.created_at)
