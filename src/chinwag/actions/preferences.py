"""A user's preferences: the Accounts_Default_User_Preferences_* keys, each in its type."""

from chinwag.actions.access import can
from chinwag.actions.deps import Deps
from chinwag.actions.users import UserSelector, find_user
from chinwag.domain.errors import ChinwagError, Forbidden, InvalidParams
from chinwag.domain.models import User
from chinwag.domain.settings_registry import BY_ID, PREFERENCE_KEYS, PREFERENCE_PREFIX
from chinwag.events.types import UserUpdated


def _coerce_preference(key: str, raw: object) -> object:
    if key == "language":
        if not isinstance(raw, str) or len(raw) > 16:
            raise InvalidParams("language must be a language code")
        return raw
    definition = BY_ID.get(PREFERENCE_PREFIX + key)
    if key not in PREFERENCE_KEYS or definition is None:
        raise InvalidParams(f"Unknown preference: {key}")
    try:
        return definition.coerce(raw)
    except ValueError:
        raise InvalidParams(f"Invalid value for preference {key}") from None


async def set_preferences(
    deps: Deps, actor: User, user_id: str | None, data: dict[str, object]
) -> User:
    """users.setPreferences: one's own, or anyone's with edit-other-user-info."""
    target_id = user_id or actor.id
    if target_id != actor.id and not can(deps, actor, "edit-other-user-info"):
        raise Forbidden("Editing user is not allowed", "error-action-not-allowed")
    clean = {key: _coerce_preference(key, value) for key, value in data.items()}
    language = clean.pop("language", None)
    async with deps.uow() as uow:
        user = await uow.users.find_by_id(target_id)
        if user is None:
            raise ChinwagError(
                "error-invalid-user",
                'The optional "userId" param provided does not match any users',
            )
        values: dict[str, object] = {
            "preferences": {**user.preferences, **clean},
            "updated_at": deps.clock.now(),
        }
        if language is not None:
            values["language"] = language or None
        await uow.users.update_user(user.id, values)
        uow.emit(UserUpdated(user_id=user.id, fields=("preferences",)))
        return await find_user(uow, UserSelector(user_id=user.id))
