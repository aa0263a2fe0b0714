"""GET /avatar/<username>: a generated SVG of the user's initials on a colour of their own."""

import hashlib
import re
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from starlette.responses import Response

router = APIRouter(tags=["avatars"])

# Material colours dark enough to carry white letters.
PALETTE = (
    "#F44336",
    "#E91E63",
    "#9C27B0",
    "#673AB7",
    "#3F51B5",
    "#2196F3",
    "#0288D1",
    "#0097A7",
    "#009688",
    "#388E3C",
    "#689F38",
    "#F57C00",
    "#FF5722",
    "#795548",
    "#757575",
    "#607D8B",
)
CACHE_SECONDS = 3600  # Rocket.Chat's Accounts_AvatarCacheTime default
SEPARATORS = re.compile(r"[\s._\-@]+")


def initials(name: str) -> str:
    """Up to two letters: "rocket.cat" → "RC", "alice" → "AL"; "?" when nothing is left."""
    parts = [p for p in SEPARATORS.split(name) if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[1][0]).upper()


def colour(name: str) -> str:
    """The same colour for a name every time, on every server."""
    digest = hashlib.sha256(name.lower().encode()).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def render_svg(name: str) -> str:
    # The letters come from the URL: escaped, so no markup can be smuggled into the image.
    letters = escape(initials(name), {'"': "&quot;", "'": "&apos;"})
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">'
        f'<rect width="100%" height="100%" fill="{colour(name)}"/>'
        '<text x="50%" y="50%" dy="0.36em" text-anchor="middle" fill="#ffffff" '
        "font-family=\"Helvetica, Arial, 'Lucida Grande', sans-serif\" "
        f'font-size="{110 if len(letters) == 1 else 90}">{letters}</text></svg>'
    )


@router.get("/avatar/{username}", summary="A user's avatar (generated initials, SVG)")
async def avatar(username: str, request: Request) -> Response:
    # Unknown names get an avatar too, as in Rocket.Chat, so nothing is looked up (and the
    # endpoint cannot be used to learn which usernames exist).
    name = username.removesuffix(".svg")[:200]
    body = render_svg(name)
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:20] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="image/svg+xml", headers=headers)
