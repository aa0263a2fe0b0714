"""Who invited whom, transitively; and taking down everything below one inviter at once."""

from collections import defaultdict
from dataclasses import dataclass, field

from chinwag.actions.access import require_permission
from chinwag.actions.audit import record_audit
from chinwag.actions.deps import Deps
from chinwag.actions.evidence import Scope, write_bundle
from chinwag.actions.takedowns import MANAGE, Takedown, require_reason
from chinwag.actions.users import apply_active
from chinwag.domain.audit import Origin
from chinwag.domain.errors import invalid_user
from chinwag.domain.models import User
from chinwag.events.types import InviteRemoved
from chinwag.storage.uow import UnitOfWork

VIEW = "view-moderation-console"


@dataclass
class InviteNode:
    user_id: str
    children: list["InviteNode"] = field(default_factory=list)


def _children(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for user_id, inviter in pairs:
        out[inviter].append(user_id)
    return out


def _grow(root: str, children: dict[str, list[str]]) -> InviteNode:
    """The subtree under `root`; a cycle in stored data cannot loop (each user once)."""
    node = InviteNode(root)
    seen = {root}
    stack = [node]
    while stack:
        current = stack.pop()
        for child in sorted(children.get(current.user_id, ())):
            if child in seen:
                continue
            seen.add(child)
            grown = InviteNode(child)
            current.children.append(grown)
            stack.append(grown)
    return node


def descendants(node: InviteNode) -> list[str]:
    out: list[str] = []
    stack = list(node.children)
    while stack:
        current = stack.pop()
        out.append(current.user_id)
        stack.extend(current.children)
    return out


def _ids(node: InviteNode) -> list[str]:
    return [node.user_id, *descendants(node)]


@dataclass(frozen=True)
class InviteTree:
    roots: list[InviteNode]
    users: dict[str, User]


async def invite_tree(deps: Deps, actor: User, user_id: str | None = None) -> InviteTree:
    """invites.tree: the tree below one user, or every inviter who was not invited (the
    roots) with their trees."""
    require_permission(deps, actor, VIEW)
    async with deps.reader() as uow:
        pairs = await uow.moderation.invited_pairs()
        children = _children(pairs)
        if user_id is not None:
            if await uow.users.find_by_id(user_id) is None:
                raise invalid_user()
            roots = [_grow(user_id, children)]
        else:
            invited = {u for u, _ in pairs}
            roots = [_grow(r, children) for r in sorted(set(children) - invited)]
        ids = [i for root in roots for i in _ids(root)]
        people = await _users(uow, ids)
    return InviteTree(roots=roots, users=people)


async def _users(uow: UnitOfWork, ids: list[str]) -> dict[str, User]:
    out: dict[str, User] = {}
    for user_id in ids:
        user = await uow.users.find_by_id(user_id)
        if user is not None:
            out[user_id] = user
    return out


@dataclass(frozen=True)
class TreeRevocation:
    takedown: Takedown
    revoked_links: int
    deactivated: int


async def revoke_tree(
    deps: Deps, actor: User, user_id: str, reason: str, origin: Origin | None = None
) -> TreeRevocation:
    """invites.revokeTree: revoke every invite link the user and everyone below them made,
    and deactivate every account below the user (the user stays), with an evidence bundle."""
    require_permission(deps, actor, MANAGE)
    reason = require_reason(reason)
    async with deps.uow() as uow:
        root = await uow.users.find_by_id(user_id)
        if root is None:
            raise invalid_user()
        node = _grow(root.id, _children(await uow.moderation.invited_pairs()))
        below = [i for i in descendants(node) if i != actor.id]
        scope = Scope(
            kind="invite-tree",
            target_id=root.id,
            reason=reason,
            user_ids=tuple([root.id, *below]),
        )
        bundle_id = await write_bundle(deps, uow, actor, scope)
        links = await uow.moderation.revoke_invites_of([root.id, *below])
        for invite_id, room_id in links:
            uow.emit(InviteRemoved(invite_id=invite_id, room_id=room_id, by=actor.id))
        revoked = [invite_id for invite_id, _ in links]
        deactivated = 0
        for person in (await _users(uow, below)).values():
            if person.active:
                await apply_active(deps, uow, person, False, confirm_relinquish=True)
                deactivated += 1
        audit_id = await record_audit(
            deps,
            uow,
            actor,
            "invites.revokeTree",
            origin,
            target=("user", root.id),
            before={"below": below},
            after={
                "revokedLinks": revoked,
                "deactivated": deactivated,
                "reason": reason,
                "evidence": bundle_id,
            },
        )
    return TreeRevocation(Takedown(bundle_id, audit_id), len(revoked), deactivated)
