"""Rocket.Chat's roles and permission ids, with their default grants."""

from collections.abc import Iterable, Mapping

# (name, scope, description); all shipped roles are protected and cannot be deleted.
DEFAULT_ROLES: tuple[tuple[str, str, str], ...] = (
    ("admin", "Users", "Admin"),
    ("moderator", "Subscriptions", "Moderator"),
    ("leader", "Subscriptions", "Leader"),
    ("owner", "Subscriptions", "Owner"),
    ("user", "Users", "User"),
    ("bot", "Users", "Bot"),
    ("app", "Users", "App"),
    ("guest", "Users", "Guest"),
    ("anonymous", "Users", "Anonymous"),
)

_A = "admin"
_O = "owner"
_M = "moderator"
_U = "user"
_B = "bot"
_APP = "app"
_G = "guest"
_ANON = "anonymous"

DEFAULT_PERMISSIONS: Mapping[str, tuple[str, ...]] = {
    "access-permissions": (_A,),
    "access-setting-permissions": (_A,),
    "add-oauth-service": (_A,),
    "add-user-to-joined-room": (_A, _O, _M),
    "add-user-to-any-c-room": (_A,),
    "add-user-to-any-p-room": (),
    "api-bypass-rate-limit": (_A, _B, _APP),
    "archive-room": (_A, _O),
    "assign-admin-role": (_A,),
    "assign-roles": (_A,),
    "ban-user": (_A, _O, _M),
    "bulk-register-user": (_A,),
    "bypass-time-limit-edit-and-delete": (_B, _APP),
    "clean-channel-history": (_A,),
    "create-c": (_A, _U, _B, _APP),
    "create-d": (_A, _U, _B, _APP),
    "create-p": (_A, _U, _B, _APP),
    "create-personal-access-tokens": (_A, _U),
    "create-team": (_A, _U),
    "create-user": (_A,),
    "create-invite-links": (_A, _O, _M),
    "delete-c": (_A, _O),
    "delete-d": (_A,),
    "delete-message": (_A, _O, _M),
    "delete-own-message": (_A, _U),
    "delete-p": (_A, _O),
    "delete-user": (_A,),
    "edit-message": (_A, _O, _M),
    "edit-other-user-active-status": (_A,),
    "edit-other-user-avatar": (_A,),
    "edit-other-user-info": (_A,),
    "edit-other-user-password": (_A,),
    "edit-other-user-totp": (_A,),
    "edit-privileged-setting": (_A,),
    "edit-room": (_A, _O, _M),
    "edit-room-avatar": (_A, _O, _M),
    "edit-room-retention-policy": (_A,),
    "force-delete-message": (_A, _O),
    "join-without-join-code": (_A, _B, _APP),
    "leave-c": (_A, _U, _B, _ANON, _APP),
    "leave-p": (_A, _U, _B, _ANON, _APP),
    "logout-other-user": (_A,),
    "manage-assets": (_A,),
    "manage-emoji": (_A,),
    "manage-incoming-integrations": (_A,),
    "manage-outgoing-integrations": (_A,),
    "manage-own-incoming-integrations": (_A,),
    "manage-own-outgoing-integrations": (_A,),
    "manage-moderation-actions": (_A,),
    "manage-oauth-apps": (_A,),
    "manage-selected-settings": (_A,),
    "manage-sounds": (_A,),
    "manage-user-status": (_A,),
    "mention-all": (_A, _O, _M, _U),
    "mention-here": (_A, _O, _M, _U),
    "message-impersonate": (_B, _APP),
    "mute-user": (_A, _O, _M),
    "pin-message": (_A, _O, _M),
    "post-readonly": (_A, _O, _M),
    "preview-c-room": (_A, _U, _ANON),
    "remove-user": (_A, _O, _M),
    "reset-other-user-e2e-key": (_A,),
    "run-import": (_A,),
    "run-migration": (_A,),
    "send-many-messages": (_A, _B, _APP),
    "send-mail": (_A,),
    "set-leader": (_A, _O),
    "set-moderator": (_A, _O),
    "set-owner": (_A, _O),
    "set-react-when-readonly": (_A, _O),
    "set-readonly": (_A, _O),
    "start-discussion": (_A, _U, _G, _APP),
    "start-discussion-other-user": (_A, _U, _O, _APP),
    "toggle-room-e2e-encryption": (_A, _O),
    "unarchive-room": (_A,),
    "user-generate-access-token": (_A,),
    "view-broadcast-member-list": (_A, _O, _M),
    "view-c-room": (_A, _U, _B, _APP, _ANON),
    "view-d-room": (_A, _U, _B, _APP, _G),
    "view-full-other-user-info": (_A,),
    "view-history": (_A, _U, _ANON),
    "view-join-code": (_A,),
    "view-joined-room": (_G, _B, _APP, _ANON),
    "view-logs": (_A,),
    "view-moderation-console": (_A,),
    "view-other-user-channels": (_A,),
    "view-outside-room": (_A, _O, _M, _U),
    "view-p-room": (_A, _U, _ANON, _G),
    "view-privileged-setting": (_A,),
    "view-room-administration": (_A,),
    "view-statistics": (_A,),
    "view-user-administration": (_A,),
    "view-all-teams": (_A,),
    # Chinwag's own: the audit trail and evidence bundles are for administrators only.
    "view-audit-log": (_A,),
}


def has_permission(
    grants: Mapping[str, Iterable[str]], permission: str, roles: Iterable[str]
) -> bool:
    """True when any of `roles` is granted `permission` in `grants`."""
    allowed = grants.get(permission, ())
    return any(role in allowed for role in roles)
