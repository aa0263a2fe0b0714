"""The audit trail's hash chain and secret masking, and evidence manifests: pure rules."""

from dataclasses import replace
from datetime import UTC, datetime

from chinwag.domain.audit import (
    GENESIS,
    MASK,
    AuditEntry,
    chain_hash,
    content_of,
    first_break,
    mask_secrets,
)
from chinwag.domain.evidence import manifest, verify

AT = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS
    for i in range(n):
        draft = AuditEntry(
            seq=i + 1,
            id=f"e{i}",
            ts=AT,
            actor_id="a",
            actor_username="boss",
            ip="10.0.0.1",
            action="settings.update",
            target_type="setting",
            target_id="Site_Name",
            before={"value": i},
            after={"value": i + 1},
            prev_hash=prev,
            hash="",
        )
        entry = replace(draft, hash=chain_hash(prev, content_of(draft)))
        entries.append(entry)
        prev = entry.hash
    return entries


def test_an_untouched_chain_verifies() -> None:
    assert first_break(chain(5)) is None
    assert first_break([]) is None


def test_an_edited_entry_is_the_first_break() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], after={"value": "forged"})
    broken = first_break(entries)
    assert broken is not None and broken.id == "e2" and "content" in broken.reason


def test_a_removed_entry_breaks_the_link_of_the_next() -> None:
    entries = chain(5)
    del entries[1]
    broken = first_break(entries)
    assert broken is not None and broken.id == "e2" and "predecessor" in broken.reason


def test_a_rehashed_forgery_still_breaks_the_next_link() -> None:
    entries = chain(3)
    forged = replace(entries[1], after={"value": "forged"})
    entries[1] = replace(forged, hash=chain_hash(forged.prev_hash, content_of(forged)))
    broken = first_break(entries)
    assert broken is not None and broken.id == "e2"


def test_key_order_does_not_change_the_hash() -> None:
    assert chain_hash(GENESIS, {"a": 1, "b": 2}) == chain_hash(GENESIS, {"b": 2, "a": 1})


def test_secrets_are_masked_at_any_depth() -> None:
    value = {
        "password": "hunter2",
        "nested": [{"api_key": "k", "name": "x"}],
        "SMTP_Password": "",
        "count": 3,
    }
    assert mask_secrets(value) == {
        "password": MASK,
        "nested": [{"api_key": MASK, "name": "x"}],
        "SMTP_Password": "",
        "count": 3,
    }


def test_a_manifest_catches_changed_missing_and_extra_files() -> None:
    files = {"a.json": b"[1]", "b.json": b"[2]"}
    hashes = manifest(files)
    assert verify(files, hashes) == []
    assert verify({**files, "a.json": b"[9]"}, hashes) == ["a.json"]
    assert verify({"a.json": b"[1]"}, hashes) == ["b.json"]
    assert verify({**files, "c.json": b"[]"}, hashes) == ["c.json"]
