"""The audit trail's rules: what an entry holds, its canonical form, and the hash chain."""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import orjson

# The predecessor of the first entry.
GENESIS = "0" * 64
MASK = "********"
# Values under these keys are secrets: recorded as the mask, never as themselves.
_SECRET_WORDS = ("password", "secret", "token", "apikey", "api_key", "privatekey", "private_key")


@dataclass(frozen=True)
class Origin:
    """Where a request came from: kept in the audit trail and the login history."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    id: str
    ts: datetime
    actor_id: str | None
    actor_username: str | None
    ip: str | None
    action: str
    target_type: str | None
    target_id: str | None
    before: object
    after: object
    prev_hash: str
    hash: str


def is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def mask_secrets(value: object) -> object:
    """The value with every secret-looking key's value replaced by the mask, at any depth."""
    if isinstance(value, Mapping):
        return {
            str(k): (MASK if is_secret_key(str(k)) and v not in (None, "") else mask_secrets(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    return value


def canonical(fields: Mapping[str, object]) -> bytes:
    """An entry's content as bytes that do not depend on key order or the database."""
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def content_of(entry: AuditEntry) -> dict[str, object]:
    """What the hash covers: everything but the sequence number and the hashes themselves."""
    return {
        "id": entry.id,
        "ts": int(entry.ts.timestamp() * 1000),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "ip": entry.ip,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "before": entry.before,
        "after": entry.after,
    }


def chain_hash(prev_hash: str, content: Mapping[str, object]) -> str:
    """SHA-256 of the predecessor's hash followed by this entry's canonical content."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(content)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry that does not verify, and why."""

    seq: int
    id: str
    reason: str


def first_break(entries: Iterable[AuditEntry], prev_hash: str = GENESIS) -> ChainBreak | None:
    """Walk entries in sequence order; None when every link holds."""
    for entry in entries:
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.seq, entry.id, "its predecessor's hash does not match")
        if chain_hash(prev_hash, content_of(entry)) != entry.hash:
            return ChainBreak(entry.seq, entry.id, "its content does not match its hash")
        prev_hash = entry.hash
    return None
