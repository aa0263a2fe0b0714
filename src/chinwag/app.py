"""The composition root: builds Deps and the ASGI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from redis.asyncio import Redis
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from chinwag import __version__, logging
from chinwag.actions.bootstrap import bootstrap
from chinwag.actions.connection_presence import set_connection_status
from chinwag.actions.deps import Deps
from chinwag.actions.notices import log_security_notices
from chinwag.actions.pruning import Pruner
from chinwag.actions.shared_caches import follow_shared_changes
from chinwag.background import BackgroundTask
from chinwag.ddp.catch_up import CatchUp
from chinwag.ddp.renderers import register_renderers
from chinwag.ddp.rest_bridge import bridge
from chinwag.ddp.server import DdpServer
from chinwag.ddp.streams import StreamHub
from chinwag.domain.errors import ChinwagError
from chinwag.domain.mail import MailTransport
from chinwag.domain.models import Status
from chinwag.gc_pacing import GcPacer
from chinwag.http import avatar, envelope, pages, route_memo
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
from chinwag.pubsub.redis import RedisBus
from chinwag.pubsub.redis_counters import RedisCounters
from chinwag.pubsub.redis_presence import RedisPresence
from chinwag.settings import Config
from chinwag.storage.database import Database
from chinwag.storage.migrate import upgrade

DESCRIPTION = """Chinwag speaks Rocket.Chat's REST API. Every response carries `success`;
failures carry `error` and usually `errorType`, with HTTP 400, 401, 403 or 404.
Authenticate with the `X-User-Id` and `X-Auth-Token` headers that `login` returns."""


def build_deps(config: Config) -> Deps:
    if config.database_url is None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(config.effective_database_url)
    if config.redis_url:
        redis = Redis.from_url(config.redis_url, socket_keepalive=True, socket_connect_timeout=5)
        bus = RedisBus(redis, config.redis_prefix)
        deps = Deps(config=config, db=db, bus=bus, limits=RedisCounters(redis, config.redis_prefix))
        follow_shared_changes(deps)  # before anyone reads a changed setting back
    else:
        deps = Deps(config=config, db=db, bus=MemoryBus())
    deps.bus.listen(deps.auth_cache.on_event)
    return deps


def shared_presence(deps: Deps) -> RedisPresence | None:
    """Presence pooled in Redis when the bus is, so processes agree on who is online."""
    if not isinstance(deps.bus, RedisBus):
        return None
    presence = RedisPresence(deps.bus.redis, deps.config.redis_prefix, deps.config.presence_expiry)

    async def on_change(user_id: str, state: Status) -> None:
        await set_connection_status(deps, user_id, state)

    presence.on_change = on_change
    return presence


async def start(deps: Deps) -> None:
    """Migrate the schema and bootstrap the workspace; warn of risky settings."""
    await upgrade(deps.db)
    await bootstrap(deps)
    log_security_notices(deps)


def app_from_environment() -> FastAPI:
    """One worker of `chinwag serve --workers N`: its app, configured by the environment."""
    config = Config.from_env()
    logging.configure(config.log_level, config.log_format)
    return create_app(build_deps(config), pace_gc=True)


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
    deps: Deps,
    *,
    migrate: bool = True,
    mail_transport: MailTransport | None = None,
    pace_gc: bool = False,
) -> FastAPI:
    """The app. `pace_gc` (what `chinwag serve` sets) paces the garbage collector for a
    long-lived process with many connections (see gc_pacing)."""
    sender = MailSender(deps, mail_transport or SmtpTransport())
    presence = shared_presence(deps)
    background: list[BackgroundTask] = [Pruner(deps)]
    if pace_gc:
        background.append(GcPacer())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await deps.bus.start()
        if migrate:
            await start(deps)
        if presence is not None:
            await presence.start()
        sender.start()
        for task in background:
            task.start()
        yield
        for task in reversed(background):
            await task.stop()
        await sender.stop()
        if presence is not None:
            await presence.close()
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
    route_memo.install(app)
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
    ddp = DdpServer(deps, hub, presence=presence)
    if presence is not None:  # other processes: a broken link to them needs mending
        deps.bus.on_gap(ddp.presence.resync)
        catch_up = CatchUp(hub)
        deps.bus.listen(catch_up.on_event)
        deps.bus.on_gap(catch_up.run)
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
