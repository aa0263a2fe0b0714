"""Workspace settings: list them by who may see them, read one, change one."""

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from chinwag.actions.access import can, require_permission
from chinwag.actions.audit import record_audit
from chinwag.actions.deps import Deps
from chinwag.actions.two_factor import TwoFactorInput, check_code
from chinwag.domain.audit import Origin, is_secret_key
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.domain.models import User
from chinwag.domain.settings_registry import BY_ID, SETTINGS, SettingDef, SettingValue
from chinwag.events.types import SettingChanged

# What a password-type value reads as: admins may overwrite a secret, never read it back.
MASK = "********"
SORTABLE = ("_id", "group", "type")
INT_MAX = 2**53 - 1
_LITERAL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class SettingView:
    """A setting as a caller may see it: its definition and its (possibly masked) value."""

    definition: SettingDef
    value: SettingValue
    updated_at: datetime | None


@dataclass(frozen=True)
class SettingFilter:
    """The subset of Rocket.Chat's `query` (and `_id` param) the settings lists honour."""

    ids: frozenset[str] | None = None
    id_match: Callable[[str], bool] | None = None
    group: str | None = None
    type: str | None = None
    public: bool | None = None

    def matches(self, d: SettingDef) -> bool:
        return (
            (self.ids is None or d.id in self.ids)
            and (self.id_match is None or self.id_match(d.id))
            and (self.group is None or d.group == self.group)
            and (self.type is None or d.type == self.type)
            and (self.public is None or is_public(d) == self.public)
        )


def is_public(d: SettingDef) -> bool:
    """Public settings reach anyone, signed in or not; hidden ones never do."""
    return d.public and not d.hidden


def invalid_query() -> ChinwagError:
    return ChinwagError("error-invalid-query", "Invalid query parameter provided")


def _regex(spec: dict[str, object]) -> Callable[[str], bool]:
    """A `$regex` limited to anchors around a literal, so no pattern can be made to backtrack."""
    pattern, options = spec.get("$regex"), spec.get("$options", "")
    if not isinstance(pattern, str) or not isinstance(options, str):
        raise invalid_query()
    if set(spec) - {"$regex", "$options"}:
        raise invalid_query()
    start, end = pattern.startswith("^"), pattern.endswith("$") and len(pattern) > 1
    body = pattern[int(start) : len(pattern) - int(end)]
    if not _LITERAL.fullmatch(body):
        raise ChinwagError("error-invalid-query", "Only literal $regex patterns are supported")
    compiled = re.compile(
        ("^" if start else "") + re.escape(body) + ("$" if end else ""),
        re.IGNORECASE if "i" in options else 0,
    )
    return lambda setting_id: compiled.search(setting_id) is not None


