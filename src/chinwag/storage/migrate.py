"""Apply Alembic migrations at start or from `chinwag migrate`; one process at a time."""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig

from chinwag.storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: every Chinwag process takes this PostgreSQL advisory lock to migrate.
MIGRATION_LOCK = 7_270_001


def alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _upgrade(connection: sa.Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def upgrade(db: Database, revision: str = "head") -> None:
    async with db.exclusive(MIGRATION_LOCK), db.connect() as conn:
        await conn.run_sync(_upgrade, revision)
        await conn.commit()


async def current_revision(db: Database) -> str | None:
    async with db.connect() as conn:
        has_table = await conn.run_sync(lambda c: sa.inspect(c).has_table("alembic_version"))
        if not has_table:
            return None
        result = await conn.execute(sa.text("SELECT version_num FROM alembic_version"))
        return result.scalar_one_or_none()
