"""`chinwag serve | migrate | users ...`: parse arguments, build the configuration, run."""

import asyncio
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from chinwag import __version__, logging

app = typer.Typer(
    help="Chinwag: a self-hosted team chat server that speaks Rocket.Chat's APIs.",
    no_args_is_help=True,
    add_completion=False,
)
users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
audit_app = typer.Typer(help="Check the audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
# Soft wrap: a long path or URL stays on one line, whole, for the reader and for grep.
console = Console(stderr=True, soft_wrap=True)

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Data directory for SQLite (env CHINWAG_DATA_DIR; default ./chinwag-data).",
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="postgresql://... to use PostgreSQL (env CHINWAG_DATABASE_URL)."
    ),
]


def _config(data: Path | None, database_url: str | None, **extra: object):  # type: ignore[no-untyped-def]
    from chinwag.settings import Config

    return Config.from_env(data_dir=data, database_url=database_url, **extra)


def _where(config) -> str:  # type: ignore[no-untyped-def]
    if config.database_url:
        from sqlalchemy.engine import make_url

        return make_url(config.effective_database_url).render_as_string(hide_password=True)
    return str((config.data_dir / "chinwag.db").resolve())


SERVE_EPILOG = (
    "Also read from the environment: ADMIN_USERNAME, ADMIN_PASS, ADMIN_EMAIL, ADMIN_NAME "
    "(create this admin at start if the username is free); OVERWRITE_SETTING_<id>=value "
    "(force a workspace setting by its Rocket.Chat id); CREATE_TOKENS_FOR_USERS_SECRET "
    "(enables users.createToken); CHINWAG_BCRYPT_ROUNDS (default 10); CHINWAG_LOG_FORMAT "
    "(console or json); CHINWAG_WS_COMPRESSION=true offers permessage-deflate on /websocket "
    "(off by default: it costs about 40 KB and a compression per frame for every socket); "
    "CHINWAG_REDIS_PREFIX (default chinwag:) prefixes every Redis key and channel; "
    "CHINWAG_PRESENCE_EXPIRY (seconds, default 30) is how long a silent process's users stay "
    "online. "
    "Mail (verification, password reset, invitations) goes out once "
    "SMTP_Host is set, e.g. OVERWRITE_SETTING_SMTP_Host=mail.example.com."
)


@app.command(epilog=SERVE_EPILOG)
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (env CHINWAG_HOST; default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (env CHINWAG_PORT; default 3000).")
    ] = None,
    data: DataOpt = None,
    database_url: DbOpt = None,
    site_url: Annotated[
        str | None, typer.Option(help="Public URL; forces Site_Url (env CHINWAG_SITE_URL).")
    ] = None,
    log_level: Annotated[
        str | None, typer.Option(help="debug, info, warning or error (env CHINWAG_LOG_LEVEL).")
    ] = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            help="redis://host:port/db: share events, presence and rate limits with other "
            "processes (env CHINWAG_REDIS_URL; key prefix CHINWAG_REDIS_PREFIX)."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes sharing the port (env CHINWAG_WORKERS; default 1). More than "
            "one needs PostgreSQL and Redis.",
        ),
    ] = None,
) -> None:
    """Run the server: migrate, bootstrap, then serve the REST API under /api."""
    import uvicorn

    from chinwag.app import build_deps, create_app

    config = _config(
        data,
        database_url,
        host=host,
        port=port,
        site_url=site_url,
        log_level=log_level,
        redis_url=redis_url,
        workers=workers,
    )
    logging.configure(config.log_level, config.log_format)
    refusal = multi_process_refusal(config)
    if refusal:
        console.print(f"[red]error:[/red] {refusal}")
        raise typer.Exit(2)
    url = config.site_url or config.listen_url
    console.print(f"[bold]Chinwag {__version__}[/bold]")
    console.print(f"  data:  {_where(config)}")
    if config.redis_url:
        console.print(f"  redis: {_redis_where(config.redis_url)}  workers: {config.workers}")
    console.print(f"  open:  {url}/  (REST API at {url}/api/v1, OpenAPI at {url}/api/docs)")
    options: dict[str, Any] = {
        "host": config.host,
        "port": config.port,
        "log_level": "warning",
        "access_log": False,
        "lifespan": "on",
        "ws": "websockets-sansio",  # lets DDP frames go straight to the transport (ddp/direct.py)
        "ws_per_message_deflate": config.ws_compression,
    }
    if config.workers > 1:
        # Each worker builds its app from the environment: hand it what the options said.
        os.environ.update(_as_environment(config))
        factory = "chinwag.app:app_from_environment"
        uvicorn.run(factory, factory=True, workers=config.workers, **options)
        return
    uvicorn.run(create_app(build_deps(config), pace_gc=True), **options)


