"""Take the README's screenshots of the web client, light and dark, into docs/screenshots/.

Starts a throw-away server, fills it with a small team's conversation over the REST API,
keeps two teammates online over DDP, and photographs the main screens in headless Chromium
(Debian's /usr/bin/chromium). Run from the repository: .venv/bin/python -m scripts.screenshots
"""

import asyncio
import json
import threading
import time
from pathlib import Path
from typing import Any

import websockets
from bench.server import ADMIN_PASS, ADMIN_USER, api, chinwag, login
from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).parent.parent / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PEOPLE = [
    ("bob", "Bob Builder"),
    ("carol", "Carol Danvers"),
    ("dave", "Dave Lister"),
    ("erin", "Erin Hannon"),
]
CONVERSATION = [
    ("carol", "Morning all :wave: the **1.4 release** branch is cut."),
    ("bob", "Nice! Anything blocking the deploy?"),
    ("carol", "Two things:\n- the migration for `room_members`\n- @dave's fix for the flaky test"),
    ("dave", "Fix is up for review: https://example.com/review/4127"),
    ("bob", "> the migration for `room_members`\nI can take that one after lunch."),
    ("ada", "Thanks team :tada: here is the command for the dry run:"),
    ("ada", "```sh\nchinwag migrate --data ./staging --dry-run\n```"),
    ("erin", "Dry run passed on staging ✅"),
    ("carol", "Great, let's ship it at 15:00 then. @all please keep an eye on #general"),
]


def keep_online(url: str, tokens: list[str], stop: threading.Event) -> None:
    """Hold a logged-in DDP socket per token, so those people show as online."""

    async def hold(token: str) -> None:
        async with websockets.connect(url.replace("http", "ws") + "/websocket") as ws:
            await ws.send(json.dumps({"msg": "connect", "version": "1", "support": ["1"]}))
            await ws.send(
                json.dumps(
                    {"msg": "method", "id": "1", "method": "login", "params": [{"resume": token}]}
                )
            )
            while not stop.is_set():
                try:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
                except TimeoutError:
                    continue
                if frame.get("msg") == "ping":
                    await ws.send(json.dumps({"msg": "pong"}))

    async def main() -> None:
        await asyncio.gather(*(hold(t) for t in tokens))

    asyncio.run(main())


