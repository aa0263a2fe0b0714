"""Rocket.Chat's message markdown: text in, the `md` tree that clients render out.

A pure-Python port of @rocket.chat/message-parser 0.32.0, checked against the npm package
by differential tests. `parse` never raises: where the package would throw (an empty text,
or a pathological one), it returns the text as one plain paragraph.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chinwag.domain.markdown._blocks import InvalidMessage, Parser
from chinwag.domain.markdown._inline import Options

__all__ = ["SERVER_KATEX", "KatexOptions", "parse"]


@dataclass(frozen=True)
class KatexOptions:
    dollar_syntax: bool = False
    parenthesis_syntax: bool = True


# Rocket.Chat's defaults: Katex_Enabled on, parenthesis syntax on, dollar syntax off.
SERVER_KATEX = KatexOptions()


# Letters, digits, spaces and , ' ? ! start no markup in Rocket.Chat's grammar (no emoticon,
# link, list or emphasis is made of them alone): a text of only these, which most chat lines
# are, is one plain paragraph. The differential tests check this against the package.
_PLAIN = re.compile(r"[A-Za-z0-9 ,'?!]+")


def _code_units(text: str) -> str:
    """The text as JavaScript sees it: one character per UTF-16 code unit."""
    if text.isascii():
        return text
    data = text.encode("utf-16-le", "surrogatepass")
    units = memoryview(data).cast("H")
    return "".join(map(chr, units))


def _restore(value: object) -> object:
    """Back from code units to Python text, pairing surrogates (lone ones stay lone)."""
    if isinstance(value, str):
        if value.isascii():
            return value
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(value, list):
        return [_restore(v) for v in value]
    if isinstance(value, dict):
        return {k: _restore(v) for k, v in value.items()}
    return value


def parse(
    text: str,
    *,
    colors: bool = True,
    emoticons: bool = True,
    katex: KatexOptions | None = SERVER_KATEX,
    custom_domains: Sequence[str] = (),
    today: date | None = None,
) -> list[dict[str, object]]:
    """The `md` tree of a message, as Rocket.Chat's server computes it.

    The defaults are the server's: hex colour previews and emoticons on, KaTeX with
    \\[...\\] and \\(...\\) delimiters, no custom auto-link domains. `today` dates
    <t:HH:MM+hh:mm> timestamps (by default the current UTC date).
    """
    if _PLAIN.fullmatch(text) and not text.isspace():
        return [{"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": text}]}]
    options = Options(
        colors=colors,
        emoticons=emoticons,
        katex_dollar=katex is not None and katex.dollar_syntax,
        katex_parenthesis=katex is not None and katex.parenthesis_syntax,
        custom_domains=tuple(custom_domains),
        today=today,
    )
    units = _code_units(text)
    try:
        tree = Parser(units, options).message()
    except (InvalidMessage, RecursionError):
        return [{"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": text}]}]
    if len(units) == len(text):  # no astral characters: code units are the text
        return tree
    restored = _restore(tree)
    assert isinstance(restored, list)
    return restored
