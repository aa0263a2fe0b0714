"""Several `chinwag serve` processes on one PostgreSQL and one Redis (a redis-server this
module starts): what a client on one does reaches clients on the others, over REST and DDP;
presence, typing, lockouts and settings hold across processes; a process killed with
SIGKILL loses no acknowledged message and its users go offline; a Redis restart loses
nothing a client can see once it has caught up; nginx balances over two processes for the
`rocketchat-API` client and a DDP client alike."""

import asyncio
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.clients.live import ADMIN, LiveServer, fresh_pg_database, spawn_server
from tests.clients.rc import make_user as rc_make_user
from tests.clients.rc import sign_in, sign_in_admin
from tests.conftest import PG_URL
from tests.ddp.ddp_client import DdpClient, connect, make_user, rest, rest_login
from tests.nginx_support import nginx_proxy
from tests.redis_support import RedisServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not PG_URL, reason="several processes need PostgreSQL (the PG leg)"),
]

EXPIRY = 1.5  # seconds: CHINWAG_PRESENCE_EXPIRY for these servers


class Cluster:
    def __init__(self, root: Path, redis: RedisServer, database_url: str) -> None:
        self.root = root
        self.redis = redis
        self.env = {
            "CHINWAG_DATABASE_URL": database_url,
            "CHINWAG_REDIS_URL": redis.url,
            "CHINWAG_PRESENCE_EXPIRY": str(EXPIRY),
        }
        self.servers: list[LiveServer] = []

    def start(self, count: int) -> list[LiveServer]:
        """Start `count` processes at once (they migrate and bootstrap together)."""
        started = [
            spawn_server(self.root / f"p{len(self.servers) + i}", self.env) for i in range(count)
        ]
        self.servers += started
        for server in started:
            server.wait_until_up()
        return started

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    assert PG_URL
    root = tmp_path_factory.mktemp("scale")
    redis = RedisServer(root)
    redis.start()
    name = f"{sa.make_url(PG_URL).database or 'chinwag'}_scale"
    made = Cluster(root, redis, fresh_pg_database(PG_URL, name))
    try:
        made.start(2)
        yield made
    finally:
        made.stop()
        redis.stop()


@pytest.fixture(scope="module")
def a(cluster: Cluster) -> str:
    return cluster.servers[0].url


@pytest.fixture(scope="module")
def b(cluster: Cluster) -> str:
    return cluster.servers[1].url


def message_on(rid: str, text: str | None = None) -> Any:
    def match(m: dict[str, Any]) -> bool:
        if m.get("msg") != "changed" or m.get("collection") != "stream-room-messages":
            return False
        if m["fields"]["eventName"] != rid:
            return False
        return text is None or m["fields"]["args"][0]["msg"] == text

    return match


async def listening(server_url: str, headers: dict[str, str], client: DdpClient) -> None:
    await client.call("login", {"resume": headers["X-Auth-Token"]})
    ready = await client.sub("stream-room-messages", "GENERAL", False)
    assert ready["msg"] == "ready"


async def post(server_url: str, headers: dict[str, str], text: str) -> dict[str, Any]:
    answer = await rest(
        server_url,
        "POST",
        "/chat.postMessage",
        headers=headers,
        json={"channel": "#general", "text": text},
    )
    assert answer["success"], answer
    return answer


async def presence(server_url: str, headers: dict[str, str], user_id: str) -> str:
    answer = await rest(
        server_url, "GET", "/users.getPresence", headers=headers, params={"userId": user_id}
    )
    assert answer["success"], answer
    state: str = answer["presence"]
    return state


async def presence_becomes(
    server_url: str, headers: dict[str, str], user_id: str, wanted: str, within: float
) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while (seen := await presence(server_url, headers, user_id)) != wanted:
        assert asyncio.get_running_loop().time() < deadline, f"still {seen}, wanted {wanted}"
        await asyncio.sleep(0.1)


async def test_processes_started_together_bootstrap_one_workspace(a: str, b: str) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    found = await rest(b, "GET", "/users.list", headers=admin, params={"count": 100})
    names = [u["username"] for u in found["users"]]
    assert names.count(ADMIN[0]) == 1 and names.count("rocket.cat") == 1
    general = await rest(b, "GET", "/channels.info", headers=admin, params={"roomId": "GENERAL"})
    assert general["channel"]["name"] == "general"


async def test_a_post_on_one_process_reaches_ddp_and_rest_on_another(a: str, b: str) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    ann = await make_user(a, admin, "ann")
    ben = await make_user(b, admin, "ben")
    async with connect(a) as watcher:
        await listening(a, ann, watcher)
        await post(b, ben, "over rest on b")
        heard = await watcher.expect(message_on("GENERAL", "over rest on b"))
        assert heard["fields"]["args"][0]["u"]["username"] == "ben"
        async with connect(b) as sender:
            await sender.call("login", {"resume": ben["X-Auth-Token"]})
            sent = await sender.call(
                "sendMessage", {"_id": "ScaleOutDdp000001", "rid": "GENERAL", "msg": "over ddp"}
            )
            assert "error" not in sent, sent
        heard = await watcher.expect(message_on("GENERAL", "over ddp"))
        assert heard["fields"]["args"][0]["_id"] == "ScaleOutDdp000001"
    history = await rest(a, "GET", "/channels.history", headers=ann, params={"roomId": "GENERAL"})
    assert "over ddp" in [m["msg"] for m in history["messages"]]


