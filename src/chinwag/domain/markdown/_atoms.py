"""The inline rules that do not recurse into other inline rules: text runs, mentions,
emoji and emoticons, code, colours, timestamps, KaTeX, auto-detected links and the URL
parts of labelled links.

`Atoms` also holds the per-text state that all rules share: the text as UTF-16 code units,
the options and the memo tables (see _inline for why rules can be memoised).
"""

import re
from dataclasses import dataclass
from datetime import date

from chinwag.domain.markdown import _emoji, _links, _timestamps
from chinwag.domain.markdown import _nodes as ast
from chinwag.domain.markdown._hostnames import is_linkable_email, is_linkable_url, link_src
from chinwag.domain.markdown._nodes import Item, Node

Result = tuple[Item, int] | None
MISS: Result = (ast.plain(""), -1)  # a sentinel no rule returns

_WHITESPACE = re.compile(r"[\t ]+")
_ANY_TEXT = "[ -'+-Za-z\x80-\uffff]"
_LINE = re.compile(rf"[\t ]*+{_ANY_TEXT}++[\t ]*+")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_LINK_LABEL = re.compile(r"[ -;=?-{}-\uffff]+")
_HEX_BYTES = re.compile(r"(?:[0-9A-Fa-f]{2}){3,4}+")
_HEX_NIBBLES = re.compile(r"[0-9A-Fa-f]{3,4}+")
_TIMESTAMP_FORMATS = "DFRTdft"


def is_any_text(c: str) -> bool:
    return " " <= c <= "'" or "+" <= c <= "Z" or "a" <= c <= "z" or c >= "\x80"


def is_title_char(c: str) -> bool:
    return c not in "]()*_~ \t\r\n"


@dataclass(frozen=True)
class Options:
    colors: bool
    emoticons: bool
    katex_dollar: bool
    katex_parenthesis: bool
    custom_domains: tuple[str, ...]
    today: date | None


class NextStop:
    """The first index at or after p holding one of the stop characters, with the last
    answer remembered so forward scans over one run cost nothing more."""

    def __init__(self, stops: str) -> None:
        self._pattern = re.compile(f"[{re.escape(stops)}]")
        self._start, self._found = 1, 0  # an empty cached span

    def find(self, s: str, p: int) -> int:
        if self._start <= p <= self._found:
            return self._found
        match = self._pattern.search(s, p)
        self._start, self._found = p, match.start() if match else len(s)
        return self._found


