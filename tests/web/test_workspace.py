"""The web client in headless Chromium, two people in two browser contexts, one story:
setup, joining by invite link, chatting live, editing, reacting, threads, unread badges,
search, history, a server restart, and an administrator locking someone out."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.conftest import Server

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
WAIT = 15_000  # ms: live updates arrive well within this on a loaded machine
expect.set_options(timeout=WAIT)
# Markup, script, an event handler, a bidi override, combining marks, zero-width and
# astral characters: all of it must reach the other browser as plain text.
HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    "<b>bold?</b> &amp; </p><iframe src=//evil></iframe> \u202eevil\u202c Z\u0351\u0352"
    " \u200b\u200d \U0001d54f \U0001f469\u200d\U0001f4bb '\"`"
)


@dataclass
class Story:
    """What the steps share: the two people's pages, and what earlier steps made."""

    server: Server
    ada: Page
    bob: Page
    invite_url: str = ""
    notes: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def story(server: Server, browser: Browser) -> Iterator[Story]:
    contexts: list[BrowserContext] = []

    def page() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        opened = context.new_page()
        opened.set_default_timeout(WAIT)
        return opened

    yield Story(server=server, ada=page(), bob=page())
    for context in contexts:
        context.close()


def composer(page: Page, room: str = "general") -> Any:
    return page.get_by_role("textbox", name=f"Message #{room}")


def send(page: Page, text: str, room: str = "general", shown: str | None = None) -> None:
    box = composer(page, room)
    box.fill(text)
    box.press("Enter")
    expect(message(page, shown or text)).to_be_visible()
    expect(message(page, shown or text)).not_to_have_class(re.compile(r"\bpending\b"))


def message(page: Page, text: str) -> Any:
    return page.locator(".messages .message", has_text=text).last


def room_link(page: Page, name: str) -> Any:
    return page.get_by_role("navigation", name="Rooms").get_by_role("link", name=name)


def badge(page: Page, rid: str = "GENERAL") -> Any:
    return page.locator(f'.room-item[data-rid="{rid}"] .badge')


def rest_headers(page: Page) -> dict[str, str]:
    """The REST credentials of the person signed in on this page (its resume token)."""
    uid, token = page.evaluate(
        "[localStorage.getItem('Meteor.userId'), localStorage.getItem('Meteor.loginToken')]"
    )
    return {"X-User-Id": uid, "X-Auth-Token": token}


def test_first_run_setup_creates_the_admin_and_names_the_workspace(story: Story) -> None:
    ada = story.ada
    ada.goto(story.server.url + "/")
    expect(ada).to_have_url(story.server.url + "/setup")
    ada.get_by_label("Workspace name").fill("Acme Chat")
    ada.get_by_label("Email", exact=True).fill("ada@example.com")
    ada.get_by_label("Name", exact=True).fill("Ada Admin")
    ada.get_by_label("Username", exact=True).fill("ada")
    ada.get_by_label("Password", exact=True).fill(PASSWORD)
    ada.get_by_label("Confirm password").fill(PASSWORD)
    ada.get_by_role("button", name="Create workspace").click()
    expect(ada).to_have_url(story.server.url + "/home")
    expect(ada.get_by_role("heading", name="Welcome to Acme Chat")).to_be_visible()
    settings = httpx.get(f"{story.server.url}/api/v1/settings.public?_id=Site_Name").json()
    assert settings["settings"] == [{"_id": "Site_Name", "value": "Acme Chat"}]
    me = httpx.get(f"{story.server.url}/api/v1/me", headers=rest_headers(ada)).json()
    assert "admin" in me["roles"]
    # The session survives a reload: the resume token is kept.
    ada.reload()
    expect(ada.get_by_role("button", name="Account menu for ada")).to_be_visible()


def test_a_newcomer_joins_through_an_invite_link(story: Story) -> None:
    ada, bob = story.ada, story.bob
    room_link(ada, "general").click()
    expect(composer(ada)).to_be_focused()
    ada.get_by_role("button", name="Members").click()
    ada.get_by_role("button", name="Invite link").click()
    ada.get_by_role("button", name="Create link").click()
    link = ada.get_by_label("Invite link", exact=True)
    expect(link).not_to_have_value("")
    story.invite_url = link.input_value()
    assert story.invite_url.startswith(f"{story.server.url}/invite/")
    ada.keyboard.press("Escape")  # the dialog
    ada.keyboard.press("Escape")  # the members panel

    bob.goto(story.invite_url)
    expect(bob.get_by_role("heading", name="You are invited to join #general")).to_be_visible()
    form = bob.get_by_role("form", name="Create an account and join")
    form.get_by_label("Email").fill("bob@example.com")
    form.get_by_label("Name", exact=True).fill("Bob Builder")
    expect(form.get_by_label("Username")).to_have_value("bob")  # suggested from the email
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Confirm password").fill(PASSWORD)
    bob.get_by_role("button", name="Create account and join").click()
    expect(bob).to_have_url(story.server.url + "/channel/general")
    expect(composer(bob)).to_be_visible()


