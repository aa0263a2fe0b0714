"""Settings, roles and permissions in Rocket.Chat's REST shapes, and the dates their syncs take."""

from datetime import UTC, datetime
from typing import Any

from chinwag.actions.settings import SettingView, is_public
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Permission, Role, User
from chinwag.serialize.base import DateFn, emails, iso

# Every setting listing carries these, whatever `fields` asks for (as Rocket.Chat's projection).
SETTING_BASE = ("_id", "value")


def setting(view: SettingView) -> dict[str, Any]:
    """The full ISetting a privileged caller sees; lists project it down."""
    d = view.definition
    body: dict[str, Any] = {
        "_id": d.id,
        "value": view.value,
        "type": d.type,
        "public": is_public(d),
        "packageValue": d.default if d.type != "password" else "",
        "group": d.group,
        "hidden": d.hidden,
        "enterprise": False,
    }
    if d.section:
        body["section"] = d.section
    if d.values:
        body["values"] = [{"key": v, "i18nLabel": v} for v in d.values]
    if view.updated_at is not None:
        body["_updatedAt"] = iso(view.updated_at)
    return body


def project(
    item: dict[str, Any], fields: dict[str, Any], default: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Apply a Mongo-style `fields` projection: 1s add to the base keys, 0s remove; without
    1s the `default` keys show (every key when None)."""
    included = [k for k, v in fields.items() if v]
    excluded = {k for k, v in fields.items() if not v}
    keys = [*SETTING_BASE, *included] if included else list(default or item)
    return {k: item[k] for k in dict.fromkeys(keys) if k in item and k not in excluded}


def role(r: Role) -> dict[str, Any]:
    return {
        "_id": r.id,
        "name": r.name,
        "description": r.description,
        "scope": r.scope,
        "protected": r.protected,
        "mandatory2fa": r.mandatory_2fa,
    }


def role_synced(r: Role) -> dict[str, Any]:
    """A role as roles.sync lists it: with the time it last changed."""
    return {**role(r), "_updatedAt": iso(r.updated_at)}


def permission(p: Permission, date: DateFn = iso) -> dict[str, Any]:
    return {"_id": p.id, "roles": list(p.roles), "_updatedAt": date(p.updated_at)}


def user_in_role(u: User) -> dict[str, Any]:
    """The fields roles.getUsersInRole projects."""
    body: dict[str, Any] = {
        "_id": u.id,
        "username": u.username,
        "name": u.name,
        "createdAt": iso(u.created_at),
        "_updatedAt": iso(u.updated_at),
    }
    if u.email:
        body["emails"] = emails(u)
    if u.avatar_etag:
        body["avatarETag"] = u.avatar_etag
    return body


def parse_since(raw: str | None, name: str = "updatedSince") -> datetime | None:
    """An ISO 8601 date from a sync's query string; naive dates are taken as UTC."""
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ChinwagError(
            "error-roomId-param-invalid", f'The "{name}" query parameter must be a valid date.'
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
