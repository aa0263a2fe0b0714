"""Process configuration: one pydantic-settings tree read from CHINWAG_* environment variables."""

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chinwag.storage.engine import normalise_url, sqlite_url

OVERWRITE_PREFIX = "OVERWRITE_SETTING_"


class Config(BaseSettings):
    """How this process runs. Workspace settings (Rocket.Chat's ids) live in the database."""

    model_config = SettingsConfigDict(env_prefix="CHINWAG_", extra="ignore")

    data_dir: Path = Field(
        Path("chinwag-data"), description="Where the SQLite database and uploads live."
    )
    database_url: str | None = Field(
        None,
        description="postgresql://user@host/db to use PostgreSQL; SQLite in the data dir if unset.",
    )
    redis_url: str | None = Field(
        None,
        description="redis://host:port/db for the shared bus, presence and rate-limit counters "
        "(scale-out); the in-process bus and counters if unset.",
    )
    redis_prefix: str = Field(
        "chinwag:",
        description="Prefix of every Redis key and channel (several workspaces "
        "can share one Redis).",
    )
    presence_expiry: float = Field(
        30.0,
        gt=0,
        description="Seconds after its last heartbeat that a process's sockets stop counting "
        "toward presence (a process that died leaves nobody online for longer).",
    )
    workers: int = Field(1, ge=1, description="Worker processes sharing the port.")
    site_url: str | None = Field(None, description="Public URL of the server; forces Site_Url.")
    ws_compression: bool = Field(
        False,
        description="Offer permessage-deflate on /websocket: less bandwidth, but about 40 KB "
        "and a compression per frame per socket.",
    )
    host: str = "127.0.0.1"
    port: int = 3000
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["console", "json"] = "console"
    bcrypt_rounds: int = Field(10, ge=4, le=16, description="bcrypt cost for new password hashes.")
    admin_username: str | None = Field(
        None, validation_alias=AliasChoices("ADMIN_USERNAME", "CHINWAG_ADMIN_USERNAME")
    )
    admin_pass: str | None = Field(
        None, validation_alias=AliasChoices("ADMIN_PASS", "CHINWAG_ADMIN_PASS")
    )
    admin_email: str | None = Field(
        None, validation_alias=AliasChoices("ADMIN_EMAIL", "CHINWAG_ADMIN_EMAIL")
    )
    admin_name: str | None = Field(
        None, validation_alias=AliasChoices("ADMIN_NAME", "CHINWAG_ADMIN_NAME")
    )
    create_tokens_secret: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "CREATE_TOKENS_FOR_USERS_SECRET", "CHINWAG_CREATE_TOKENS_SECRET"
        ),
        description="Secret users.createToken callers must present; the endpoint is off without.",
    )
    overwrite_settings: dict[str, str] = Field(default_factory=dict, exclude=True)

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        """Read the environment, including Rocket.Chat's OVERWRITE_SETTING_<id> variables."""
        forced = {
            key[len(OVERWRITE_PREFIX) :]: value
            for key, value in os.environ.items()
            if key.startswith(OVERWRITE_PREFIX)
        }
        values = {k: v for k, v in overrides.items() if v is not None}
        return cls(overwrite_settings=forced, **values)  # type: ignore[arg-type]

    @property
    def listen_url(self) -> str:
        host = "localhost" if self.host in ("127.0.0.1", "0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return normalise_url(self.database_url)
        return sqlite_url(self.data_dir.resolve())