def test_messages_arrive_live_in_the_other_browser(story: Story) -> None:
    composer(story.bob).press_sequentially("hello")
    expect(story.ada.locator(".typing")).to_have_text("bob is typing…")
    composer(story.bob).fill("")
    expect(story.ada.locator(".typing")).to_have_text("")
    send(story.bob, "hello from bob")
    expect(message(story.ada, "hello from bob")).to_contain_text("Bob Builder")
    send(story.ada, "hi bob, **welcome**", shown="hi bob, welcome")
    expect(message(story.bob, "hi bob, welcome").locator("strong")).to_have_text("welcome")


def test_hostile_text_renders_as_text(story: Story) -> None:
    ada, bob = story.ada, story.bob
    box = composer(ada)
    box.fill(HOSTILE)
    box.press("Enter")
    body = bob.locator(".messages .message .body", has_text="window.__pwned=1").last
    expect(body).to_be_visible()
    assert body.text_content() == HOSTILE
    injected = body.locator("script, img, iframe, b, p p")
    assert injected.count() == 0
    assert bob.evaluate("window.__pwned") is None
    assert ada.evaluate("window.__pwned") is None


def test_markdown_becomes_elements_and_only_safe_links(story: Story) -> None:
    text = (
        "**bold** _it_ ~gone~ `code` :smile: @ada #general https://example.com/a?b=1\n"
        "> quoted\n"
        "- one\n- two\n"
        "1. first\n"
        "[click](javascript:alert(1)) [site](https://example.org)\n"
        "```py\nprint('<b>')\n```"
    )
    httpx.post(
        f"{story.server.url}/api/v1/chat.postMessage",
        json={"roomId": "GENERAL", "text": text},
        headers=rest_headers(story.bob),
    ).raise_for_status()
    body = story.ada.locator(".messages .message .body", has_text="quoted").last
    expect(body).to_be_visible()
    assert body.locator("strong").text_content() == "bold"
    assert body.locator("em").text_content() == "it"
    assert body.locator("s").text_content() == "gone"
    assert body.locator("code.inline-code").text_content() == "code"
    assert body.locator(".emoji").first.text_content() == "\U0001f604"
    assert body.locator("button.mention-me").text_content() == "@ada"
    assert body.locator("a.mention-channel").get_attribute("href") == "/channel/general"
    assert body.locator("blockquote").text_content() == "quoted"
    assert body.locator("ul > li").all_text_contents() == ["one", "two"]
    assert body.locator("ol > li").all_text_contents() == ["first"]
    assert body.locator("pre code").text_content() == "print('<b>')"
    links = body.locator("a[href^='http']")
    assert links.evaluate_all("(as) => as.map((a) => [a.href, a.target, a.rel])") == [
        ["https://example.com/a?b=1", "_blank", "noopener noreferrer"],
        ["https://example.org/", "_blank", "noopener noreferrer"],
    ]
    assert body.locator("[href^='javascript']").count() == 0
    assert "click" in body.text_content()


def test_up_edits_ones_last_message(story: Story) -> None:
    bob, ada = story.bob, story.ada
    send(bob, "a message with a tpyo")
    box = composer(bob)
    box.press("ArrowUp")
    expect(box).to_have_value("a message with a tpyo")
    box.fill("a message without a typo")
    box.press("Enter")
    edited = message(ada, "a message without a typo")
    expect(edited.locator(".edited")).to_have_text("(edited)")
    expect(ada.locator(".messages .message", has_text="tpyo")).to_have_count(0)


def test_reactions_from_the_emoji_picker(story: Story) -> None:
    ada, bob = story.ada, story.bob
    target = message(ada, "a message without a typo")
    target.hover()
    target.get_by_role("button", name="Add reaction").first.click()
    picker = ada.get_by_role("dialog", name="Emoji picker")
    picker.get_by_role("searchbox").fill("tada")
    picker.get_by_role("option", name=":tada:").click()
    reaction = message(bob, "a message without a typo").locator('.reaction[data-emoji=":tada:"]')
    expect(reaction).to_have_attribute("aria-pressed", "false")
    expect(reaction.locator(".count")).to_have_text("1")
    reaction.click()
    expect(reaction).to_have_attribute("aria-pressed", "true")
    expect(
        message(ada, "a message without a typo").locator('.reaction[data-emoji=":tada:"] .count')
    ).to_have_text("2")


