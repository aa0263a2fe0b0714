"""The auth cache answers repeat requests without a query, and forgets on every change."""

from datetime import UTC, datetime, timedelta

import httpx

from chinwag.actions.auth_cache import AuthCache
from chinwag.actions.deps import Deps
from chinwag.domain.models import User, UserType
from chinwag.events.types import TokenRevoked, UserUpdated
from tests.conftest import Persona

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _user(user_id: str = "u1") -> User:
    return User(
        id=user_id,
        username="x",
        name="X",
        type=UserType.USER,
        active=True,
        roles=("user",),
        created_at=NOW,
        updated_at=NOW,
    )


def _cache(clock: list[float]) -> AuthCache:
    return AuthCache(max_entries=2, ttl=60, monotonic=lambda: clock[0])


async def test_entries_expire_with_the_token_and_the_ttl() -> None:
    clock = [0.0]
    cache = _cache(clock)
    cache.remember("h", ("u1", NOW + timedelta(hours=1), False), _user())
    assert cache.lookup("h", "u1", NOW, personal_ok=True) is not None
    assert cache.lookup("h", "other", NOW, personal_ok=True) is None
    assert cache.lookup("h", "u1", NOW + timedelta(hours=2), personal_ok=True) is None
    clock[0] = 61
    assert cache.lookup("h", "u1", NOW, personal_ok=True) is None


async def test_events_evict_and_size_is_bounded() -> None:
    clock = [0.0]
    cache = _cache(clock)
    cache.remember("pat", ("u1", None, True), _user())
    assert cache.lookup("pat", "u1", NOW, personal_ok=False) is None
    await cache.on_event(UserUpdated(user_id="u1", fields=("name",)))
    assert cache.lookup("pat", "u1", NOW, personal_ok=True) is None
    cache.remember("pat", ("u1", None, True), _user())
    await cache.on_event(TokenRevoked(user_id="u1"))
    assert cache.lookup("pat", "u1", NOW, personal_ok=True) is None
    for i in range(3):
        cache.remember(f"h{i}", (f"u{i}", None, False), _user(f"u{i}"))
    assert cache.lookup("h0", "u0", NOW, personal_ok=True) is None  # evicted, oldest first
    assert cache.lookup("h2", "u2", NOW, personal_ok=True) is not None


async def test_profile_change_is_seen_by_the_next_request(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    assert (await client.get("/api/v1/me", headers=alice.headers)).json()["name"] == "Alice"
    r = await client.post(
        "/api/v1/users.updateOwnBasicInfo", headers=alice.headers, json={"data": {"name": "Al"}}
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/api/v1/me", headers=alice.headers)).json()["name"] == "Al"


async def test_removed_access_token_stops_working_at_once(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    made = await client.post(
        "/api/v1/users.generatePersonalAccessToken",
        headers=alice.headers,
        json={"tokenName": "bot", "bypassTwoFactor": False},
    )
    assert made.status_code == 200, made.text
    pat = {"X-User-Id": alice.id, "X-Auth-Token": made.json()["token"]}
    assert (await client.get("/api/v1/me", headers=pat)).status_code == 200
    r = await client.post(
        "/api/v1/users.removePersonalAccessToken", headers=alice.headers, json={"tokenName": "bot"}
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/api/v1/me", headers=pat)).status_code == 401
