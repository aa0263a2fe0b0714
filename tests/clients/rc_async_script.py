"""Runs inside its own virtualenv with rocketchat-async (which pins an old websockets).

Usage: python rc_async_script.py WS_URL USERNAME PASSWORD TOKEN
Prints one JSON line per observation for the test to check.
"""

import asyncio
import json
import sys

from rocketchat_async import RocketChat


def report(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


async def main(address: str, username: str, password: str, token: str) -> None:
    received: asyncio.Queue[tuple[object, ...]] = asyncio.Queue()

    def on_message(*args: object) -> None:
        received.put_nowait(args)

    with_password = RocketChat()
    await with_password.start(address, username, password)
    report(step="login", user_id=with_password.user_id)
    channels = await with_password.get_channels()
    report(step="channels", channels=[list(c) for c in channels])
    await with_password.subscribe_to_channel_messages("GENERAL", on_message)

    with_token = RocketChat()
    await with_token.resume(address, username, token)
    report(step="resume", user_id=with_token.user_id)
    await with_token.send_message("from rocketchat-async", "GENERAL")
    args = await asyncio.wait_for(received.get(), 10)
    report(step="received", args=[str(a) for a in args])
    await with_token.send_reaction(args[2], ":thumbsup:")
    reacted = await asyncio.wait_for(received.get(), 10)  # the message again, with reactions
    report(step="reacted", message_id=reacted[2], repeated=reacted[7])
    await with_token.send_typing_event("GENERAL")
    report(step="typing")


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(*sys.argv[1:5]), 60))