async def test_typing_crosses_processes(a: str, b: str) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    async with connect(a) as watcher, connect(b) as typist:
        await watcher.call("login", {"resume": admin["X-Auth-Token"]})
        await watcher.sub(
            "stream-notify-room", "GENERAL/user-activity", {"useCollection": False, "args": []}
        )
        await typist.call("login", {"resume": admin["X-Auth-Token"]})
        await typist.call(
            "stream-notify-room", "GENERAL/user-activity", ADMIN[0], ["user-typing"], {}
        )
        change = await watcher.expect(
            lambda m: m.get("msg") == "changed" and m["collection"] == "stream-notify-room"
        )
        assert change["fields"]["args"] == [ADMIN[0], ["user-typing"], {}]


async def test_online_until_the_sockets_on_both_processes_close(a: str, b: str) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    cleo = await make_user(a, admin, "cleo")
    uid = cleo["X-User-Id"]
    async with connect(a) as on_a:
        await on_a.call("login", {"resume": cleo["X-Auth-Token"]})
        async with connect(b) as on_b:
            await on_b.call("login", {"resume": cleo["X-Auth-Token"]})
            await presence_becomes(b, admin, uid, "online", within=5)
        await asyncio.sleep(0.5)  # b has seen its socket close
        assert await presence(b, admin, uid) == "online"  # still connected to a
    await presence_becomes(b, admin, uid, "offline", within=5)


async def test_a_setting_and_a_lockout_hold_on_every_process(a: str, b: str) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    await make_user(a, admin, "dell")
    values = {
        "Block_Multiple_Failed_Logins_Enabled": True,
        "Block_Multiple_Failed_Logins_By_Ip": False,
        "Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User": 3,
    }
    for setting_id, value in values.items():
        answer = await rest(
            a, "POST", f"/settings/{setting_id}", headers=admin, json={"value": value}
        )
        assert answer["success"], answer
    try:
        for server in (a, b, a):  # three failures, counted wherever they land
            failed = await rest(server, "POST", "/login", json={"user": "dell", "password": "x"})
            assert failed["error"] == "Unauthorized", failed
        blocked = await rest(b, "POST", "/login", json={"user": "dell", "password": "dell-pass-1"})
        assert blocked["error"] == "error-login-blocked-for-user", blocked
    finally:
        await rest(
            b,
            "POST",
            "/settings/Block_Multiple_Failed_Logins_Enabled",
            headers=admin,
            json={"value": False},
        )


async def test_a_rest_rate_limit_holds_across_processes(a: str, b: str) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    rae = await make_user(a, admin, "rae")
    values = {
        "API_Enable_Rate_Limiter_Limit_Calls_Default": 4,
        "API_Enable_Rate_Limiter_Limit_Time_Default": 60_000,
        "API_Enable_Rate_Limiter": True,
    }
    for setting_id, value in values.items():
        answer = await rest(
            a, "POST", f"/settings/{setting_id}", headers=admin, json={"value": value}
        )
        assert answer["success"], answer
    await setting_reaches(b, admin, "API_Enable_Rate_Limiter", True)
    try:
        async with httpx.AsyncClient() as http:
            codes = [
                (await http.get(f"{server}/api/v1/me", headers=rae)).status_code
                for server in (a, b, a, b, a, b)  # one budget, wherever the calls land
            ]
        assert codes == [200, 200, 200, 200, 429, 429]
    finally:
        await rest(
            b, "POST", "/settings/API_Enable_Rate_Limiter", headers=admin, json={"value": False}
        )


async def setting_reaches(server: str, admin: dict[str, str], setting_id: str, value: Any) -> None:
    """Wait until `server` has heard of a setting changed on another process."""
    for _ in range(50):
        answer = await rest(server, "GET", f"/settings/{setting_id}", headers=admin)
        if answer.get("value") == value:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{setting_id} never became {value!r} on {server}")


