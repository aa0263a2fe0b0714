"""The audit trail: record an entry in the caller's transaction, list entries, verify the chain.

Any code that changes what administrators or moderators control records it here, inside the
transaction of the change itself, so an action and its entry commit or roll back together::

    async with deps.uow() as uow:
        ...  # the change
        await record_audit(deps, uow, actor, "users.setActiveStatus", origin,
                           target=("user", user.id), before={"active": True},
                           after={"active": False})

Secrets are masked before they are written (any key naming a password, secret or token).
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from chinwag.actions.access import require_permission
from chinwag.actions.deps import Deps
from chinwag.domain.audit import (
    AuditEntry,
    ChainBreak,
    Origin,
    chain_hash,
    first_break,
    mask_secrets,
)
from chinwag.domain.ids import random_id
from chinwag.domain.models import User
from chinwag.storage.audit import AuditFilter
from chinwag.storage.uow import UnitOfWork

VIEW_AUDIT_LOG = "view-audit-log"


async def record_audit(
    deps: Deps,
    uow: UnitOfWork,
    actor: User | None,
    action: str,
    origin: Origin | None = None,
    target: tuple[str, str] | None = None,
    before: object = None,
    after: object = None,
) -> str:
    """Append one entry to the audit trail in `uow`'s transaction; returns its id.

    `action` names what was done (the endpoint's name, e.g. "moderation.takedownRoom");
    `target` is (type, id) of what it was done to; `before` / `after` are JSON values."""
    prev_hash = await uow.audit.lock_and_last_hash()
    now = deps.clock.now()  # whole milliseconds: what the database keeps and the hash covers
    content: dict[str, object] = {
        "id": random_id(),
        "ts": int(now.timestamp() * 1000),
        "actor_id": actor.id if actor else None,
        "actor_username": actor.username if actor else None,
        "ip": origin.ip if origin else None,
        "action": action,
        "target_type": target[0] if target else None,
        "target_id": target[1] if target else None,
        "before": mask_secrets(before),
        "after": mask_secrets(after),
    }
    digest = chain_hash(prev_hash, content)
    await uow.audit.insert_entry({**content, "ts": now, "prev_hash": prev_hash, "hash": digest})
    return str(content["id"])


async def list_audit(
    deps: Deps, actor: User, flt: AuditFilter, offset: int, count: int
) -> tuple[list[AuditEntry], int]:
    """audit.list: newest first, for those granted view-audit-log (administrators)."""
    require_permission(deps, actor, VIEW_AUDIT_LOG)
    async with deps.reader() as uow:
        return await uow.audit.list_entries(flt, offset, count)


@dataclass(frozen=True)
class Verification:
    checked: int
    broken: ChainBreak | None


async def verify_audit_chain(deps: Deps) -> AsyncIterator[int | Verification]:
    """Walk the whole chain: yields the running count of entries checked, then the result."""
    checked = 0
    async with deps.reader() as uow:
        prev = None
        async for batch in uow.audit.iter_entries():
            broken = first_break(batch, prev) if prev else first_break(batch)
            if broken is not None:
                yield Verification(checked + _index(batch, broken), broken)
                return
            checked += len(batch)
            prev = batch[-1].hash
            yield checked
    yield Verification(checked, None)


def _index(batch: list[AuditEntry], broken: ChainBreak) -> int:
    return next(i for i, e in enumerate(batch) if e.seq == broken.seq)


async def count_audit_entries(deps: Deps) -> int:
    async with deps.reader() as uow:
        return await uow.audit.count_entries()
