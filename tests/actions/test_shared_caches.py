"""What a process caches follows changes another process committed, once their events arrive."""

import httpx

from chinwag.actions.deps import Deps
from chinwag.actions.shared_caches import follow_shared_changes
from chinwag.events.types import PermissionsChanged, SettingChanged
from tests.conftest import sign_up


async def test_a_setting_changed_elsewhere_is_reread_on_its_event(deps: Deps) -> None:
    follow_shared_changes(deps)
    async with deps.uow() as uow:  # another process's write: this cache has not moved
        await uow.config.upsert_setting("Site_Name", "Elsewhere", deps.clock.now())
        await uow.config.upsert_setting("Language", "fr", deps.clock.now())
    assert deps.settings.str("Site_Name") != "Elsewhere"
    await deps.bus.publish([SettingChanged(setting_id="Site_Name", public=True)])
    assert deps.settings.str("Site_Name") == "Elsewhere"
    assert deps.settings.str("Language") != "fr"  # only what the event names is reread


async def test_grants_changed_elsewhere_are_reread_on_their_event(deps: Deps) -> None:
    follow_shared_changes(deps)
    async with deps.uow() as uow:
        await uow.config.upsert_permission("pin-message", ("admin",), deps.clock.now())
        await uow.config.upsert_permission("edit-message", ("admin",), deps.clock.now())
    assert deps.grants.by_permission["pin-message"] != ("admin",)
    await deps.bus.publish([PermissionsChanged(permission_ids=("pin-message",))])
    assert deps.grants.by_permission["pin-message"] == ("admin",)
    assert deps.grants.by_permission["edit-message"] != ("admin",)


async def test_the_first_account_tells_everyone_setup_has_begun(
    deps: Deps, client: httpx.AsyncClient
) -> None:
    assert deps.settings.str("Show_Setup_Wizard") == "pending"
    with deps.bus.capture() as published:  # type: ignore[attr-defined]
        await sign_up(client, "founder")
    assert SettingChanged(setting_id="Show_Setup_Wizard", public=True) in published
    assert deps.settings.str("Show_Setup_Wizard") == "in_progress"
