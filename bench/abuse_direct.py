"""The abuse detectors' cost measured inside one process, without HTTP: sign-ups and posts
made through the actions, each call alternating detectors off and on, so both see the same
machine. Reports the median time of each, and the difference."""

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from chinwag.actions.accounts import NewUser, hash_password, insert_user
from chinwag.actions.deps import Deps
from chinwag.actions.invites import find_or_create_invite
from chinwag.actions.messages import NewMessage, send_message
from chinwag.actions.registration import Registration, register_user
from chinwag.actions.rooms import open_direct_message
from chinwag.app import build_deps, start
from chinwag.domain.models import User
from chinwag.logging import configure as configure_logging
from chinwag.settings import Config

PASSWORD = "bench-user-pass-1"


def run(calls: int, bcrypt_rounds: int, off: dict[str, str], on: dict[str, str]) -> list[Any]:
    configure_logging("warning")  # the report goes to stdout
    return asyncio.run(_run(calls, bcrypt_rounds, off, on))


async def _run(calls: int, rounds: int, off: dict[str, str], on: dict[str, str]) -> list[Any]:
    with tempfile.TemporaryDirectory(prefix="chinwag-bench-") as data:
        config = Config(data_dir=Path(data), bcrypt_rounds=rounds, overwrite_settings=off)
        deps = build_deps(config)
        await start(deps)
        try:
            return await _measure(deps, calls, off, on)
        finally:
            await deps.db.dispose()


async def _measure(deps: Deps, calls: int, off: dict[str, str], on: dict[str, str]) -> list[Any]:
    admin = await _user(deps, "bench-admin", ("admin", "user"))
    sender = await _user(deps, "sender", ("user",))
    await _user(deps, "receiver", ("user",))
    invite = await find_or_create_invite(deps, admin, "GENERAL", 0, 0)
    dm = await open_direct_message(deps, sender, ("receiver",))
    numbers = iter(range(10**9))

    async def sign_up() -> None:
        n = next(numbers)
        form = Registration(
            username=f"newcomer-{n}",
            email=f"newcomer-{n}@example.com",
            password=PASSWORD,
            name="Newcomer",
            secret_url=invite.id,
            client_ip=f"203.0.{n % 250}.7",
        )
        await register_user(deps, form)

    async def post() -> None:
        await send_message(deps, sender, NewMessage(dm.id, "hello"))

    return [
        await _alternate(deps, "users.register via an invite link", sign_up, calls, off, on),
        await _alternate(deps, "chat.sendMessage to a DM, young sender", post, calls, off, on),
    ]


async def _alternate(
    deps: Deps,
    case: str,
    call: Callable[[], Awaitable[None]],
    calls: int,
    off: dict[str, str],
    on: dict[str, str],
) -> dict[str, Any]:
    took: dict[bool, list[float]] = {False: [], True: []}
    for i in range(calls * 2 + 20):
        detectors = i % 2 == 1
        _apply(deps, on if detectors else off)
        start = time.perf_counter()
        await call()
        if i >= 20:  # the first few warm caches up
            took[detectors].append((time.perf_counter() - start) * 1e6)
    median_off = statistics.median(took[False])
    median_on = statistics.median(took[True])
    return {
        "case": case,
        "calls_each": calls,
        "median_us_off": round(median_off),
        "median_us_on": round(median_on),
        "added_us": round(median_on - median_off),
    }


def _apply(deps: Deps, settings: dict[str, str]) -> None:
    now = deps.clock.now()
    for setting_id, raw in settings.items():
        deps.settings.set(setting_id, _coerce(raw), now)


def _coerce(raw: str) -> bool | int | str:
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return int(raw)
    except ValueError:
        return raw


async def _user(deps: Deps, username: str, roles: tuple[str, ...]) -> User:
    password_hash = await hash_password(deps, PASSWORD)
    async with deps.uow() as uow:
        return await insert_user(
            deps,
            uow,
            NewUser(username=username, name=username, email=f"{username}@example.com", roles=roles),
            password_hash,
        )