def seed(url: str) -> dict[str, Any]:
    root = login(url, ADMIN_USER, ADMIN_PASS)
    api(
        url,
        "POST",
        "/api/v1/users.create",
        root,
        {
            "username": "ada",
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "password": "ada-password",
            "roles": ["admin", "user"],
        },
    )
    admin = login(url, "ada", "ada-password")
    api(url, "POST", "/api/v1/settings/Site_Name", admin, {"value": "Acme"})
    api(url, "POST", "/api/v1/settings/Show_Setup_Wizard", admin, {"value": "completed"})
    heads = {"ada": admin}
    for username, name in PEOPLE:
        api(
            url,
            "POST",
            "/api/v1/users.create",
            admin,
            {
                "username": username,
                "name": name,
                "email": f"{username}@example.com",
                "password": f"{username}-password",
            },
        )
        heads[username] = login(url, username, f"{username}-password")
    members = [u for u, _ in PEOPLE]
    eng = api(
        url, "POST", "/api/v1/channels.create", admin, {"name": "engineering", "members": members}
    )["channel"]
    api(
        url,
        "POST",
        "/api/v1/channels.setTopic",
        admin,
        {"roomId": eng["_id"], "topic": "Builds, releases and code review"},
    )
    for name in ("design", "random"):
        api(url, "POST", "/api/v1/channels.create", admin, {"name": name, "members": members})
    api(url, "POST", "/api/v1/groups.create", admin, {"name": "leadership", "members": ["carol"]})
    posted = []
    for who, text in CONVERSATION:
        body = {"roomId": eng["_id"], "text": text}
        posted.append(api(url, "POST", "/api/v1/chat.postMessage", heads[who], body)["message"])
    for who, emoji in (("bob", ":tada:"), ("dave", ":tada:"), ("erin", ":rocket:")):
        api(
            url,
            "POST",
            "/api/v1/chat.react",
            heads[who],
            {"messageId": posted[5]["_id"], "emoji": emoji},
        )
    api(
        url,
        "POST",
        "/api/v1/chat.react",
        heads["carol"],
        {"messageId": posted[7]["_id"], "emoji": ":+1:"},
    )
    thread = posted[1]["_id"]
    for who, text in (("carol", "Only the migration, I think"), ("bob", "OK, on it")):
        api(
            url,
            "POST",
            "/api/v1/chat.postMessage",
            heads[who],
            {"roomId": eng["_id"], "text": text, "tmid": thread},
        )
    api(
        url,
        "POST",
        "/api/v1/chat.postMessage",
        heads["carol"],
        {"channel": "#design", "text": "New icons are in the shared folder"},
    )
    api(
        url,
        "POST",
        "/api/v1/chat.postMessage",
        heads["bob"],
        {"channel": "#random", "text": "@ada lunch?"},
    )
    dm = api(url, "POST", "/api/v1/dm.create", heads["bob"], {"username": "ada"})["room"]
    api(
        url,
        "POST",
        "/api/v1/chat.postMessage",
        heads["bob"],
        {"roomId": dm["_id"], "text": "Got a minute for the release notes?"},
    )
    api(url, "POST", "/api/v1/rooms.favorite", admin, {"roomId": eng["_id"], "favorite": True})
    api(url, "POST", "/api/v1/users.setStatus", heads["erin"], {"status": "away"})
    api(url, "POST", "/api/v1/users.setStatus", heads["dave"], {"status": "busy"})
    seed_moderation(url, admin, heads)
    return {"admin": admin, "heads": heads, "thread": thread}


def join_by_invite(url: str, inviter: dict[str, str], rid: str, username: str) -> dict[str, str]:
    """A new account that signed up through the inviter's link to a room."""
    token = api(
        url, "POST", "/api/v1/findOrCreateInvite", inviter, {"rid": rid, "days": 7, "maxUses": 0}
    )["_id"]
    body = {
        "username": username,
        "name": username.title(),
        "email": f"{username}@example.net",
        "pass": f"{username}-password",
        "secretURL": token,
    }
    api(url, "POST", "/api/v1/users.register", body=body)
    return login(url, username, f"{username}-password")


def seed_moderation(url: str, admin: dict[str, str], heads: dict[str, dict[str, str]]) -> None:
    """Reports, an invite tree, a takedown with its evidence, and audit entries."""
    zed = join_by_invite(url, admin, "GENERAL", "zed")
    deals = api(url, "POST", "/api/v1/channels.create", zed, {"name": "deals"})["channel"]
    for username in ("xavier", "wendy"):
        join_by_invite(url, zed, deals["_id"], username)
    join_by_invite(url, admin, "GENERAL", "yuki")
    for text in ("Limited offer: cheap watches at example.biz", "DM me for crypto tips"):
        spam = api(
            url, "POST", "/api/v1/chat.postMessage", zed, {"channel": "#general", "text": text}
        )["message"]
        for who in ("bob", "carol"):
            api(
                url,
                "POST",
                "/api/v1/chat.reportMessage",
                heads[who],
                {"messageId": spam["_id"], "description": "spam"},
            )
    body = {"userId": zed["X-User-Id"], "description": "Sends the same link to everyone"}
    api(url, "POST", "/api/v1/moderation.reportUser", heads["erin"], body)
    bazaar = api(url, "POST", "/api/v1/channels.create", admin, {"name": "bazaar"})["channel"]
    api(
        url,
        "POST",
        "/api/v1/moderation.takedownRoom",
        admin,
        {"roomId": bazaar["_id"], "action": "block", "reason": "A scam market", "notice": "Closed"},
    )
    api(url, "POST", "/api/v1/settings/Accounts_LoginExpiration", admin, {"value": 30})


