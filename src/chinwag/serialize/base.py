"""Domain records in Rocket.Chat's REST shapes (field names, ISO dates)."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chinwag.actions.deps import Deps
from chinwag.domain.models import Invite, PersonalAccessToken, Room, RoomType, User
from chinwag.domain.settings_registry import PREFERENCE_KEYS, PREFERENCE_PREFIX

DateFn = Callable[[datetime | None], Any]


def iso(value: datetime | None) -> str | None:
    """`2024-05-01T12:00:00.000Z`, as Rocket.Chat's REST API writes dates."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def user_public(user: User) -> dict[str, Any]:
    """What any signed-in user may see of another."""
    return drop_none(
        {
            "_id": user.id,
            "type": user.type.value,
            "status": user.status.value,
            "active": user.active,
            "name": user.name,
            "username": user.username,
            "nickname": user.nickname,
            "bio": user.bio,
            "utcOffset": user.utc_offset,
            "statusText": user.status_text,
            "avatarETag": user.avatar_etag,
            "roles": list(user.roles),
        }
    )


def emails(user: User) -> list[dict[str, Any]] | None:
    if not user.email:
        return None
    return [{"address": user.email, "verified": user.email_verified}]


def user_full(user: User, date: DateFn = iso) -> dict[str, Any]:
    """Everything but secrets: for the user themself and for user administrators."""
    return drop_none(
        {
            **user_public(user),
            "emails": emails(user),
            "createdAt": date(user.created_at),
            "_updatedAt": date(user.updated_at),
            "lastLogin": date(user.last_login),
            "statusConnection": user.status_connection.value,
            "statusDefault": user.status_default.value,
            "requirePasswordChange": user.require_password_change or None,
            "customFields": user.custom_fields or None,
            "language": user.language,
            "reason": user.reason,
            "avatarOrigin": user.avatar_origin,
            "inviteToken": None,
        }
    )


def preferences(deps: Deps, user: User) -> dict[str, Any]:
    """The `Accounts_Default_User_Preferences_*` defaults overlaid with the user's own."""
    defaults = {key: deps.settings.get(PREFERENCE_PREFIX + key) for key in PREFERENCE_KEYS}
    return {**defaults, **user.preferences}


def own_preferences(deps: Deps, user: User) -> dict[str, Any]:
    """users.getPreferences / setPreferences: the preferences plus the chosen language."""
    body = preferences(deps, user)
    if user.language:
        body["language"] = user.language
    return body


def avatar_url(deps: Deps, user: User) -> str:
    return f"{deps.settings.str('Site_Url').rstrip('/')}/avatar/{user.username or user.id}"


def presence(user: User) -> dict[str, Any]:
    """One entry of users.presence."""
    return drop_none(
        {
            "_id": user.id,
            "username": user.username,
            "name": user.name,
            "status": user.status.value,
            "utcOffset": user.utc_offset,
            "statusText": user.status_text,
            "avatarETag": user.avatar_etag,
        }
    )


def personal_token(t: PersonalAccessToken) -> dict[str, Any]:
    """One entry of users.getPersonalAccessTokens (never the token itself)."""
    return {
        "name": t.name,
        "createdAt": iso(t.created_at),
        "lastTokenPart": t.last_token_part,
        "bypassTwoFactor": t.bypass_two_factor,
    }


def me(deps: Deps, user: User, date: DateFn = iso) -> dict[str, Any]:
    """The signed-in user's own profile, as `me` and login's `data.me` return it."""
    body = user_full(user, date)
    body.pop("createdAt", None)
    body.pop("lastLogin", None)
    body.update(
        {
            "email": user.email,
            "avatarUrl": avatar_url(deps, user),
            "settings": {"preferences": preferences(deps, user), "profile": {}},
            "isOAuthUser": False,
            "services": {
                "password": {"exists": user.has_password},
                "totp": {"enabled": user.totp_enabled},
                "email2fa": {"enabled": user.email2fa_enabled},
            },
        }
    )
    return drop_none(body)


def room(
    r: Room,
    last_message: dict[str, Any] | None = None,
    date: Callable[[datetime | None], Any] = iso,
) -> dict[str, Any]:
    """A room as Rocket.Chat returns it; `last_message` is the serialized `lastMessage`.

    `date` writes dates: ISO strings for REST, EJSON for the realtime API."""
    body: dict[str, Any] = {
        "_id": r.id,
        "t": r.type.value,
        "name": r.name,
        "fname": r.fname,
        "ts": date(r.created_at),
        "_updatedAt": date(r.updated_at),
        "msgs": r.msgs,
        "usersCount": r.users_count,
        "default": r.is_default,
        "ro": r.read_only,
        "sysMes": r.sys_mes,
        "topic": r.topic,
        "description": r.description,
        "announcement": r.announcement,
        "archived": r.archived or None,
        "lm": date(r.last_message_at),
        "prid": r.parent_id,
        "joinCodeRequired": bool(r.join_code) or None,
        "reactWhenReadOnly": r.react_when_read_only or None,
        "muted": list(r.muted) if r.type != RoomType.DIRECT else None,
        "customFields": r.custom_fields or None,
        "broadcast": r.broadcast or None,
        "encrypted": r.encrypted or None,
        "uids": list(r.dm_user_ids) or None,
        "usernames": list(r.dm_usernames) or None,
        "lastMessage": last_message,
    }
    if r.type == RoomType.DIRECT:
        for key in ("name", "fname", "default", "ro", "sysMes"):
            body.pop(key, None)
    if r.creator is not None:
        body["u"] = {"_id": r.creator.id, "username": r.creator.username}
    return drop_none(body)


def member(user: User) -> dict[str, Any]:
    """One entry of channels.members / groups.members / dm.members."""
    return drop_none(
        {
            "_id": user.id,
            "username": user.username,
            "name": user.name,
            "status": user.status.value,
            "statusText": user.status_text,
            "utcOffset": user.utc_offset,
        }
    )


def invite(deps: Deps, i: Invite) -> dict[str, Any]:
    return {
        "_id": i.id,
        "rid": i.room_id,
        "userId": i.creator_id,
        "createdAt": iso(i.created_at),
        "_updatedAt": iso(i.updated_at),
        "expires": iso(i.expires_at),
        "days": i.days,
        "maxUses": i.max_uses,
        "uses": i.uses,
        "url": f"{deps.settings.str('Site_Url').rstrip('/')}/invite/{i.id}",
        # Chinwag's own: joins came too fast, and the link waits for an administrator
        "paused": i.paused_at is not None,
        "pausedAt": iso(i.paused_at),
    }
