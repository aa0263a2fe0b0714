"""The background pruner: forgets login history past its retention period while the app runs."""

import asyncio
import contextlib

import structlog

from chinwag.actions.deps import Deps
from chinwag.actions.login_history import prune_login_history

log = structlog.get_logger(__name__)


class Pruner:
    """Runs `prune_login_history` at start and then every `interval_seconds`. Several
    processes may each run one: a prune is one DELETE, harmless to repeat."""

    def __init__(self, deps: Deps, interval_seconds: float = 3600.0) -> None:
        self.deps = deps
        self.interval_seconds = interval_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="pruner")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                pruned = await prune_login_history(self.deps)
                if pruned:
                    log.info("login history pruned", rows=pruned)
            except Exception:  # a database hiccup must not stop the pruner for good
                log.exception("login history pruning failed")
            await asyncio.sleep(self.interval_seconds)