def test_a_thread_reply_in_the_side_panel(story: Story) -> None:
    ada, bob = story.ada, story.bob
    send(ada, "a question for a thread")
    question = message(bob, "a question for a thread")
    question.hover()
    question.get_by_role("button", name="Reply in thread").click()
    reply_box = bob.get_by_role("textbox", name="Reply in thread")
    reply_box.fill("an answer in the thread")
    reply_box.press("Enter")
    thread_log = bob.get_by_role("log", name="Thread messages")
    expect(thread_log).to_contain_text("an answer in the thread")
    summary = message(ada, "a question for a thread").locator(".thread-summary")
    expect(summary).to_contain_text("1 reply")
    # The reply stays out of the room's timeline, and opens in Ada's thread panel too.
    expect(ada.locator(".messages .message", has_text="an answer in the thread")).to_have_count(0)
    summary.click()
    expect(ada.get_by_role("log", name="Thread messages")).to_contain_text(
        "an answer in the thread"
    )
    ada.keyboard.press("Escape")
    expect(ada.get_by_role("log", name="Thread messages")).to_have_count(0)
    bob.keyboard.press("Escape")


def test_unread_badges_and_mentions_in_the_sidebar(story: Story) -> None:
    ada, bob = story.ada, story.bob
    ada.get_by_role("link", name="Home").click()
    expect(ada).to_have_url(story.server.url + "/home")
    send(bob, "are you there?")
    expect(badge(ada)).to_have_text("1")
    box = composer(bob)
    box.press_sequentially("@ad")
    suggestion = bob.get_by_role("option", name="@ada · Ada Admin")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_value("@ada ")
    box.press_sequentially("please look")
    box.press("Enter")
    expect(message(bob, "@ada please look")).to_be_visible()
    expect(badge(ada)).to_have_text("@1")
    expect(ada.locator('.room-item[data-rid="GENERAL"]')).to_have_class(re.compile(r"\bunread\b"))
    assert ada.title().startswith("(2) ")
    room_link(ada, "general").click()
    expect(message(ada, "@ada please look")).to_have_class(re.compile(r"\bmentioned\b"))
    expect(ada.get_by_role("separator", name="New messages")).to_be_visible()
    expect(badge(ada)).to_have_count(0)


