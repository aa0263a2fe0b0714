"""Evidence bundles as files: JSON documents, their SHA-256 manifest, and the zip export."""

import hashlib
import io
import zipfile
from collections.abc import Mapping
from datetime import datetime

import orjson

MANIFEST = "manifest.json"


def document(value: object) -> bytes:
    """One evidence file: indented JSON with sorted keys, so equal content hashes equally."""
    return orjson.dumps(
        value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    )


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def manifest(files: Mapping[str, bytes]) -> dict[str, str]:
    """File name → SHA-256 hex digest of its bytes."""
    return {name: sha256(content) for name, content in sorted(files.items())}


def manifest_bytes(hashes: Mapping[str, str]) -> bytes:
    return document({"algorithm": "sha256", "files": dict(sorted(hashes.items()))})


def verify(files: Mapping[str, bytes], hashes: Mapping[str, str]) -> list[str]:
    """Names of files missing, extra or not matching the manifest (empty when all verify)."""
    names = sorted(set(files) | set(hashes))
    return [n for n in names if n not in files or hashes.get(n) != sha256(files[n])]


def zip_bundle(files: Mapping[str, bytes], hashes: Mapping[str, str], at: datetime) -> bytes:
    """The bundle's files and its manifest in one zip."""
    out = io.BytesIO()
    stamp = at.timetuple()[:6]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, stamp), content)
        archive.writestr(zipfile.ZipInfo(MANIFEST, stamp), manifest_bytes(hashes))
    return out.getvalue()