class Atoms:
    def __init__(self, text: str, options: Options) -> None:
        self.s = text
        self.n = len(text)
        self.opt = options
        self.links = _links.LinkScanner(text)
        self._inline_memo: dict[int, tuple[list[Node], int] | None] = {}
        self._item_memo: dict[int, Result] = {}
        self._bold_memo: dict[int, Result] = {}
        self._bold_pref_memo: dict[int, Result] = {}
        self._italic_memo: dict[int, Result] = {}
        self._italic_pref_memo: dict[int, Result] = {}
        self._strike_memo: dict[int, Result] = {}
        self._title_memo: dict[int, Result] = {}
        self._title_ends: dict[int, int] = {}
        self._email_gate = NextStop(" \t\r\n@")
        self._url_gate = NextStop(" \t\r\n:./@")
        self._literal_ends: dict[str, tuple[NextStop, list[int]]] = {}
        self._marker_runs = {c: _links.Runs(text, c.__eq__) for c in "*_~"}
        self._title_runs = _links.Runs(text, is_title_char)
        self._emphasis_memo: dict[int, Result] = {}
        self._emoticon_memo: dict[int, Result] = {}
        self._settled: set[int] = set()

    def eol(self, p: int) -> int:
        s = self.s
        if s.startswith("\r\n", p):
            return p + 2
        if p < self.n and s[p] in "\r\n":
            return p + 1
        return -1

    def _regex(self, pattern: re.Pattern[str], p: int) -> Result:
        match = pattern.match(self.s, p)
        return (ast.plain(match.group()), match.end()) if match else None

    def whitespace(self, p: int) -> Result:
        return self._regex(_WHITESPACE, p)

    def line(self, p: int) -> Result:
        return self._regex(_LINE, p)

    def any_char(self, p: int) -> Result:
        if p < self.n and self.s[p] not in "\r\n":
            return ast.plain(self.s[p]), p + 1
        return None

    def _single(self, p: int, excluded: str) -> Result:
        if p < self.n and self.s[p] not in excluded:
            return ast.plain(self.s[p]), p + 1
        return None

    def spaced_markers(self, p: int) -> Result:
        """`** **`, `_ _`, `~~ ~`: markers around nothing but spaces stay text."""
        s = self.s
        if p >= self.n or s[p] not in "*_~":
            return None
        runs = self._marker_runs[s[p]]
        space = _WHITESPACE.match(s, runs.end(p))
        if space is None or not s.startswith(s[p], space.end()):
            return None
        end = runs.end(space.end())
        return ast.plain(s[p:end]), end

    def markdown_link_ref(self, p: int) -> tuple[str, int] | None:
        s = self.s
        head = self.links.url_head(p)
        if head >= 0:
            end = self.links.markdown_body(head)
            return s[p:end], end
        scheme = _links.scheme(s, p)
        if scheme >= 0 and (end := self.links.markdown_body(scheme)) > scheme:
            return s[p:end], end
        return self._phone_ref(p)

    def _phone_ref(self, p: int) -> tuple[str, int] | None:
        found = _links.phone(self.s, p)
        return ("tel:" + found[1], found[2]) if found else None

    def angle_link(self, p: int) -> Result:
        s = self.s
        q = p + 1
        head = self.links.url_head(q)
        href: tuple[str, int] | None = None
        if head >= 0:
            end = self.links.url_body(head)
            href = s[q:end], end
        else:
            scheme = _links.scheme(s, q)
            if scheme >= 0 and (end := self.links.url_body(scheme)) > scheme:
                href = s[q:end], end
            else:
                href = self._phone_ref(q)
        if href is None or not s.startswith("|", href[1]):
            return None
        label = _LINK_LABEL.match(s, href[1] + 1)
        if label is None or not s.startswith(">", label.end()):
            return None
        return ast.link(href[0], [ast.plain(label.group())]), label.end() + 1

    def auto_email(self, p: int) -> Result:
        s = self.s
        stop = self._email_gate.find(s, p)
        if stop >= self.n or s[stop] != "@":
            return None
        start = p + 7 if s.startswith("mailto:", p) else p
        end = self.links.email(start)
        if end < 0:
            return None
        address = s[start:end]
        if is_linkable_email(address):
            return ast.link("mailto:" + address, [ast.plain(address)]), end
        return ast.plain(address), end

    def underscore_domain(self, p: int) -> Result:
        if not self.s.startswith("_", p):
            return None
        end = self.links.domain_name(p + 1)
        if end < 0 or self.s.startswith("_", end):
            return None
        return ast.plain(self.s[p:end]), end

    def auto_url(self, p: int) -> Result:
        s = self.s
        stop = self._url_gate.find(s, p)
        if stop >= self.n or not (s[stop] == "." or s.startswith("://", stop)):
            return None
        head = self.links.url_head(p)
        if head < 0:
            return None
        end = self.links.autolink_body(head)
        url = s[p:end]
        if is_linkable_url(url, self.opt.custom_domains):
            return ast.link(link_src(url), [ast.plain(url)]), end
        return ast.plain(url), end

    def at_mention(self, p: int) -> Result:
        """ "@"+ name (":" or "@" name)?, unless the name ends with "__"."""
        s, q = self.s, p
        while q < self.n and s[q] == "@":
            q += 1
        if q == p or (name := _links.NAMES.match(s, q)) is None:
            return None
        end = name.end()
        if end < self.n and s[end] in ":@" and (more := _links.NAMES.match(s, end + 1)):
            end = more.end()
        user = s[q:end]
        if user.endswith("__"):
            return None
        return ast.wrap("MENTION_USER", ast.plain(user)), end

    def user_mention(self, p: int) -> Result:
        s = self.s
        if p < self.n and is_any_text(s[p]):
            q = p + 1
            while q < self.n and s[q] == "@":
                q += 1
            if q > p + 1 and q < self.n and _links.ALNUM.match(s[q]):
                return ast.plain(s[p] + "@" + s[q]), q + 1
        return self.at_mention(p)

    def channel_mention(self, p: int) -> Result:
        s = self.s
        if (
            p + 2 < self.n
            and is_any_text(s[p])
            and s[p + 1] == "#"
            and _links.ALNUM.match(s[p + 2])
        ):
            return ast.plain(s[p : p + 3]), p + 3
        if s.startswith("#", p) and (name := _links.NAMES.match(s, p + 1)):
            return ast.wrap("MENTION_CHANNEL", ast.plain(name.group())), name.end()
        return None

    def emoji(self, p: int) -> Result:
        code = _emoji.short_code(self.s, p)
        if code is not None:
            return ast.emoji(code[0]), code[1]
        end = _emoji.unicode_emoji(self.s, p)
        return (ast.emoji_unicode(self.s[p:end]), end) if end >= 0 else None

    def emoticon(self, p: int) -> Result:
        r = self._emoticon_memo.get(p, MISS)
        if r is MISS:
            found = _emoji.emoticon(self.s, p) if self.opt.emoticons else None
            r = (ast.emoticon(*found), p + len(found[0])) if found else None
            self._emoticon_memo[p] = r
        return r

    def dash_before_face(self, p: int) -> Result:
        """A "-" before "_-x" is text, so that "-_-x" is not read as the -_- face."""
        if self.s.startswith("-_-", p) and p + 3 < self.n:
            return ast.plain("-"), p + 1
        return None

    def inline_code(self, p: int) -> Result:
        match = _INLINE_CODE.match(self.s, p)
        if match is None:
            return None
        return ast.wrap("INLINE_CODE", ast.plain(match.group(1))), match.end()

    def color(self, p: int) -> Result:
        s = self.s
        if not self.opt.colors or not s.startswith("color:#", p):
            return None
        q = p + 7
        match = _HEX_BYTES.match(s, q)
        if match is not None:
            h = match.group()
            values = [int(h[i : i + 2], 16) for i in range(0, len(h), 2)]
        elif (match := _HEX_NIBBLES.match(s, q)) is not None:
            values = [int(c * 2, 16) for c in match.group()]
        else:
            return None
        end = match.end()
        if end < self.n and is_any_text(s[end]):
            return None
        return ast.color(*values), end

    def _timestamp_date(self, p: int) -> tuple[str, int] | None:
        s = self.s
        if match := _timestamps.UNIX.match(s, p):
            return match.group(), match.end()
        if match := _timestamps.ISO.match(s, p):
            return _timestamps.from_iso(match), match.end()
        if match := _timestamps.CLOCK.match(s, p):
            return _timestamps.from_clock(match, self.opt.today), match.end()
        return None

    def _timestamp_parts(self, p: int) -> tuple[str, str | None, int, int] | None:
        """<t:date(:format)?> as (value, format, end of date, end)."""
        if not self.s.startswith("<t:", p) or (date := self._timestamp_date(p + 3)) is None:
            return None
        value, q = date
        s = self.s
        fmt = s[q + 1 : q + 2]
        if s.startswith(":", q) and fmt and fmt in _TIMESTAMP_FORMATS and s.startswith(">", q + 2):
            return value, fmt, q, q + 3
        if s.startswith(">", q):
            return value, None, q, q + 1
        return None

    def timestamp(self, p: int) -> Result:
        parts = self._timestamp_parts(p)
        if parts is None:
            return None
        value, fmt, _, end = parts
        return ast.timestamp(value, fmt, (p, end)), end

    def escaped_timestamp(self, p: int) -> Result:
        if not self.s.startswith("\\", p) or (parts := self._timestamp_parts(p + 1)) is None:
            return None
        _, fmt, date_end, end = parts
        raw = self.s[p + 4 : date_end]
        return ast.plain(f"<t:{raw}:{fmt}>" if fmt else f"<t:{raw}>"), end

    def literal_end(self, literal: str, p: int) -> int:
        """The first index at or after p where `literal` starts, or -1."""
        entry = self._literal_ends.get(literal)
        if entry is None:
            entry = self._literal_ends[literal] = (NextStop(literal[0]), [1, 0])
        finder, span = entry
        if span[0] <= p <= span[1]:
            return span[1] if span[1] < self.n else -1
        s, q = self.s, p
        while (q := finder.find(s, q)) < self.n and not s.startswith(literal, q):
            q += 1
        span[0], span[1] = p, q
        return q if q < self.n else -1

    def _katex_end(self, p: int, parenthesis: str, dollar: str) -> tuple[int, int]:
        """The first place at or after p where a closing delimiter starts, and its length."""
        ends = []
        if self.opt.katex_parenthesis and (q := self.literal_end(parenthesis, p)) >= 0:
            ends.append((q, len(parenthesis)))
        if self.opt.katex_dollar and (q := self.literal_end(dollar, p)) >= 0:
            ends.append((q, len(dollar)))
        return min(ends) if ends else (-1, 0)

    def katex_inline(self, p: int) -> Result:
        s = self.s
        if self.opt.katex_parenthesis and s.startswith("\\(", p):
            start = p + 2
        elif self.opt.katex_dollar and s.startswith("$", p):
            start = p + 1
        else:
            return None
        end, width = self._katex_end(start, "\\)", "$")
        if end < 0:
            return None
        return ast.wrap("INLINE_KATEX", s[start:end]), end + width