def _ids(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset((value,))
    if isinstance(value, dict) and set(value) == {"$in"} and isinstance(value["$in"], list):
        return frozenset(v for v in value["$in"] if isinstance(v, str))
    raise invalid_query()


def setting_filter(query: dict[str, object], id_param: str | None = None) -> SettingFilter:
    """Turn `query` (a Mongo-style filter) and the comma-separated `_id` param into a filter."""
    ids = frozenset(i.strip() for i in id_param.split(",") if i.strip()) if id_param else None
    id_match: Callable[[str], bool] | None = None
    exact: dict[str, str] = {}
    public: bool | None = None
    for key, value in query.items():
        if key == "_id" and isinstance(value, dict) and "$regex" in value:
            id_match = _regex(value)
        elif key == "_id":
            ids = _ids(value) & ids if ids is not None else _ids(value)
        elif key in ("group", "type") and isinstance(value, str):
            exact[key] = value
        elif key == "public" and isinstance(value, bool):
            public = value
        else:
            raise ChinwagError("error-invalid-query", f"Unsupported query field: {key}")
    return SettingFilter(ids, id_match, exact.get("group"), exact.get("type"), public)


def _view(deps: Deps, d: SettingDef) -> SettingView:
    value = deps.settings.get(d.id)
    if d.type == "password" and value:
        value = MASK
    return SettingView(definition=d, value=value, updated_at=deps.settings.updated_at.get(d.id))


def _select(
    deps: Deps,
    defs: Sequence[SettingDef],
    flt: SettingFilter,
    offset: int,
    count: int | None,
    sort: dict[str, int],
) -> tuple[list[SettingView], int]:
    chosen = [d for d in defs if flt.matches(d)]
    for key, direction in reversed(list(sort.items()) or [("_id", 1)]):
        if key not in SORTABLE:
            raise ChinwagError("error-invalid-sort", f"Cannot sort settings by {key}")
        chosen.sort(key=operator.attrgetter("id" if key == "_id" else key), reverse=direction < 0)
    end = None if count is None else offset + count
    return [_view(deps, d) for d in chosen[offset:end]], len(chosen)


async def list_public_settings(
    deps: Deps, flt: SettingFilter, offset: int, count: int | None, sort: dict[str, int]
) -> tuple[list[SettingView], int]:
    """settings.public: what anyone may read, signed in or not."""
    public = [d for d in SETTINGS if is_public(d)]
    return _select(deps, public, flt, offset, count, sort)


def sees_private_settings(deps: Deps, actor: User) -> bool:
    return can(deps, actor, "view-privileged-setting")


async def list_settings(
    deps: Deps,
    actor: User,
    flt: SettingFilter,
    offset: int,
    count: int | None,
    sort: dict[str, int],
) -> tuple[list[SettingView], int]:
    """settings: every setting for administrators, the public ones for everybody else."""
    if sees_private_settings(deps, actor):
        return _select(deps, SETTINGS, flt, offset, count, sort)
    return await list_public_settings(deps, flt, offset, count, sort)


def setting_not_found(setting_id: str) -> ChinwagError:
    return ChinwagError("error-invalid-setting", f"Setting {setting_id} does not exist")


def _definition(setting_id: str) -> SettingDef:
    definition = BY_ID.get(setting_id)
    if definition is None:
        raise setting_not_found(setting_id)
    return definition


async def get_setting(deps: Deps, actor: User, setting_id: str) -> SettingView:
    """settings/:_id (GET): one setting, for those who may see privileged settings."""
    require_permission(deps, actor, "view-privileged-setting")
    return _view(deps, _definition(setting_id))


def _coerce(definition: SettingDef, raw: object) -> SettingValue:
    try:
        value = definition.coerce(raw)
    except ValueError as exc:
        raise InvalidParams(str(exc)) from None
    # Counts, limits and minutes below zero, or past what JSON clients and the databases'
    # LIMIT can hold, only ever break the features reading them.
    if definition.type == "int" and isinstance(value, int) and not 0 <= value <= INT_MAX:
        raise InvalidParams(f"{definition.id} takes a whole number from 0 to {INT_MAX}")
    return value


def _audited(definition: SettingDef, value: SettingValue) -> SettingValue:
    """A setting's value as the audit trail keeps it: secrets only as the mask."""
    secret = definition.type == "password" or is_secret_key(definition.id)
    return MASK if secret and value not in (None, "") else value


async def update_setting(
    deps: Deps,
    actor: User,
    setting_id: str,
    raw: object,
    two_factor: TwoFactorInput | None = None,
    origin: Origin | None = None,
) -> SettingView:
    """settings/:_id (POST): change a setting's value. Emits SettingChanged. A guarded call:
    it needs a second factor (or the password as fallback)."""
    require_permission(deps, actor, "edit-privileged-setting")
    definition = _definition(setting_id)
    value = _coerce(definition, raw)
    if two_factor is not None:
        await check_code(deps, actor, two_factor)
    now = deps.clock.now()
    before = deps.settings.get(setting_id)
    async with deps.uow() as uow:
        await uow.config.upsert_setting(setting_id, value, now)
        await record_audit(
            deps,
            uow,
            actor,
            "settings.update",
            origin,
            target=("setting", setting_id),
            before={"value": _audited(definition, before)},
            after={"value": _audited(definition, value)},
        )
    # The cache moves only once the write is committed, and before the event goes out, so
    # a listener reading the setting back sees the new value.
    deps.settings.set(setting_id, value, now)
    await deps.publish([SettingChanged(setting_id=setting_id, public=is_public(definition))])
    return _view(deps, definition)