async def test_sigkill_loses_no_acknowledged_message_and_its_users_go_offline(
    cluster: Cluster, a: str
) -> None:
    (doomed,) = cluster.start(1)
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    eve = await make_user(a, admin, "eve")
    fay = await make_user(a, admin, "fay")
    acknowledged: list[str] = []
    async with connect(a) as watcher, connect(doomed.url) as on_doomed:
        await listening(a, fay, watcher)
        await on_doomed.call("login", {"resume": eve["X-Auth-Token"]})
        await presence_becomes(a, admin, eve["X-User-Id"], "online", within=5)

        async def keep_posting() -> None:
            for i in range(1000):
                await post(doomed.url, eve, f"burst {i}")
                acknowledged.append(f"burst {i}")
                if len(acknowledged) == 20:
                    under_way.set()

        under_way = asyncio.Event()
        poster = asyncio.create_task(keep_posting())
        await under_way.wait()
        doomed.proc.send_signal(signal.SIGKILL)
        doomed.proc.wait()
        with pytest.raises(Exception):  # noqa: B017 (the connection drops: any transport error)
            await poster
        for text in acknowledged:
            await watcher.expect(message_on("GENERAL", text))
    history = await rest(
        a, "GET", "/channels.history", headers=fay, params={"roomId": "GENERAL", "count": 2000}
    )
    stored = {m["msg"] for m in history["messages"]}
    assert set(acknowledged) <= stored
    await presence_becomes(a, admin, eve["X-User-Id"], "offline", within=EXPIRY * 4)


async def test_a_redis_restart_loses_nothing_after_catch_up(
    cluster: Cluster, a: str, b: str
) -> None:
    admin = await rest_login(a, ADMIN[0], ADMIN[1])
    gus = await make_user(a, admin, "gus")
    hal = await make_user(b, admin, "hal")
    jay = await make_user(a, admin, "jay")
    async with connect(a) as watcher, connect(a) as jay_on_a, connect(b) as jay_on_b:
        await listening(a, gus, watcher)
        for socket in (jay_on_a, jay_on_b):
            await socket.call("login", {"resume": jay["X-Auth-Token"]})
        await post(b, hal, "before the restart")
        await watcher.expect(message_on("GENERAL", "before the restart"))
        cluster.redis.stop()  # presence kept in Redis goes with it
        for i in range(3):
            await post(b, hal, f"while redis is down {i}")  # committed and acknowledged
        cluster.redis.start()
        await post(b, hal, "after the restart")
        for text in [*(f"while redis is down {i}" for i in range(3)), "after the restart"]:
            await watcher.expect(message_on("GENERAL", text), within=15)
        # The processes talk again: a fresh post arrives as before.
        await post(b, hal, "and then")
        await watcher.expect(message_on("GENERAL", "and then"))
        await asyncio.sleep(1.0)  # both processes have told the new Redis who is connected
        await jay_on_a.ws.close()
        await asyncio.sleep(0.5)
        assert await presence(a, admin, jay["X-User-Id"]) == "online"  # still on b
    await presence_becomes(a, admin, jay["X-User-Id"], "offline", within=5)


async def test_through_nginx_with_the_rocketchat_api_client_and_ddp(
    cluster: Cluster, tmp_path: Path
) -> None:
    upstreams = [s.url for s in cluster.servers if s.proc.poll() is None][:2]
    with nginx_proxy(tmp_path / "nginx", upstreams) as url:
        admin = await asyncio.to_thread(sign_in_admin, url)
        await asyncio.to_thread(rc_make_user, admin, "ivy")
        ivy = await asyncio.to_thread(sign_in, url, "ivy")
        headers = await rest_login(url, ADMIN[0], ADMIN[1])
        async with connect(url) as watcher:
            await listening(url, headers, watcher)
            texts = [f"through nginx {i}" for i in range(6)]
            for text in texts:  # least_conn spreads these over both processes
                sent = await asyncio.to_thread(ivy.chat_post_message, text, channel="general")
                assert sent["success"], sent
            for text in texts:
                heard = await watcher.expect(message_on("GENERAL", text))
                assert heard["fields"]["args"][0]["u"]["username"] == "ivy"
        history = await asyncio.to_thread(lambda: list(ivy.channels_history("GENERAL")))
        assert set(texts) <= {m["msg"] for m in history}
    assert all(posts_answered(u) > 0 for u in upstreams)  # nginx used both processes


async def test_serve_workers_runs_several_processes_on_one_port(
    cluster: Cluster, a: str, tmp_path: Path
) -> None:
    server = spawn_server(tmp_path / "workers", {**cluster.env, "CHINWAG_WORKERS": "2"})
    try:
        server.wait_until_up(within=120)  # two interpreters import and start side by side
        assert len(children_of(server.proc.pid)) >= 2
        headers = await rest_login(a, ADMIN[0], ADMIN[1])
        async with connect(a) as watcher:
            await listening(a, headers, watcher)
            texts = [f"to a worker {i}" for i in range(8)]
            for text in texts:  # a new connection each: the kernel picks the worker
                await post(server.url, headers, text)
            for text in texts:
                await watcher.expect(message_on("GENERAL", text))
    finally:
        server.stop()
    assert not children_of(server.proc.pid)


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is `pid`, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def posts_answered(server_url: str) -> float:
    """chat.postMessage calls this process answered, from its /metrics."""
    metrics = httpx.get(f"{server_url}/metrics").text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("chinwag_http_requests_total") and "chat.postMessage" in line
    )