def multi_process_refusal(config) -> str | None:  # type: ignore[no-untyped-def]
    """Why this configuration cannot run several workers, if it cannot."""
    if config.workers <= 1:
        return None
    from chinwag.storage.engine import is_sqlite

    missing = [
        need
        for need, have in (
            ("PostgreSQL (--database-url)", not is_sqlite(config.effective_database_url)),
            ("Redis (--redis-url)", config.redis_url),
        )
        if not have
    ]
    if not missing:
        return None
    return (
        f"--workers {config.workers} needs {' and '.join(missing)}: SQLite and the in-process "
        "bus serve one process. Run one worker, or point every worker at one PostgreSQL "
        "database and one Redis."
    )


def _as_environment(config) -> dict[str, str]:  # type: ignore[no-untyped-def]
    chosen = {
        "CHINWAG_DATA_DIR": str(config.data_dir),
        "CHINWAG_DATABASE_URL": config.database_url,
        "CHINWAG_REDIS_URL": config.redis_url,
        "CHINWAG_SITE_URL": config.site_url,
        "CHINWAG_HOST": config.host,
        "CHINWAG_PORT": str(config.port),
        "CHINWAG_LOG_LEVEL": config.log_level,
    }
    return {k: v for k, v in chosen.items() if v is not None}


def _redis_where(url: str) -> str:
    """The URL without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


@app.command()
def migrate(data: DataOpt = None, database_url: DbOpt = None) -> None:
    """Apply database migrations and bootstrap, then exit."""
    from chinwag.app import build_deps, start
    from chinwag.storage.migrate import current_revision

    config = _config(data, database_url)
    logging.configure(config.log_level, config.log_format)
    deps = build_deps(config)

    async def run() -> str | None:
        try:
            await start(deps)
            return await current_revision(deps.db)
        finally:
            await deps.db.dispose()

    revision = asyncio.run(run())
    console.print(f"database {_where(config)} is at revision {revision}")


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Login name.")],
    email: Annotated[str, typer.Option(help="Email address.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Password (prompted if omitted).",
        ),
    ],
    name: Annotated[
        str | None, typer.Option(help="Display name (defaults to the username).")
    ] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="Give the account the admin role.")
    ] = False,
    data: DataOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Create an account directly in the database (works before anyone can log in)."""
    from chinwag.actions.accounts import NewUser, hash_password, insert_user
    from chinwag.app import build_deps, start
    from chinwag.domain.errors import ChinwagError

    config = _config(data, database_url)
    logging.configure("warning", config.log_format)
    deps = build_deps(config)

    async def run() -> str:
        try:
            await start(deps)
            password_hash = await hash_password(deps, password)
            async with deps.uow() as uow:
                user = await insert_user(
                    deps,
                    uow,
                    NewUser(
                        username=username,
                        name=name or username,
                        email=email,
                        roles=("admin", "user") if admin else None,
                        verified=True,
                    ),
                    password_hash,
                )
            return f"created {user.username} ({user.id}) with roles {', '.join(user.roles)}"
        finally:
            await deps.db.dispose()

    try:
        console.print(asyncio.run(run()))
    except ChinwagError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


@audit_app.command("verify")
def audit_verify(data: DataOpt = None, database_url: DbOpt = None) -> None:
    """Check every audit entry's SHA-256 link to its predecessor. Exits 1 and names the first
    entry that does not verify (edited, inserted or removed behind the server's back)."""
    from rich.progress import Progress

    from chinwag.actions.audit import Verification, count_audit_entries, verify_audit_chain
    from chinwag.app import build_deps, start

    config = _config(data, database_url)
    logging.configure("warning", config.log_format)
    deps = build_deps(config)

    async def run() -> Verification:
        try:
            await start(deps)
            total = await count_audit_entries(deps)
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("verifying the audit trail", total=total)
                async for step in verify_audit_chain(deps):
                    if isinstance(step, Verification):
                        return step
                    progress.update(task, completed=step)
            raise AssertionError("the verification ended without a result")
        finally:
            await deps.db.dispose()

    result = asyncio.run(run())
    if result.broken is not None:
        broken = result.broken
        console.print(
            f"[red]audit trail broken[/red] at entry {broken.id} (#{broken.seq}): {broken.reason}; "
            f"{result.checked} entries before it verify"
        )
        raise typer.Exit(1)
    console.print(f"audit trail intact: {result.checked} entries verify")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
