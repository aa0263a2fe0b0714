"""The background pruner: forgets login history past its retention period while the app runs."""

import asyncio

import structlog

from chinwag.actions.deps import Deps
from chinwag.actions.login_history import prune_login_history
from chinwag.background import BackgroundTask

log = structlog.get_logger(__name__)


class Pruner(BackgroundTask):
    """Runs `prune_login_history` at start and then every `interval_seconds`. Several
    processes may each run one: a prune is one DELETE, harmless to repeat."""

    name = "pruner"

    def __init__(self, deps: Deps, interval_seconds: float = 3600.0) -> None:
        super().__init__()
        self.deps = deps
        self.interval_seconds = interval_seconds

    async def _run(self) -> None:
        while True:
            try:
                pruned = await prune_login_history(self.deps)
                if pruned:
                    log.info("login history pruned", rows=pruned)
            except Exception:  # a database hiccup must not stop the pruner for good
                log.exception("login history pruning failed")
            await asyncio.sleep(self.interval_seconds)
