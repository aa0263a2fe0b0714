"""Leaf matchers for URLs, domains, e-mail addresses and phone numbers.

Each takes the text (UTF-16 code units) and a position and returns the end of its match or
-1, following the grammar's PEG rules: greedy, committed choices, no backtracking.
"""

import re
from collections.abc import Callable
from functools import cache

from chinwag.domain.markdown import _chars

_SCHEME = re.compile(r"[A-Za-z0-9+\-]{1,32}+:")
_USER_INFO = re.compile(r"[a-zA-Z0-9$&+_#?-]++(?::[a-zA-Z0-9$&+_#?-]++)?+@")
_DIGITS = re.compile(r"[0-9]+")
_IPV4 = re.compile(r"[0-9]++(?:\.[0-9]++){3}")
EXTRA = frozenset(".,!%~*\"':;()=~")
_MARKDOWN_EXTRA = frozenset(".,!%*\"':;=")
_SAFE = frozenset("$@&+_#?-")
_DOMAIN_STOP = frozenset("\r\n \t\\/|><%`[]")
_SPACE_OR_EOL = frozenset(" \t\r\n")
# URLBody's [ -(*-[\]-{}-~\x80-\uFFFF]: printable ASCII but ) \ | and any non-ASCII unit.
_BODY_EXCLUDED = frozenset(")\\|")
_EMAIL_SPECIALS = "!#$%&'*+/=?^_`{|}~-"


def _class(ranges: str) -> str:
    parts = []
    for item in ranges.split():
        low, _, high = item.partition("-")
        parts.append(f"\\u{int(low, 16):04x}" + (f"-\\u{int(high, 16):04x}" if high else ""))
    return "[" + "".join(parts) + "]"


NAMES = re.compile(_class(_chars.NAMES) + "+")
ALNUM = re.compile(_class(_chars.ALNUM))


@cache
def _local_part() -> re.Pattern[str]:
    first = _class(_chars.ALNUM_OR_MARK)
    rest = first[:-1] + re.escape(_EMAIL_SPECIALS) + "]"
    return re.compile(f"{first}{rest}*+(?:\\.{first}{rest}*+)*+")


