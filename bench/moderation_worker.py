"""One side of `python -m bench moderation --in-process`: run the actions themselves, in this
process, against a fresh database, and print the CPU time each took (JSON on stdout). Run it
with PYTHONPATH pointing at another checkout's `src` to measure that code instead: it calls
only actions that both sides have."""

import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from chinwag.actions.accounts import NewUser, insert_user
from chinwag.actions.history import room_history
from chinwag.actions.messages import NewMessage, send_message
from chinwag.actions.users import set_active_status
from chinwag.app import build_deps, start
from chinwag.settings import Config

GENERAL = "GENERAL"


async def _measure(label: str, step: Any, n: int) -> dict[str, Any]:
    """CPU and wall time per call; then, under cProfile, Python function calls per call: a
    count that a busy machine does not disturb."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(n):
        await step(i)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    counted = max(n // 10, 1)
    profile = cProfile.Profile()
    profile.enable()
    for i in range(counted):
        await step(n + i)
    profile.disable()
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return {
        "case": label,
        "n": n,
        "cpu_us": round(cpu / n * 1e6, 1),
        "wall_us": round(wall / n * 1e6, 1),
        "python_calls": round(calls / counted, 1),
    }


async def main(database_url: str | None, n: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="chinwag-bench-") as data:
        config = Config(data_dir=Path(data), database_url=database_url, bcrypt_rounds=4)
        deps = build_deps(config)
        await start(deps)
        try:
            async with deps.uow() as uow:
                admin = await insert_user(
                    deps, uow, NewUser("boss", "Boss", roles=("admin", "user")), None
                )
                target = await insert_user(deps, uow, NewUser("target", "Target"), None)
                writer = await insert_user(deps, uow, NewUser("writer", "Writer"), None)
            async with deps.reader() as uow:
                room = await uow.rooms.find_room(GENERAL)
            assert room is not None

            async def toggle(i: int) -> None:
                await set_active_status(deps, admin, target.id, i % 2 == 1)

            async def post(i: int) -> None:
                await send_message(deps, writer, NewMessage(GENERAL, f"message {i}"))

            async def read(_: int) -> None:
                await room_history(deps, writer, room, None, None, False, 0, 50)

            cases = [
                ("users.setActiveStatus (admin action)", toggle),
                ("chat.postMessage", post),
                ("channels.history, 50 of the room's messages", read),
            ]
            cases += _audit_alone(deps, admin)
            rows = []
            for label, step in cases:
                await _measure(label, step, n // 10)  # warm up
                rows.append(await _measure(label, step, n))
            return rows
        finally:
            await deps.db.dispose()


def _audit_alone(deps: Any, admin: Any) -> list[tuple[str, Any]]:
    """Where the code has an audit trail: one entry in an otherwise empty transaction, and
    the empty transaction itself, so their difference is what an entry costs."""
    try:
        from chinwag.actions.audit import record_audit
    except ImportError:
        return []

    async def empty(_: int) -> None:
        async with deps.uow():
            pass

    async def entry(i: int) -> None:
        async with deps.uow() as uow:
            after = {"active": i % 2 == 1}
            await record_audit(deps, uow, admin, "bench", None, ("user", "x"), None, after)

    return [("empty transaction", empty), ("one audit entry in a transaction", entry)]


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-" else None
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(json.dumps(asyncio.run(main(url, count))))
