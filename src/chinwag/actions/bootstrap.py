"""Every start: roles, permissions, the GENERAL room, forced settings, the env admin."""

import structlog

from chinwag.actions.accounts import NewUser, hash_password, insert_user
from chinwag.actions.deps import Deps
from chinwag.domain.models import Role, RoomType, UserType
from chinwag.domain.permissions import DEFAULT_PERMISSIONS, DEFAULT_ROLES
from chinwag.domain.settings_registry import BY_ID
from chinwag.storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

GENERAL_ID = "GENERAL"
ROCKET_CAT_ID = "rocket.cat"
# Any fixed number: processes starting together bootstrap one after another under it.
BOOTSTRAP_LOCK = 7_270_002


async def bootstrap(deps: Deps) -> None:
    """Bring a database to a usable state; safe to run at every start and from many processes
    starting at once (one at a time; the later ones find the work done)."""
    async with deps.db.exclusive(BOOTSTRAP_LOCK):
        async with deps.uow() as uow:
            await _ensure_roles(deps, uow)
            await _ensure_permissions(deps, uow)
            await _ensure_general(deps, uow)
            await _ensure_rocket_cat(deps, uow)
            await _force_settings(deps, uow)
        await load_caches(deps)
        await _ensure_env_admin(deps)


async def load_caches(deps: Deps) -> None:
    async with deps.reader() as uow:
        deps.settings.load(await uow.config.list_setting_values())
        deps.grants.by_permission = {p.id: p.roles for p in await uow.config.list_permissions()}


async def _ensure_roles(deps: Deps, uow: UnitOfWork) -> None:
    have = {r.id for r in await uow.config.list_roles()}
    for name, scope, description in DEFAULT_ROLES:
        if name not in have:
            role = Role(id=name, name=name, description=description, scope=scope, protected=True)
            await uow.config.insert_role(role, deps.clock.now())


async def _ensure_permissions(deps: Deps, uow: UnitOfWork) -> None:
    have = {p.id for p in await uow.config.list_permissions()}
    for permission_id, roles in DEFAULT_PERMISSIONS.items():
        if permission_id not in have:
            await uow.config.upsert_permission(permission_id, roles, deps.clock.now())


async def _ensure_general(deps: Deps, uow: UnitOfWork) -> None:
    if await uow.rooms.find_room(GENERAL_ID):
        return
    now = deps.clock.now()
    await uow.rooms.insert_room(
        {
            "id": GENERAL_ID,
            "type": RoomType.CHANNEL.value,
            "name": "general",
            "created_at": now,
            "updated_at": now,
            "is_default": True,
        }
    )


async def _ensure_rocket_cat(deps: Deps, uow: UnitOfWork) -> None:
    """Rocket.Chat's system bot, the author of server notices."""
    if await uow.users.find_by_id(ROCKET_CAT_ID):
        return
    await insert_user(
        deps,
        uow,
        NewUser(
            user_id=ROCKET_CAT_ID,
            username="rocket.cat",
            name="Rocket.Cat",
            type=UserType.BOT,
            roles=("bot",),
            join_default_channels=False,
        ),
        password_hash=None,
    )
    await uow.users.update_user(ROCKET_CAT_ID, {"status": "online"})


async def _force_settings(deps: Deps, uow: UnitOfWork) -> None:
    forced = dict(deps.config.overwrite_settings)
    source = {setting_id: "OVERWRITE_SETTING" for setting_id in forced}
    if deps.config.site_url:
        forced.setdefault("Site_Url", deps.config.site_url)
        source.setdefault("Site_Url", "CHINWAG_SITE_URL")
    elif "Site_Url" not in await uow.config.list_setting_values():
        # Until an operator sets it, links point where this server first listened.
        forced.setdefault("Site_Url", deps.config.listen_url)
        source.setdefault("Site_Url", "the listen address")
    for setting_id, raw in forced.items():
        definition = BY_ID.get(setting_id)
        if definition is None:
            log.warning("unknown setting ignored", setting=setting_id)
            continue
        try:
            value = definition.coerce(raw)
        except ValueError as exc:
            log.error("forced setting refused", setting=setting_id, reason=str(exc))
            raise SystemExit(f"OVERWRITE_SETTING_{setting_id}: {exc}") from exc
        await uow.config.upsert_setting(setting_id, value, deps.clock.now())
        log.info("setting set at start", setting=setting_id, source=source[setting_id])


async def _ensure_env_admin(deps: Deps) -> None:
    """ADMIN_USERNAME / ADMIN_PASS / ADMIN_EMAIL create an admin when that username is free."""
    cfg = deps.config
    if not (cfg.admin_username and cfg.admin_pass):
        return
    async with deps.reader() as uow:
        if await uow.users.find_by_username(cfg.admin_username):
            return
    password_hash = await hash_password(deps, cfg.admin_pass)
    async with deps.uow() as uow:
        await insert_user(
            deps,
            uow,
            NewUser(
                username=cfg.admin_username,
                name=cfg.admin_name or cfg.admin_username,
                email=cfg.admin_email,
                roles=("admin", "user"),
                verified=True,
            ),
            password_hash,
        )
    log.info("admin created from environment", username=cfg.admin_username)
