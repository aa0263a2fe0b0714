"""The web client's files as the server hands them out: its paths, versioned assets, headers."""

import gzip
import re

import httpx
import pytest

from chinwag.http.web import WEB_ROOT

APP_PATHS = [
    "/",
    "/home",
    "/login",
    "/register/a-secret",
    "/setup",
    "/directory",
    "/search",
    "/account",
    "/admin/users",
    "/channel/general",
    "/group/team",
    "/direct/abc123",
    "/invite/token123",
]


async def index(client: httpx.AsyncClient) -> str:
    r = await client.get("/")
    assert r.status_code == 200
    return r.text


@pytest.mark.parametrize("path", APP_PATHS)
async def test_every_app_path_answers_the_page(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.text == await index(client)


async def test_the_servers_own_paths_are_not_shadowed(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/info")).json()["success"] is True
    missing = await client.get("/api/v1/no.such.endpoint")
    assert missing.status_code == 404 and missing.json()["success"] is False
    assert (await client.get("/avatar/alice")).headers["content-type"].startswith("image/svg")
    assert (await client.get("/metrics")).status_code == 200
    assert (await client.get("/no-such-page")).status_code == 404


async def test_assets_are_versioned_immutable_and_compressed(client: httpx.AsyncClient) -> None:
    page = await index(client)
    script = re.search(r'<script type="module" src="(/assets/[0-9a-f]{12}/js/main\.js)"', page)
    assert script is not None
    r = await client.get(script.group(1), headers={"accept-encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/javascript; charset=utf-8"
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["content-encoding"] == "gzip"
    assert r.content == (WEB_ROOT / "js" / "main.js").read_bytes()  # httpx unpacked it
    plain = await client.get(script.group(1), headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == (WEB_ROOT / "js" / "main.js").read_bytes()
    assert gzip.compress(plain.content)  # sanity: the file is not empty
    stale = script.group(1).replace("/assets/", "/assets/0", 1)[:-1]
    assert (await client.get(stale)).status_code == 404
    assert (await client.get(script.group(1).replace("main.js", "nope.js"))).status_code == 404


async def test_the_page_preloads_every_module_it_links(client: httpx.AsyncClient) -> None:
    page = await index(client)
    for href in re.findall(r'href="(/assets/[^"]+)"', page):
        assert (await client.get(href)).status_code == 200, href
    preloaded = set(re.findall(r'modulepreload" href="/assets/[0-9a-f]+/(js/[^"]+)"', page))
    assert preloaded == {p.relative_to(WEB_ROOT).as_posix() for p in WEB_ROOT.glob("js/*.js")}


def test_every_module_import_names_a_file_that_ships() -> None:
    for module in WEB_ROOT.glob("js/*.js"):
        for name in re.findall(r"from '\./([\w-]+\.js)'", module.read_text()):
            assert (WEB_ROOT / "js" / name).is_file(), f"{module.name} imports {name}"


def test_the_client_never_parses_markup_from_strings() -> None:
    """Message text reaches the page only as text nodes: no HTML parsing sinks at all."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|eval\(")
    for module in WEB_ROOT.glob("js/*.js"):
        assert not sinks.search(module.read_text()), module.name
