"""Statistics snapshots survive storage, including ones written by other versions."""

from datetime import UTC, datetime

from chinwag.actions.deps import Deps
from chinwag.actions.statistics import get_statistics, list_statistics
from tests.conftest import Persona
from tests.conftest_helpers import user_named


async def test_a_snapshot_reads_back_as_it_was_taken(deps: Deps, admin: Persona) -> None:
    boss = await user_named(deps, "boss")
    taken = await get_statistics(deps, boss, refresh=True)
    (stored,), total = await list_statistics(deps, boss, 0, None)
    assert total == 1 and stored == taken
    assert stored.last_login is not None and stored.os.cpus


async def test_snapshots_from_other_versions_load_with_defaults(deps: Deps, admin: Persona) -> None:
    at = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    data = {"total_users": 7, "someday_field": 1, "os": {"type": "Linux", "extra": 2}}
    async with deps.uow() as uow:
        await uow.config.insert_statistics("old-snapshot", at, data)
    old = await get_statistics(deps, await user_named(deps, "boss"), refresh=False)
    assert (old.id, old.created_at, old.total_users) == ("old-snapshot", at, 7)
    assert old.os.type == "Linux" and old.total_rooms == 0 and old.installed_at is None
