"""Finding people and rooms: the directory (paged, sortable) and spotlight (quick search)."""

from dataclasses import dataclass

from chinwag.actions.access import can
from chinwag.actions.deps import Deps
from chinwag.domain.errors import Forbidden, InvalidParams
from chinwag.domain.models import Room, User

DIRECTORY_TYPES = ("users", "channels", "teams")
USER_SORT_KEYS = ("name", "username", "createdAt", "email")
CHANNEL_SORT_KEYS = ("name", "createdAt", "usersCount", "lastMessage")
# Rocket.Chat's defaults: Number_of_users_autocomplete_suggestions and spotlight's room limit.
SPOTLIGHT_USERS = 5
SPOTLIGHT_ROOMS = 5


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    type: str = "channels"
    workspace: str = "local"


@dataclass(frozen=True)
class DirectoryPage:
    users: list[User]
    rooms: list[Room]
    total: int
    with_emails: bool = False  # whether the caller may see the listed users' addresses


@dataclass(frozen=True)
class SpotlightResult:
    users: list[User]
    rooms: list[Room]


def _verify() -> InvalidParams:
    return InvalidParams("Please verify the parameters")


def _one_sort(sort: dict[str, int], allowed: tuple[str, ...]) -> tuple[str, int]:
    if len(sort) > 1:
        raise InvalidParams('This method support only one "sort" parameter')
    key, direction = next(iter(sort.items()), ("name", 1))
    if key not in allowed:
        raise _verify()
    return key, direction


async def directory(
    deps: Deps,
    actor: User,
    query: DirectoryQuery,
    sort: dict[str, int],
    offset: int,
    count: int | None,
) -> DirectoryPage:
    """Rocket.Chat's directory: active users, or public channels, one page at a time."""
    if query.type not in DIRECTORY_TYPES:
        raise _verify()
    if query.type == "users":
        return await _directory_users(deps, actor, query.text, sort, offset, count)
    if query.type == "channels":
        return await _directory_channels(deps, actor, query.text, sort, offset, count)
    return DirectoryPage(users=[], rooms=[], total=0)  # no teams yet


async def _directory_users(
    deps: Deps, actor: User, text: str, sort: dict[str, int], offset: int, count: int | None
) -> DirectoryPage:
    if not (can(deps, actor, "view-outside-room") and can(deps, actor, "view-d-room")):
        raise Forbidden()
    with_emails = can(deps, actor, "view-full-other-user-info")
    key = _one_sort(sort, USER_SORT_KEYS)
    if key[0] == "email" and not with_emails:
        raise _verify()  # ordering by address would leak what it hides
    async with deps.reader() as uow:
        users, total = await uow.users.list_directory_users(text, with_emails, key, offset, count)
    return DirectoryPage(users=users, rooms=[], total=total, with_emails=with_emails)


async def _directory_channels(
    deps: Deps, actor: User, text: str, sort: dict[str, int], offset: int, count: int | None
) -> DirectoryPage:
    if not can(deps, actor, "view-c-room"):
        raise Forbidden()
    key = _one_sort(sort, CHANNEL_SORT_KEYS)
    async with deps.reader() as uow:
        rooms, total = await uow.rooms.list_directory_channels(text, key, offset, count)
    return DirectoryPage(users=[], rooms=rooms, total=total)


def _scope(text: str) -> tuple[str, bool, bool]:
    """Spotlight's prefixes: `#` searches rooms only, `@` users only."""
    users = rooms = True
    if text.startswith("#"):
        users, text = False, text[1:]
    if text.startswith("@"):
        rooms, text = False, text[1:]
    return text, users, rooms


async def spotlight(deps: Deps, actor: User, text: str) -> SpotlightResult:
    """Quick search: people the caller may see, and public channels or the caller's own rooms."""
    text, want_users, want_rooms = _scope(text.strip())
    everyone = can(deps, actor, "view-outside-room") and can(deps, actor, "view-d-room")
    public = can(deps, actor, "view-outside-room") and can(deps, actor, "view-c-room")
    users: list[User] = []
    rooms: list[Room] = []
    async with deps.reader() as uow:
        if want_users:
            mates_of = None if everyone else actor.id
            users = await uow.users.list_spotlight_users(text, SPOTLIGHT_USERS, mates_of)
        if want_rooms:
            rooms = await uow.rooms.list_spotlight_rooms(text, actor.id, public, SPOTLIGHT_ROOMS)
    return SpotlightResult(users=users, rooms=rooms)
