"""The `chinwag` command line: help, migrate, users create."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chinwag.cli import app
from tests.conftest import PG_URL

runner = CliRunner()


def _store_args(tmp_path: Path) -> list[str]:
    return ["--database-url", PG_URL] if PG_URL else ["--data", str(tmp_path)]


def test_help_documents_every_serve_option() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--host", "--port", "--data", "--database-url", "--site-url", "--log-level"):
        assert option in result.output
    assert "CHINWAG_DATABASE_URL" in result.output


@pytest.mark.skipif(bool(PG_URL), reason="writes a fresh SQLite file; the PG leg shares one db")
def test_migrate_creates_the_database_and_reports_the_revision(tmp_path: Path) -> None:
    result = runner.invoke(app, ["migrate", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "chinwag.db").exists()
    assert "revision" in result.output


@pytest.mark.skipif(bool(PG_URL), reason="writes a fresh SQLite file; the PG leg shares one db")
def test_users_create_makes_an_admin_who_can_log_in(tmp_path: Path) -> None:
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
