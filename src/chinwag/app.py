"""The composition root: builds Deps and the ASGI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from chinwag import __version__
from chinwag.actions.bootstrap import bootstrap
from chinwag.actions.deps import Deps
from chinwag.ddp.renderers import register_renderers
from chinwag.ddp.rest_bridge import bridge
from chinwag.ddp.server import DdpServer
from chinwag.ddp.streams import StreamHub
from chinwag.domain.errors import ChinwagError
from chinwag.http import avatar, envelope
from chinwag.http.forms import FormAsJson
from chinwag.http.metrics import Metrics, MetricsMiddleware
from chinwag.http.v1 import (
    auth,
    channels,
    channels_members,
    channels_settings,
    chat,
    chat_read,
    dm,
    invites,
    misc,
    permissions,
    profile,
    roles,
    rooms,
    settings,
    subscriptions,
    tokens,
    users,
)
from chinwag.http.web import WebClient
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
    """Migrate the schema and bootstrap the workspace."""
    await upgrade(deps.db)
    await bootstrap(deps)


def create_app(deps: Deps, *, migrate: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await start(deps)
        yield
        await deps.bus.close()
        await deps.db.dispose()

    app = FastAPI(
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
    metrics = Metrics()
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_route("/metrics", metrics.endpoint, include_in_schema=False)
    hub = StreamHub(deps)
    register_renderers(hub)
    deps.bus.listen(hub.on_event)
    app.add_api_websocket_route("/websocket", DdpServer(deps, hub).endpoint)
    for path, anonymous in (("method.call", False), ("method.callAnon", True)):
        route = f"/api/v1/{path}/{{method:path}}"
        app.add_route(route, bridge(deps, anonymous), methods=["POST"], include_in_schema=False)
    app.include_router(auth.info_router)
    app.include_router(avatar.router)
    sections = (auth, users, profile, tokens, settings, roles, permissions, invites, misc)
    rooms_sections = (channels, channels_members, channels_settings, dm, rooms, subscriptions)
    for section in (*sections, *rooms_sections, chat, chat_read):
        app.include_router(section.router)
    WebClient().mount(app)
    return app