def shoot_moderation(page: Page, url: str, theme: str) -> None:
    page.goto(f"{url}/admin/reports")
    page.locator("tr[data-username='zed']").wait_for()
    shoot(page, f"moderation-reports-{theme}")
    page.get_by_role("button", name="Take down zed").click()
    page.get_by_role("dialog", name="Take down @zed").get_by_label("Messages").select_option(
        "window"
    )
    shoot(page, f"moderation-takedown-{theme}")
    page.keyboard.press("Escape")
    page.goto(f"{url}/admin/invite-tree")
    for username in ("ada", "zed"):
        page.locator(f"li[data-username='{username}'] > details > summary").click()
    page.locator("li[data-username='wendy']").wait_for()
    shoot(page, f"moderation-invite-tree-{theme}")
    page.goto(f"{url}/admin/evidence")
    page.get_by_role("table", name="Evidence bundles").wait_for()
    shoot(page, f"moderation-evidence-{theme}")
    page.goto(f"{url}/admin/audit")
    page.get_by_role("table", name="Audit log").wait_for()
    shoot(page, f"moderation-audit-{theme}")


def signed_in(headers: dict[str, str]) -> str:
    """A page script that keeps this login, as the client does after signing in."""
    uid, token = json.dumps(headers["X-User-Id"]), json.dumps(headers["X-Auth-Token"])
    return (
        f"localStorage.setItem('Meteor.userId', {uid});"
        f"localStorage.setItem('Meteor.loginToken', {token});"
    )


def shoot(page: Page, name: str) -> None:
    page.wait_for_timeout(400)
    page.mouse.move(0, 0)
    page.screenshot(path=str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with chinwag(bcrypt_rounds=4) as server:
        url = server.url
        data = seed(url)
        stop = threading.Event()
        online = [
            h["X-Auth-Token"]
            for u, h in data["heads"].items()
            if u in ("bob", "carol", "erin", "dave")
        ]
        holder = threading.Thread(target=keep_online, args=(url, online, stop), daemon=True)
        holder.start()
        time.sleep(1)
        admin = data["admin"]
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            for theme in ("light", "dark"):
                context = browser.new_context(
                    viewport={"width": 1280, "height": 800},
                    color_scheme=theme,
                    device_scale_factor=1,
                )
                context.add_init_script(signed_in(admin))
                page = context.new_page()
                page.goto(f"{url}/channel/engineering")
                page.locator(".messages .message").nth(8).wait_for()
                shoot(page, f"room-{theme}")
                page.locator(".thread-summary").first.click()
                page.get_by_role("log", name="Thread messages").get_by_text("OK, on it").wait_for()
                shoot(page, f"thread-{theme}")
                page.keyboard.press("Escape")
                page.get_by_role("button", name="Members").click()
                page.locator(".member").nth(4).wait_for()
                shoot(page, f"members-{theme}")
                page.goto(f"{url}/admin/users")
                page.locator(".admin-table tbody tr").nth(4).wait_for()
                shoot(page, f"admin-{theme}")
                page.goto(f"{url}/account")
                page.get_by_role("form", name="Preferences").wait_for()
                shoot(page, f"account-{theme}")
                shoot_moderation(page, url, theme)
                context.close()
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=1
            )
            phone.add_init_script(signed_in(admin))
            page = phone.new_page()
            page.goto(f"{url}/channel/engineering")
            page.locator(".messages .message").nth(8).wait_for()
            shoot(page, "phone-room-light")
            page.get_by_role("button", name="Show rooms").click()
            shoot(page, "phone-rooms-light")
            phone.close()
            fresh = browser.new_context(viewport={"width": 1280, "height": 800})
            page = fresh.new_page()
            page.goto(f"{url}/login")
            page.get_by_role("button", name="Sign in").wait_for()
            shoot(page, "login-light")
            fresh.close()
            browser.close()
        stop.set()
        holder.join(timeout=5)


if __name__ == "__main__":
    main()
