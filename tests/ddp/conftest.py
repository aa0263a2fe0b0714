"""DDP tests against a live server share the clients' live-server fixture."""

from tests.clients.conftest import server_url

__all__ = ["server_url"]
