"""A live server per module, on SQLite or on a fresh PostgreSQL database for the PG leg."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients.live import fresh_pg_database, live_server
from tests.conftest import PG_URL


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data: Path = tmp_path_factory.mktemp("live")
    env = {}
    if PG_URL:
        env["CHINWAG_DATABASE_URL"] = fresh_pg_database(PG_URL, "chinwag_e2e")
    with live_server(data, env) as url:
        yield url
