"""The composition root: builds Deps and the ASGI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from chinwag import __version__
from chinwag.actions.bootstrap import bootstrap
from chinwag.actions.deps import Deps
from chinwag.actions.notices import log_security_notices
from chinwag.actions.pruning import Pruner
from chinwag.ddp.renderers import register_renderers
from chinwag.ddp.rest_bridge import bridge
from chinwag.ddp.server import DdpServer
from chinwag.ddp.streams import StreamHub
from chinwag.domain.errors import ChinwagError
from chinwag.domain.mail import MailTransport
from chinwag.http import avatar, envelope, pages
from chinwag.http.forms import FormAsJson
from chinwag.http.metrics import Metrics, MetricsMiddleware
from chinwag.http.rate_limit import RateLimit
from chinwag.http.v1 import (
    abuse,
    audit,
    auth,
    banners,
    channels,
    channels_members,
    channels_settings,
    chat,
    chat_read,
    dm,
    email,
    invites,
    misc,
    moderation,
    permissions,
    profile,
    roles,
    rooms,
    settings,
    subscriptions,
    tokens,
    two_factor,
    users,
)
from chinwag.http.web import WebClient
from chinwag.mail.sender import MailSender
from chinwag.mail.smtp import SmtpTransport
from chinwag.pubsub.memory import MemoryBus
from chinwag.settings import Config
from chinwag.storage.database import Database
from chinwag.storage.migrate import upgrade

DESCRIPTION = """Chinwag speaks Rocket.Chat's REST API. Every response carries `success`;
failures carry `error` and usually `errorType`, with HTTP 400, 401, 403 or 404.
Authenticate with the `X-User-Id` and `X-Auth-Token` headers that `login` returns."""


def build_deps(config: Config) -> Deps:
    if config.database_url is None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    deps = Deps(config=config, db=Database(config.effective_database_url), bus=MemoryBus())
    deps.bus.listen(deps.auth_cache.on_event)
    return deps


async def start(deps: Deps) -> None:
    """Migrate the schema and bootstrap the workspace; warn of risky settings."""
    await upgrade(deps.db)
    await bootstrap(deps)
    log_security_notices(deps)


class Chinwag(FastAPI):
    """The ASGI app: the DDP WebSocket is taken before the HTTP middleware and routing, so a
    long-lived socket carries none of the per-request machinery, and its frames can go
    straight to the transport."""

    ddp: DdpServer | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == "/websocket" and self.ddp:
            await self.ddp.asgi(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    deps: Deps, *, migrate: bool = True, mail_transport: MailTransport | None = None
) -> FastAPI:
    sender = MailSender(deps, mail_transport or SmtpTransport())
    pruner = Pruner(deps)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await start(deps)
        sender.start()
        pruner.start()
        yield
        await pruner.stop()
        await sender.stop()
        await deps.bus.close()
        await deps.db.dispose()

    app = Chinwag(
        title="Chinwag",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.deps = deps
    app.add_exception_handler(ChinwagError, envelope.chinwag_error)
    app.add_exception_handler(RequestValidationError, envelope.validation_error)
    app.add_exception_handler(HTTPException, envelope.http_error)
    app.add_exception_handler(Exception, envelope.unexpected_error)
    app.add_middleware(FormAsJson)
    app.add_middleware(RateLimit, deps=deps)
    metrics = Metrics()
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_route("/metrics", metrics.endpoint, include_in_schema=False)
    hub = StreamHub(deps)
    register_renderers(hub)
    deps.bus.listen(hub.on_event)
    ddp = DdpServer(deps, hub)
    deps.bus.listen(ddp.on_event)  # sockets whose login ended lose it at once
    app.ddp = ddp
    for path, anonymous in (("method.call", False), ("method.callAnon", True)):
        route = f"/api/v1/{path}/{{method:path}}"
        app.add_route(route, bridge(deps, anonymous), methods=["POST"], include_in_schema=False)
    app.include_router(auth.info_router)
    app.include_router(avatar.router)
    app.include_router(pages.router)
    sections = (
        auth,
        users,
        email,
        profile,
        tokens,
        two_factor,
        settings,
        roles,
        permissions,
        invites,
        abuse,
        misc,
        banners,
        moderation,
        audit,
    )
    rooms_sections = (channels, channels_members, channels_settings, dm, rooms, subscriptions)
    for section in (*sections, *rooms_sections, chat, chat_read):
        app.include_router(section.router)
    WebClient().mount(app)
    return app
