"""The browser client: index.html for the app's own paths, its files under a versioned path."""

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

WEB_ROOT = Path(__file__).parent.parent / "web"

# Paths the client routes itself; every one answers index.html. /api, /websocket, /avatar
# and /metrics stay the server's.
APP_PATHS = (
    "/",
    "/home",
    "/login",
    "/register",
    "/register/{rest:path}",
    "/setup",
    "/directory",
    "/search",
    "/account",
    "/account/{rest:path}",
    "/admin",
    "/admin/{rest:path}",
    "/channel/{rest:path}",
    "/group/{rest:path}",
    "/direct/{rest:path}",
    "/invite/{rest:path}",
)
# Nothing in the page may come from elsewhere, and no message can smuggle in a script.
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    content_type: str


def _load(root: Path) -> dict[str, Asset]:
    files: dict[str, Asset] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        body = path.read_bytes()
        kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind == "image/svg+xml":
            kind += "; charset=utf-8"
        packed = gzip.compress(body, 9, mtime=0) if len(body) > 512 else None
        usable = packed if packed is not None and len(packed) < len(body) else None
        files[path.relative_to(root).as_posix()] = Asset(body, usable, kind)
    return files


@dataclass(frozen=True)
class Bundle:
    files: dict[str, Asset]
    version: str
    index: bytes


def _bundle(root: Path) -> Bundle:
    files = _load(root)
    digest = hashlib.sha256()
    for name, asset in files.items():
        digest.update(name.encode() + b"\0" + asset.body)
    version = digest.hexdigest()[:12]
    base = f"/assets/{version}"
    preload = "\n".join(
        f'<link rel="modulepreload" href="{base}/{name}">' for name in files if name.endswith(".js")
    )
    template = files["index.html"].body.decode()
    index = template.replace("<!--preload-->", preload).replace("%ASSETS%", base)
    return Bundle(files, version, index.encode())


class WebClient:
    """The client's files, read at the first request: their digest versions every URL, so
    browsers keep them forever and a new release is fetched at once."""

    def __init__(self, root: Path = WEB_ROOT) -> None:
        self.root = root

    @cached_property
    def bundle(self) -> Bundle:
        return _bundle(self.root)

    async def page(self, _request: Request) -> Response:
        index = self.bundle.index
        return Response(index, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def asset(self, request: Request) -> Response:
        bundle = self.bundle
        asset = bundle.files.get(request.path_params["path"])
        if request.path_params["version"] != bundle.version or asset is None:
            return Response(b"Not found", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"}
        body = asset.body
        if asset.gzipped is not None:
            headers["Vary"] = "Accept-Encoding"
            if "gzip" in request.headers.get("accept-encoding", ""):
                body, headers["Content-Encoding"] = asset.gzipped, "gzip"
        return Response(body, media_type=asset.content_type, headers=headers)

    def mount(self, app: FastAPI) -> None:
        for path in APP_PATHS:
            app.add_route(path, self.page, methods=["GET", "HEAD"], include_in_schema=False)
        app.add_route(
            "/assets/{version}/{path:path}",
            self.asset,
            methods=["GET", "HEAD"],
            include_in_schema=False,
        )
        app.add_route("/favicon.ico", self.favicon, methods=["GET"], include_in_schema=False)

    async def favicon(self, _request: Request) -> Response:
        icon = self.bundle.files["icon.svg"]
        return Response(
            icon.body, media_type=icon.content_type, headers={"Cache-Control": "max-age=86400"}
        )
