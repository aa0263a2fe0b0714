"""The background sender: drains the mail queue while the app runs, woken by new mail."""

import asyncio
import contextlib

import structlog

from chinwag.actions.deps import Deps
from chinwag.actions.mail import deliver_due
from chinwag.background import BackgroundTask
from chinwag.domain.mail import MailTransport, RetryPolicy
from chinwag.events.types import Event, MailQueued

log = structlog.get_logger(__name__)


class MailSender(BackgroundTask):
    """Runs `deliver_due` steps: at once when mail is queued (in this process, or in another
    one over a shared bus), else every `idle_seconds`, which also picks up retries that come
    due. Several processes may run one each against PostgreSQL: claims skip locked rows."""

    name = "mail-sender"

    def __init__(
        self,
        deps: Deps,
        transport: MailTransport,
        policy: RetryPolicy | None = None,
        idle_seconds: float = 5.0,
        batch: int = 20,
    ) -> None:
        super().__init__()
        self.deps = deps
        self.transport = transport
        self.policy = policy or RetryPolicy()
        self.idle_seconds = idle_seconds
        self.batch = batch
        self._wake = asyncio.Event()

    async def on_event(self, event: Event) -> None:
        if isinstance(event, MailQueued):
            self._wake.set()

    def start(self) -> None:
        self.deps.bus.listen(self.on_event)
        super().start()

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # before the step: mail queued during it wakes the next one
            claimed = 0
            try:
                report = await deliver_due(self.deps, self.transport, self.policy, self.batch)
                claimed = report.claimed
            except Exception:  # a database hiccup must not stop the sender for good
                log.exception("mail sender step failed")
            if claimed >= self.batch:
                continue  # more may be due right now
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
