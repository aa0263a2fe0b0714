"""A live server per module, on SQLite or on a fresh PostgreSQL database for the PG leg."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients.live import live_server, store_env


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data: Path = tmp_path_factory.mktemp("live")
    with live_server(data, store_env()) as url:
        yield url