def _is_alnum(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9"


def domain_char(s: str, p: int) -> int:
    if p >= len(s):
        return -1
    c = s[p]
    if _is_alnum(c):
        return p + 1
    if c in EXTRA:
        return -1
    if c in "_-":
        p += 1  # the grammar's [_-] consumes, then a further character must follow
    elif c in _SAFE:
        return -1
    if p >= len(s) or s[p] in _DOMAIN_STOP:
        return -1
    return p + 1


def _scan(memo: dict[int, int], step: Callable[[int], int], p: int) -> int:
    """Where a deterministic forward scan from p stops, remembering the answer for every
    position it passes, so scans started inside an earlier one cost nothing more."""
    path = []
    q = p
    while (end := memo.get(q)) is None:
        nxt = step(q)
        if nxt < 0:
            end = memo[q] = q
            break
        path.append(q)
        q = nxt
    for visited in path:
        memo[visited] = end
    return end


class Runs:
    """The end of the run of characters of one class that contains a position."""

    def __init__(self, s: str, members: Callable[[str], bool]) -> None:
        self._s, self._members = s, members
        self._start, self._end = 1, 0

    def end(self, q: int) -> int:
        if self._start <= q < self._end:
            return self._end
        s, end = self._s, q
        while end < len(s) and self._members(s[end]):
            end += 1
        self._start, self._end = q, end
        return end


class LinkScanner:
    """The URL, domain and e-mail matchers over one text, with their scans memoised."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.n = len(s)
        self._labels: dict[int, int] = {}
        self._domain_tails: dict[int, int] = {}
        self._autolink: dict[int, int] = {}
        self._url_body: dict[int, int] = {}
        self._markdown_body: dict[int, int] = {}
        self._extra = Runs(s, EXTRA.__contains__)
        self._markdown_extra = Runs(s, _MARKDOWN_EXTRA.__contains__)
        self._paren = re.compile(r"[^ \t\r\n)\\|\x00-\x1f\x7f]*")
        self._paren_cache = (1, 0)
        self._local = (1, 0)

    def _label_step(self, q: int) -> int:
        return domain_char(self.s, q)

    def label(self, p: int) -> int:
        """DomainNameLabel: DomainChar+ (its ("-" DomainChar+)* can never match more)."""
        if domain_char(self.s, p) < 0:
            return -1
        return _scan(self._labels, self._label_step, p)

    def _tail_step(self, q: int) -> int:
        if q < self.n and self.s[q] == ".":
            return self.label(q + 1)
        return -1

    def domain_name(self, p: int) -> int:
        s = self.s
        if s.startswith("localhost", p):
            return p + 9
        if s.startswith("_", p) or (q := self.label(p)) < 0:
            return -1
        end = _scan(self._domain_tails, self._tail_step, q)
        return end if end > q else -1

    def authority_host(self, p: int) -> int:
        q = self.domain_name(p)
        s = self.s
        if q < 0:
            match = _IPV4.match(s, p)
            if match is None:
                return -1
            q = match.end()
        if s.startswith(":", q) and (port := _DIGITS.match(s, q + 1)):
            q = port.end()
        return q

    def url_head(self, p: int) -> int:
        s = self.s
        scheme = _SCHEME.match(s, p)
        if scheme is not None and s.startswith("//", scheme.end()):
            q = scheme.end() + 2
            if user := _USER_INFO.match(s, q):
                q = user.end()
            end = self.authority_host(q)
            if end >= 0:
                return end
        return self.authority_host(p)

    def _punctuation_ends(self, q: int, runs: Runs, or_end: bool) -> bool:
        stop = runs.end(q)
        return (or_end and stop == self.n) or (stop < self.n and self.s[stop] in _SPACE_OR_EOL)

    def _autolink_step(self, q: int) -> int:
        if q >= self.n:
            return -1
        c = self.s[q]
        if c in _SPACE_OR_EOL or (c in EXTRA and self._punctuation_ends(q, self._extra, True)):
            return -1
        return q + 1

    def autolink_body(self, p: int) -> int:
        """AutoLinkURLBody*: anything up to trailing punctuation before a space or the end."""
        return _scan(self._autolink, self._autolink_step, p)

    def _url_body_step(self, q: int) -> int:
        if q >= self.n:
            return -1
        c = self.s[q]
        if c in " \t" or (c in EXTRA and self._punctuation_ends(q, self._extra, True)):
            return -1
        return q + 1 if _in_body(c) else -1

    def url_body(self, p: int) -> int:
        """URLBody*, the tail of a URL inside <url|label>."""
        return _scan(self._url_body, self._url_body_step, p)

    def _paren_end(self, q: int) -> int:
        start, end = self._paren_cache
        if not start <= q <= end:
            end = self._paren.match(self.s, q).end()  # type: ignore[union-attr]
            self._paren_cache = (q, end)
        return end

    def _markdown_step(self, q: int) -> int:
        if q >= self.n:
            return -1
        c = self.s[q]
        if c in " \t" or c == ")":
            return -1
        if c in _MARKDOWN_EXTRA and self._punctuation_ends(q, self._markdown_extra, False):
            return -1
        if c == "(":
            r = self._paren_end(q + 1)
            return r + 1 if self.s.startswith(")", r) else -1
        return q + 1 if _in_body(c) else -1

    def markdown_body(self, p: int) -> int:
        """MarkdownLinkURLBody*, the tail of a URL in [label](url), parentheses balanced once."""
        return _scan(self._markdown_body, self._markdown_step, p)

    def email(self, p: int) -> int:
        """LocalPart "@" DomainName, after the caller's optional "mailto:"."""
        start, end = self._local
        if not (start < p < end and _local_first(self.s[p])):
            match = _local_part().match(self.s, p)
            if match is None:
                return -1
            self._local = (p, end := match.end())
        if not self.s.startswith("@", end):
            return -1
        return self.domain_name(end + 1)


def _in_body(c: str) -> bool:
    return c >= " " and c != "\x7f" and c not in _BODY_EXCLUDED


@cache
def _local_first_class() -> re.Pattern[str]:
    return re.compile(_class(_chars.ALNUM_OR_MARK))


def _local_first(c: str) -> bool:
    return _local_first_class().match(c) is not None


def digits(s: str, p: int) -> int:
    match = _DIGITS.match(s, p)
    return match.end() if match else -1


def phone(s: str, p: int) -> tuple[str, str, int] | None:
    """A "+" phone number as (text, number, end)."""
    if not s.startswith("+", p):
        return None
    q = p + 1
    prefix: tuple[str, str, int] | None = None
    if (e := digits(s, q)) >= 0:
        prefix = (s[q:e], s[q:e], e)
    elif s.startswith("(", q) and (e := digits(s, q + 1)) >= 0 and s.startswith(")", e):
        prefix = (s[q : e + 1], s[q + 1 : e], e + 1)
    if prefix is not None:
        text, number, e = prefix
        if s.startswith("-", e) and (f := digits(s, e + 1)) >= 0:
            return "+" + text + "-" + s[e + 1 : f], number + s[e + 1 : f], f
        if (f := digits(s, e)) >= 0:
            d1 = s[e:f]
            if s.startswith("-", f) and (g := digits(s, f + 1)) >= 0:
                return "+" + text + d1 + "-" + s[f + 1 : g], number + d1 + s[f + 1 : g], g
            return "+" + text + d1, number + d1, f
    if (e := digits(s, q)) >= 0:
        return "+" + s[q:e], s[q:e], e
    return None


def scheme(s: str, p: int) -> int:
    match = _SCHEME.match(s, p)
    return match.end() if match else -1