def test_search_in_a_room_and_across_rooms(story: Story) -> None:
    ada = story.ada
    ada.get_by_role("button", name="Search in room").click()
    ada.get_by_role("searchbox", name="Search messages in this room").fill("typo")
    results = ada.locator(".panel .panel-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("a message without a typo")
    ada.keyboard.press("Escape")
    ada.goto(story.server.url + "/search?q=welcome")
    expect(ada.locator(".search-result")).to_contain_text("hi bob, welcome")
    ada.locator(".search-result a.search-room").first.click()
    highlighted = ada.locator(".messages .message.highlight")
    expect(highlighted).to_contain_text("hi bob, welcome")


def test_history_loads_upward_without_moving_what_is_read(story: Story) -> None:
    ada = story.ada
    headers = rest_headers(ada)
    url = story.server.url
    room = httpx.post(
        f"{url}/api/v1/channels.create", json={"name": "history"}, headers=headers
    ).json()["channel"]
    with httpx.Client(base_url=url, headers=headers) as client:
        for i in range(1, 131):
            r = client.post(
                "/api/v1/chat.postMessage", json={"roomId": room["_id"], "text": f"line {i}"}
            )
            assert r.status_code == 200
    ada.goto(f"{url}/channel/history")
    rows = ada.locator(".messages .message")
    expect(message(ada, "line 130")).to_be_visible()
    first_count = rows.count()
    assert 50 <= first_count < 130
    oldest = rows.first.get_attribute("data-id")
    # Scroll to the top and note where the oldest loaded message is, in the same task, so
    # the page cannot load anything in between; then let the older page arrive.
    where = """(id) => document.querySelector(`.messages [data-row="${id}"]`)
        .getBoundingClientRect().top"""
    top = ada.evaluate(
        f"(id) => {{ document.querySelector('.timeline').scrollTop = 0; return ({where})(id); }}",
        oldest,
    )
    expect(rows).not_to_have_count(first_count)
    after = ada.evaluate(where, oldest)
    assert abs(after - top) <= 2, (top, after)
    ada.evaluate("document.querySelector('.timeline').scrollTop = 0")
    expect(message(ada, "line 1")).to_be_attached()
    expect(ada.get_by_text("This is the start of the conversation.")).to_be_visible()


def test_reconnects_after_a_server_restart_and_catches_up(story: Story) -> None:
    ada, bob = story.ada, story.bob
    room_link(ada, "general").click()
    expect(composer(ada)).to_be_visible()
    banner = ada.locator(".connection-banner")
    story.server.stop()
    expect(banner).to_have_text("Connection lost. Reconnecting…")
    story.server.start()
    # Posted as soon as the server is back, most likely before the page has reconnected:
    # the page catches up on it either way.
    httpx.post(
        f"{story.server.url}/api/v1/chat.postMessage",
        json={"roomId": "GENERAL", "text": "posted while you were away"},
        headers=rest_headers(bob),
    ).raise_for_status()
    expect(banner).to_be_hidden(timeout=30_000)
    expect(message(ada, "posted while you were away")).to_be_visible()
    expect(composer(bob)).to_be_visible()
    expect(bob.locator(".connection-banner")).to_be_hidden(timeout=30_000)
    send(bob, "and live again")
    expect(message(ada, "and live again")).to_be_visible()


def test_directory_direct_messages_and_the_quick_switcher(story: Story) -> None:
    ada, bob = story.ada, story.bob
    bob.get_by_role("link", name="Directory").click()
    bob.get_by_role("searchbox", name="Search the directory").fill("hist")
    bob.get_by_role("button", name="Join history").click()
    expect(bob).to_have_url(story.server.url + "/channel/history")
    expect(composer(bob, "history")).to_be_visible()
    bob.get_by_role("button", name="Create new").click()
    bob.get_by_role("menuitem", name="Direct message").click()
    bob.get_by_label("Send a direct message to").fill("ada")
    bob.get_by_role("button", name="Open").click()
    expect(bob).to_have_url(re.compile(r"/direct/"))
    # Ada's tab is in the background with notifications allowed: record what it shows.
    ada.evaluate(
        """() => {
            window.__notes = [];
            window.Notification = class {
                static permission = 'granted';
                constructor(title, options) { window.__notes.push([title, options.body]); }
            };
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        }"""
    )
    dm = bob.get_by_role("textbox", name="Message @Ada Admin")
    dm.fill("a private word")
    dm.press("Enter")
    rid = bob.url.rsplit("/", 1)[1]
    expect(badge(ada, rid)).to_have_class(re.compile(r"badge-mention"))
    assert ada.evaluate("window.__notes") == [["bob", "a private word"]]
    ada.evaluate("delete document.hidden")
    ada.keyboard.press("Control+k")
    ada.get_by_role("searchbox", name="Jump to").fill("bob")
    ada.keyboard.press("Enter")
    expect(ada).to_have_url(f"{story.server.url}/direct/{rid}")
    expect(message(ada, "a private word")).to_be_visible()
    room_link(ada, "general").click()


def test_phone_width_shows_one_pane_at_a_time(story: Story, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.set_default_timeout(WAIT)
        phone.goto(story.server.url + "/login")
        phone.get_by_label("Username or email").fill("ada@example.com")
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Sign in").click()
        expect(phone).to_have_url(story.server.url + "/home")
        sidebar = phone.get_by_role("navigation", name="Rooms")
        expect(sidebar).to_be_hidden()
        phone.get_by_role("button", name="Show rooms").click()
        expect(sidebar).to_be_visible()
        sidebar.get_by_role("link", name="general").click()
        expect(sidebar).to_be_hidden()
        expect(composer(phone)).to_be_visible()
        box = composer(phone).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()


def test_an_admin_deactivates_someone_who_is_then_signed_out(story: Story) -> None:
    ada, bob = story.ada, story.bob
    ada.get_by_role("button", name="Account menu for ada").click()
    ada.get_by_role("menuitem", name="Administration").click()
    expect(ada).to_have_url(story.server.url + "/admin/users")
    ada.get_by_role("button", name="Deactivate bob").click()
    expect(ada.get_by_role("button", name="Activate bob")).to_be_visible()
    expect(bob).to_have_url(story.server.url + "/login")
    expect(bob.get_by_text("You have been signed out.")).to_be_visible()
    assert bob.evaluate("localStorage.getItem('Meteor.loginToken')") is None
