"""The `chinwag` command line: help, migrate, users create."""

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from chinwag.actions.deps import Deps
from chinwag.cli import app
from chinwag.storage.migrate import alembic_config
from tests.conftest import PG_URL

runner = CliRunner()


def _store_args(tmp_path: Path) -> list[str]:
    return ["--database-url", PG_URL] if PG_URL else ["--data", str(tmp_path)]


def test_help_documents_every_serve_option() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    options = ("--host", "--port", "--data", "--database-url", "--site-url", "--log-level")
    for option in (*options, "--redis-url", "--workers"):
        assert option in result.output
    for variable in ("CHINWAG_DATABASE_URL", "CHINWAG_REDIS_URL", "CHINWAG_PRESENCE_EXPIRY"):
        assert variable in result.output


def test_several_workers_need_postgresql_and_redis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("CHINWAG_DATABASE_URL", "CHINWAG_REDIS_URL", "CHINWAG_WORKERS"):
        monkeypatch.delenv(key, raising=False)
    env = {"COLUMNS": "200"}
    cases = {
        (): "needs PostgreSQL (--database-url) and Redis (--redis-url)",
        ("--redis-url", "redis://127.0.0.1:1/0"): "needs PostgreSQL (--database-url):",
        ("--database-url", "postgresql://nobody@127.0.0.1:1/x"): "needs Redis (--redis-url):",
    }
    for extra, words in cases.items():
        args = ["serve", "--workers", "2", "--data", str(tmp_path), *extra]
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 2, result.output
        assert words in " ".join(result.output.split())
    assert not (tmp_path / "chinwag.db").exists()  # refused before touching anything


def test_migrate_reports_the_revision(tmp_path: Path, deps: Deps) -> None:
    result = runner.invoke(app, ["migrate", *_store_args(tmp_path)])
    assert result.exit_code == 0, result.output
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert f"revision {head}" in result.output
    if not PG_URL:
        assert (tmp_path / "chinwag.db").exists()


def test_users_create_makes_an_admin(tmp_path: Path, deps: Deps) -> None:
    """`deps` gives the PostgreSQL leg a clean database first."""
    args = [
        "users",
        "create",
        "root",
        "--email",
        "root@example.com",
        "--password",
        "pw-123456",
        "--admin",
        *_store_args(tmp_path),
    ]
    result = runner.invoke(app, args, env={"CHINWAG_BCRYPT_ROUNDS": "4"})
    assert result.exit_code == 0, result.output
    assert "admin" in result.output
    again = runner.invoke(app, args, env={"CHINWAG_BCRYPT_ROUNDS": "4"})
    assert again.exit_code == 1
    assert "already in use" in again.output
