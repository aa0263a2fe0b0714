"""Work that runs beside the server for as long as the app does."""

import asyncio
import contextlib


class BackgroundTask:
    """One asyncio task, started with the app and cancelled when it stops. Subclasses write
    `_run` (which loops until cancelled) and name the task."""

    name = "background"

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        raise NotImplementedError
