"""Shadow restriction over the realtime API: a restricted user's post reaches their own
sockets and nobody else's."""

import pytest

from tests.clients.live import ADMIN
from tests.ddp.ddp_client import connect, make_user, rest, rest_login
from tests.ddp.test_streams_live import changed_on, log_in, post

pytestmark = pytest.mark.e2e


async def test_a_restricted_users_post_reaches_only_their_own_sockets(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    ida = await make_user(server_url, admin, "ida")
    jon = await make_user(server_url, admin, "jon")
    answer = await rest(
        server_url,
        "POST",
        "/moderation.restrictUser",
        headers=admin,
        json={"userId": ida["X-User-Id"], "restricted": True, "reason": "suspected spam"},
    )
    assert answer["user"]["restricted"] is True, answer
    async with connect(server_url) as watcher, connect(server_url) as author:
        await log_in(watcher, jon)
        await log_in(author, ida)
        for client in (watcher, author):
            assert (await client.sub("stream-room-messages", "GENERAL", False))["msg"] == "ready"
        await post(server_url, ida, "GENERAL", "only ida sees this")
        await author.expect(changed_on("stream-room-messages", "GENERAL", "only ida sees this"))
        await post(server_url, admin, "GENERAL", "everyone sees this")
        await watcher.expect(changed_on("stream-room-messages", "GENERAL", "everyone sees this"))
        heard = [
            m["fields"]["args"][0].get("msg")
            for m in watcher.inbox
            if m.get("collection") == "stream-room-messages"
        ]
        assert "only ida sees this" not in heard
