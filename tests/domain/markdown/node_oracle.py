"""Run @rocket.chat/message-parser under Node as the reference for differential tests.

The package is installed once (pinned) into the git-ignored .cache/ of the repository, under
a file lock so parallel test runs do not clash, and one long-lived node process answers
parse requests line by line, so thousands of texts cost little.
"""

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PACKAGE = "@rocket.chat/message-parser"
PACKAGE_VERSION = "0.32.0"
REPO = Path(__file__).resolve().parents[3]
CACHE = REPO / ".cache" / "message-parser"
HERE = Path(__file__).resolve().parent
DIST = CACHE / "node_modules" / "@rocket.chat" / "message-parser" / "dist" / "messageParser.js"
BATCH = 256


class OracleUnavailable(RuntimeError):
    """node or npm is missing, so the reference parser cannot run."""


class OracleError(Exception):
    """The reference parser threw (a SyntaxError or a RangeError) for this text."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


def node_tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise OracleUnavailable("node and npm are needed to run @rocket.chat/message-parser")
    return node, npm


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _installed_version() -> str | None:
    manifest = DIST.parent.parent / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text())["version"])


def install() -> Path:
    """Install the pinned package into .cache/ unless it is there; return its bundle."""
    _, npm = node_tools()
    with _locked(CACHE.parent / "message-parser.lock"):
        if _installed_version() != PACKAGE_VERSION:
            CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(CACHE),
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    f"{PACKAGE}@{PACKAGE_VERSION}",
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
    return DIST


def extract_tables() -> dict[str, Any]:
    """The Unicode classes and public-suffix rules inside the package's bundle."""
    node, _ = node_tools()
    done = subprocess.run(
        [node, str(HERE / "extract_tables.mjs"), str(install())],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return dict(json.loads(done.stdout))


class NodeOracle:
    """One node process parsing texts with the npm package, in batches."""

    def __init__(self) -> None:
        node, _ = node_tools()
        dist = install()
        self._process = subprocess.Popen(
            [node, str(HERE / "oracle.mjs"), str(dist)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            # Times without an offset are read in the process timezone; the server runs in UTC.
            env={**os.environ, "TZ": "UTC"},
        )

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)

    def parse_many(
        self, texts: Iterable[str], options: dict[str, object] | None = None
    ) -> list[list[Any] | OracleError]:
        results: list[list[Any] | OracleError] = []
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == BATCH:
                results.extend(self._round_trip(batch, options))
                batch = []
        results.extend(self._round_trip(batch, options))
        return results

    def parse(self, text: str, options: dict[str, object] | None = None) -> list[Any]:
        [result] = self.parse_many([text], options)
        if isinstance(result, OracleError):
            raise result
        return result

    def _round_trip(
        self, texts: list[str], options: dict[str, object] | None
    ) -> list[list[Any] | OracleError]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        for text in texts:
            stdin.write(json.dumps({"text": text, "options": options}) + "\n")
        stdin.flush()
        out: list[list[Any] | OracleError] = []
        for _ in texts:
            answer = json.loads(stdout.readline())
            if "tree" in answer:
                out.append(answer["tree"])
            else:
                out.append(OracleError(answer["error"], answer["message"]))
        return out
