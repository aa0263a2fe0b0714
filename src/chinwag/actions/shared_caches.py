"""What a process caches (settings, permission grants) follows changes other processes make.

The process that made a change updates its own caches before publishing; every process
(itself included, harmlessly) rereads the changed rows when the event arrives. The auth
cache listens on the bus by itself (actions/auth_cache.py).
"""

from chinwag.actions.deps import Deps
from chinwag.events.types import Event, PermissionsChanged, SettingChanged


async def reload_settings(deps: Deps, setting_ids: set[str]) -> None:
    async with deps.reader() as uow:
        stored = await uow.config.list_setting_values()
    deps.settings.load({k: v for k, v in stored.items() if k in setting_ids})


async def reload_grants(deps: Deps, permission_ids: set[str]) -> None:
    async with deps.reader() as uow:
        changed = {p.id: p.roles for p in await uow.config.list_permissions()}
    fresh = {k: v for k, v in changed.items() if k in permission_ids}
    deps.grants.by_permission = {**deps.grants.by_permission, **fresh}


def follow_shared_changes(deps: Deps) -> None:
    """Listen on the bus for changes to what this process caches."""

    async def on_event(event: Event) -> None:
        match event:
            case SettingChanged(setting_id=setting_id):
                await reload_settings(deps, {setting_id})
            case PermissionsChanged(permission_ids=ids):
                await reload_grants(deps, set(ids))

    deps.bus.listen(on_event)
