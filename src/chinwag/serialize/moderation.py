"""Reports, audit entries, evidence bundles and invite trees in the shapes the API returns."""

from datetime import UTC, datetime
from typing import Any

from chinwag.actions.evidence import Bundle
from chinwag.actions.invite_tree import InviteNode, InviteTree
from chinwag.actions.moderation import (
    MessageReport,
    Moderation,
    ReportedAuthor,
    ReportedPerson,
    UserReport,
)
from chinwag.domain.audit import AuditEntry
from chinwag.domain.models import JsonDoc, Room, User
from chinwag.serialize.base import drop_none, iso
from chinwag.serialize.chat import message as serialize_message


def _reporter(user: User | None, user_id: str) -> dict[str, Any]:
    if user is None:
        return {"_id": user_id, "username": None, "name": None, "createdAt": None}
    return {
        "_id": user.id,
        "username": user.username,
        "name": user.name,
        "createdAt": iso(user.created_at),
    }


def _room(room: Room | None, room_id: str) -> dict[str, Any]:
    if room is None:
        return {"_id": room_id}
    return drop_none({"_id": room.id, "name": room.name, "fname": room.fname, "t": room.type.value})


def _moderation(m: Moderation | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"hiddenAt": iso(m.at), "moderatedBy": m.by, "reason": m.reason, "action": m.action}


def _snapshot_user(doc: JsonDoc) -> dict[str, Any]:
    """A reported user's copy, dates as ISO strings."""
    out = dict(doc)
    created = out.get("createdAt")
    if isinstance(created, int):
        out["createdAt"] = iso(datetime.fromtimestamp(created / 1000, tz=UTC))
    return out


def message_report(r: MessageReport) -> dict[str, Any]:
    """Rocket.Chat's IModerationReport of a message."""
    body = {
        "_id": r.id,
        "message": serialize_message(r.message),
        "description": r.description,
        "reportedBy": _reporter(r.reported_by, r.reported_by_id),
        "room": _room(r.room, r.room_id),
        "ts": iso(r.ts),
        "_updatedAt": iso(r.moderation.at if r.moderation else r.ts),
        "_hidden": True if r.moderation else None,
        "moderationInfo": _moderation(r.moderation),
    }
    return drop_none(body)


def user_report(r: UserReport) -> dict[str, Any]:
    """Rocket.Chat's IModerationReport of a user."""
    body = {
        "_id": r.id,
        "description": r.description,
        "reportedBy": _reporter(r.reported_by, r.reported_by_id),
        "reportedUser": _snapshot_user(r.reported_user),
        "ts": iso(r.ts),
        "_updatedAt": iso(r.moderation.at if r.moderation else r.ts),
        "_hidden": True if r.moderation else None,
        "moderationInfo": _moderation(r.moderation),
    }
    return drop_none(body)


def message_report_brief(r: MessageReport) -> dict[str, Any]:
    """An entry of moderation.reports: who reported the message, why, when, where."""
    return {
        "_id": r.id,
        "description": r.description,
        "reportedBy": _reporter(r.reported_by, r.reported_by_id),
        "ts": iso(r.ts),
        "room": _room(r.room, r.room_id),
    }


def reported_message(r: MessageReport) -> dict[str, Any]:
    """An entry of moderation.user.reportedMessages: the report's id, message, ts and room."""
    return {
        "_id": r.id,
        "message": serialize_message(r.message),
        "ts": iso(r.ts),
        "room": _room(r.room, r.room_id),
    }


def reported_author(a: ReportedAuthor) -> dict[str, Any]:
    """An entry of moderation.reportsByUsers."""
    latest = a.latest.message
    body = {
        "userId": a.user_id,
        "username": a.user.username if a.user else latest.author.username,
        "name": a.user.name if a.user else latest.author.name,
        "message": latest.text,
        "msgId": latest.id,
        "ts": iso(a.ts),
        "rooms": [_room(room, room.id) for room in a.rooms],
        "roomIds": a.room_ids,
        "count": a.count,
        "isUserDeleted": a.user is None,
    }
    return drop_none(body)


def reported_person(p: ReportedPerson) -> dict[str, Any]:
    """An entry of moderation.userReports."""
    return {"reportedUser": _snapshot_user(p.reported_user), "ts": iso(p.ts), "count": p.count}


def report_user_view(user: User | None, full: bool = False) -> dict[str, Any] | None:
    """The `user` of moderation.user.reportedMessages / reportsByUserId."""
    if user is None:
        return None
    body: dict[str, Any] = {"_id": user.id, "username": user.username, "name": user.name}
    if full:
        body.update(
            active=user.active,
            roles=list(user.roles),
            createdAt=iso(user.created_at),
            avatarETag=user.avatar_etag,
            emails=[{"address": user.email, "verified": user.email_verified}] if user.email else [],
        )
    return drop_none(body)


def audit_entry(e: AuditEntry) -> dict[str, Any]:
    return {
        "_id": e.id,
        "seq": e.seq,
        "ts": iso(e.ts),
        "actor": {"_id": e.actor_id, "username": e.actor_username} if e.actor_id else None,
        "ip": e.ip,
        "action": e.action,
        "target": {"type": e.target_type, "_id": e.target_id} if e.target_type else None,
        "before": e.before,
        "after": e.after,
        "prevHash": e.prev_hash,
        "hash": e.hash,
    }


def bundle(b: Bundle) -> dict[str, Any]:
    return {
        "_id": b.id,
        "kind": b.kind,
        "target": b.target_id,
        "reason": b.reason,
        "createdAt": iso(b.created_at),
        "createdBy": b.created_by,
        "legalHold": b.legal_hold,
        "manifest": {"algorithm": "sha256", "files": b.manifest},
        "manifestSha256": b.manifest_sha256,
    }


def invite_node(node: InviteNode, tree: InviteTree) -> dict[str, Any]:
    user = tree.users.get(node.user_id)
    return {
        "_id": node.user_id,
        "username": user.username if user else None,
        "name": user.name if user else None,
        "active": user.active if user else False,
        "createdAt": iso(user.created_at) if user else None,
        "invitedBy": user.invited_by if user else None,
        "inviteToken": user.invite_token if user else None,
        "children": [invite_node(c, tree) for c in node.children],
    }
