"""The recursive inline rules: item dispatch, emphasis, labelled links, images, spoilers.

A hand-written PEG parser mirroring the grammar of @rocket.chat/message-parser: ordered
choices commit, repetitions are greedy, and lookaheads consume nothing. The grammar keeps
four flags (inside bold, italic, strike or a link) in module globals; here they are an
argument, which makes every rule a function of (position, flags) and lets the rules that
the grammar re-tries at the same place be memoised, so no input costs more than linear-ish
time. The text is a string of UTF-16 code units, as JavaScript sees it.
"""

import re
from collections.abc import Callable

from chinwag.domain.markdown import _emoji, _links
from chinwag.domain.markdown import _nodes as ast
from chinwag.domain.markdown._atoms import MISS, Atoms, Options, Result, is_title_char
from chinwag.domain.markdown._nodes import Item, Node

__all__ = ["InlineParser", "Options", "Result"]

BOLD, ITALIC, STRIKE, REFERENCE = 1, 2, 4, 8

_PLAIN_RUN = re.compile(r"[^*_~`:\n<\[\]! \t()\\|]+")
_BOLD_RUN = re.compile(r"[^\n* _~]+")
_ITALIC_RUN = re.compile(r"[^\n_ *~]+")
_STRIKE_RUN = re.compile(r"[^\n~ *_:`@#\[\]\\<!|\ud83c\ud83d\ud83e\u2300-\u27bf]+")
_WORD_UNDERSCORE = re.compile(r"[a-zA-Z0-9]++__?+")
_ALNUM_RUN = re.compile(r"[a-zA-Z0-9]+")
_ALPHA_RUN = re.compile(r"[a-zA-Z]+")


def _could_be_emoji(s: str, p: int) -> bool:
    c = s[p]
    if c in "0123456789#*":  # a keycap: digit, optional VS16, U+20E3
        return s[p + 1 : p + 2] in ("\ufe0f", "\u20e3")
    return c == ":" or c >= "\u00a9"


class InlineParser(Atoms):
    # -- the inline run of a paragraph ----------------------------------------------

    def inline(self, p: int) -> tuple[list[Node], int] | None:
        """Inline: (InlineItemPattern / Any)+ EndOfLine?"""
        memo = self._inline_memo
        if p in memo:
            return memo[p]
        items: list[Item] = []
        q = p
        while (r := self.item(q) or self.any_char(q)) is not None:
            items.append(r[0])
            q = r[1]
        result = None
        if items:
            e = self.eol(q)
            result = ast.reduce_plain_texts(items), e if e >= 0 else q
        memo[p] = result
        return result

    def item(self, p: int) -> Result:
        """InlineItemPattern: dispatch on the first character, then the general chain."""
        r = self._item_memo.get(p, MISS)
        if r is MISS:
            r = self._item_memo[p] = self._item(p)
        return r

    def _item(self, p: int) -> Result:
        if p >= self.n:
            return None
        c = self.s[p]
        branch = self._branches.get(c)
        result = branch(self, p) if branch is not None else None
        return result or self._general(p)

    def _branch_space(self, p: int) -> Result:
        return self.whitespace(p)

    def _branch_backslash(self, p: int) -> Result:
        r = self.escaped_timestamp(p) or self.katex_inline(p)
        if r is None and p + 1 < self.n and self.s[p + 1] in "*_~`#.":
            r = ast.plain(self.s[p + 1]), p + 2
        return r

    def _branch_bracket(self, p: int) -> Result:
        return self.references(p, 0)

    def _branch_angle(self, p: int) -> Result:
        return self.timestamp(p) or self.references(p, 0) or self.inline_emoticon(p)

    def _branch_bang(self, p: int) -> Result:
        return self.image(p)

    def _branch_pipe(self, p: int) -> Result:
        return self.spoiler(p)

    def _branch_at(self, p: int) -> Result:
        return self.at_mention(p)

    def _branch_backtick(self, p: int) -> Result:
        return self.inline_code(p)

    def _branch_plus(self, p: int) -> Result:
        found = _links.phone(self.s, p)
        if found is None:
            return None
        text, number, end = found
        node = ast.plain(text) if len(number) < 5 else ast.link("tel:" + number, [ast.plain(text)])
        return node, end

    def _branch_dollar(self, p: int) -> Result:
        return self.katex_inline(p)

    def _branch_colon(self, p: int) -> Result:
        return self.emoji(p) or self.inline_emoticon(p)

    def _branch_star(self, p: int) -> Result:
        return self.spaced_markers(p) or self.emphasis(p, 0) or self.inline_emoticon(p)

    def _branch_tilde(self, p: int) -> Result:
        return self.spaced_markers(p) or self.emphasis(p, 0)

    def _branch_dash(self, p: int) -> Result:
        return self.dash_before_face(p) or self.inline_emoticon(p)

    _branches: dict[str, Callable[["InlineParser", int], Result]] = {
        " ": _branch_space,
        "\t": _branch_space,
        "\\": _branch_backslash,
        "[": _branch_bracket,
        "<": _branch_angle,
        "!": _branch_bang,
        "|": _branch_pipe,
        "@": _branch_at,
        "`": _branch_backtick,
        "+": _branch_plus,
        "$": _branch_dollar,
        ":": _branch_colon,
        "*": _branch_star,
        "~": _branch_tilde,
        "-": _branch_dash,
    }

    def _general(self, p: int) -> Result:
        """The chain every character reaches; the rules its own branch already tried (with
        the same outcome, as they are pure) are skipped."""
        s, c = self.s, self.s[p]
        r = self.auto_email(p)
        if r is None and c == "_":
            r = self.underscore_domain(p)
        r = r or self.auto_url(p)
        if r is None and c == "_":
            r = self.spaced_markers(p)
        if r is None and (c == "_" or (c.isascii() and c.isalnum())):
            r = self.emphasis(p, 0)
        if r is None and (c == "#" or s.startswith("#", p + 1)):
            r = self.channel_mention(p)
        if r is None and c != ":" and _could_be_emoji(s, p):
            r = self.emoji(p)
        if r is None and c not in ":*-<" and s[p : p + 2] in _emoji.EMOTICON_PREFIXES:
            r = self.inline_emoticon(p)
        if r is None and c == "c":
            r = self.color(p)
        return r or self._regex(_PLAIN_RUN, p)

    # -- emphasis -----------------------------------------------------------------

    def emphasis(self, p: int, flags: int) -> Result:
        return self.bold(p, flags) or self.italic(p, flags) or self.strike(p, flags)

    def bold(self, p: int, flags: int) -> Result:
        key = (p * 16 + flags) * 4 + 0
        r = self._emphasis_memo.get(key, MISS)
        if r is MISS:
            r = self._emphasis_memo[key] = self._bold(p, flags)
        return r

    def _bold(self, p: int, flags: int) -> Result:
        if flags & BOLD or not self.s.startswith("*", p):
            return None
        inner = flags | BOLD
        for width in (2, 1):
            if width == 2 and not self.s.startswith("**", p):
                continue
            r = self.bold_content(p + width, inner)
            if r is not None and self.s.startswith("*" * width, r[1]):
                return r[0], r[1] + width
        return None

    def bold_content(self, p: int, flags: int) -> Result:
        key = p * 16 + flags
        r = self._bold_memo.get(key, MISS)
        if r is MISS:
            r = self._bold_memo[key] = self._content(p, flags, self._bold_item, "BOLD")
        return r

    def _content(self, p: int, flags: int, item: Callable[[int, int], Result], kind: str) -> Result:
        items: list[Item] = []
        while (r := item(p, flags)) is not None:
            items.append(r[0])
            p = r[1]
        if not items:
            return None
        return ast.wrap(kind, ast.reduce_plain_texts(items)), p

    def _bold_item(self, p: int, flags: int) -> Result:
        r = self.bold_preferred(p, flags)
        if r is not None or self.s.startswith("*", p):
            return r  # the runs below, AnyBold and Line all refuse "*"
        return r or self._regex(_BOLD_RUN, p) or self._single(p, "\n* ") or self.line(p)

    def bold_preferred(self, p: int, flags: int) -> Result:
        key = p * 16 + flags
        r = self._bold_pref_memo.get(key, MISS)
        if r is MISS:
            r = self._bold_pref_memo[key] = self._bold_preferred(p, flags)
        return r

    def _bold_preferred(self, p: int, flags: int) -> Result:
        if p >= self.n:
            return None
        c = self.s[p]
        r = self._shared_preferred(p, c, flags)
        if r is None and (c == "_" or (c.isascii() and c.isalnum())):
            r = self.italic(p, flags)
        if r is None and c == "~":
            r = self.strike(p, flags)
        return r or self._emoji_or_face(p, lambda q: self.bold_preferred(q, flags), 16 + flags)

    def _emoji_or_face(self, p: int, then: Callable[[int], Result], context: int) -> Result:
        s = self.s
        r = self.emoji(p) if _could_be_emoji(s, p) else None
        if r is None and s[p : p + 2] in _emoji.EMOTICON_PREFIXES:
            r = self._face_before(p, then, context)
        return r

    def _shared_preferred(self, p: int, c: str, flags: int) -> Result:
        if c in " \t":
            return self.whitespace(p)
        if c == "`":
            return self.inline_code(p)
        if c == "[":
            return self.references(p, flags)
        r = None
        if c == "<":
            r = self.timestamp(p) or self.references(p, flags)
        s = self.s
        if r is None and (c == "@" or s.startswith("@", p + 1)):
            r = self.user_mention(p)
        if r is None and (c == "#" or s.startswith("#", p + 1)):
            r = self.channel_mention(p)
        return r

    def _face_before(self, p: int, then: Callable[[int], Result], context: int) -> Result:
        """An emoticon followed by a neighbour or by what `then` accepts (a lookahead)."""
        r = self.emoticon(p)
        if r is None or self._neighbour(r[1]):
            return r
        self._settle(r[1], then, context)
        return r if then(r[1]) is not None else None

    def _settle(self, q: int, then: Callable[[int], Result], context: int) -> None:
        """Evaluate a run of touching emoticons (":):):)") from its far end.

        Each emoticon looks ahead at what follows it, so a run recurses once per emoticon;
        `then` is memoised, so settling it right to left keeps the recursion shallow.
        """
        ends = []
        settled = self._settled
        while (key := q * 64 + context) not in settled and (r := self.emoticon(q)) is not None:
            settled.add(key)
            if self._neighbour(r[1]):
                break
            ends.append(r[1])
            q = r[1]
        for end in reversed(ends):
            then(end)

    def _neighbour(self, q: int) -> bool:
        return q >= self.n or self.s[q] in "\r\n\t *"

    def italic(self, p: int, flags: int) -> Result:
        key = (p * 16 + flags) * 4 + 1
        r = self._emphasis_memo.get(key, MISS)
        if r is MISS:
            r = self._emphasis_memo[key] = self._italic(p, flags)
        return r

    def _italic(self, p: int, flags: int) -> Result:
        if flags & ITALIC:
            return None
        inner, s = flags | ITALIC, self.s
        r = self._regex(_WORD_UNDERSCORE, p)
        if r is not None or not s.startswith("_", p):
            return r
        if s.startswith("__", p) and (c := self.italic_items(p + 2, inner)):
            end = c[1]
            if s.startswith("__", end) and (word := _ALNUM_RUN.match(s, end + 2)):
                return self._italic_glued("__", c[0], word.group()), word.end()
        if c := self.italic_items(p + 1, inner):
            end = c[1]
            if s.startswith("_", end) and (word := _ALPHA_RUN.match(s, end + 1)):
                return self._italic_glued("_", c[0], word.group()), word.end()
        for width in (2, 1):
            if width == 2 and not s.startswith("__", p):
                continue
            c = self.italic_items(p + width, inner)
            if c is not None and s.startswith("_" * width, c[1]):
                return ast.wrap("ITALIC", c[0]), c[1] + width
        return None

    def _italic_glued(self, marker: str, items: Item, word: str) -> list[Node]:
        assert isinstance(items, list)
        return ast.reduce_plain_texts(
            [ast.plain(marker), *items, ast.plain(marker), ast.plain(word)]
        )

    def italic_items(self, p: int, flags: int) -> Result:
        key = p * 16 + flags
        r = self._italic_memo.get(key, MISS)
        if r is MISS:
            r = self._italic_memo[key] = self._italic_items(p, flags)
        return r

    def _italic_items(self, p: int, flags: int) -> Result:
        items: list[Item] = []
        while (r := self._italic_item(p, flags)) is not None:
            items.append(r[0])
            p = r[1]
        return (ast.reduce_plain_texts(items), p) if items else None

    def _italic_item(self, p: int, flags: int) -> Result:
        r = self.italic_preferred(p, flags)
        if r is not None or self.s.startswith("_", p):
            return r  # the runs below, AnyItalic and Line all refuse "_"
        return r or self._regex(_ITALIC_RUN, p) or self._single(p, "\n_ ") or self.line(p)

    def italic_preferred(self, p: int, flags: int) -> Result:
        key = p * 16 + flags
        r = self._italic_pref_memo.get(key, MISS)
        if r is MISS:
            r = self._italic_pref_memo[key] = self._italic_preferred(p, flags)
        return r

    def _italic_preferred(self, p: int, flags: int) -> Result:
        if p >= self.n:
            return None
        c = self.s[p]
        r = self._shared_preferred(p, c, flags)
        if r is None and c == "*":
            r = self.bold(p, flags)
        if r is None and c == "~":
            r = self.strike(p, flags)
        return r or self._emoji_or_face(p, lambda q: self._after_italic_face(q, flags), 32 + flags)

    def _after_italic_face(self, q: int, flags: int) -> Result:
        r = self.italic_preferred(q, flags)
        if r is None and self.s.startswith("_", q):
            return ast.plain("_"), q + 1
        return r

    def strike(self, p: int, flags: int) -> Result:
        key = (p * 16 + flags) * 4 + 2
        r = self._emphasis_memo.get(key, MISS)
        if r is MISS:
            r = self._emphasis_memo[key] = self._strike(p, flags)
        return r

    def _strike(self, p: int, flags: int) -> Result:
        if flags & STRIKE or not self.s.startswith("~", p):
            return None
        inner = flags | STRIKE
        for width in (2, 1):
            if width == 2 and not self.s.startswith("~~", p):
                continue
            r = self.strike_content(p + width, inner)
            if r is not None and self.s.startswith("~" * width, r[1]):
                return r[0], r[1] + width
        return None

    def strike_content(self, p: int, flags: int) -> Result:
        key = p * 16 + flags
        r = self._strike_memo.get(key, MISS)
        if r is MISS:
            r = self._strike_memo[key] = self._content(p, flags, self._strike_item, "STRIKE")
        return r

    def _strike_item(self, p: int, flags: int) -> Result:
        if p >= self.n:
            return None
        s, c = self.s, self.s[p]
        if c == "~" or c == "\n":
            return None  # no strike item starts with these
        r = self._regex(_STRIKE_RUN, p)
        if r is None and c == "\\":
            r = self.escaped_timestamp(p)
        if r is None:
            r = self._shared_preferred(p, c, flags)
        if r is None and (c == "_" or (c.isascii() and c.isalnum())):
            r = self.italic(p, flags)
        if r is None and c == "*":
            r = self.bold(p, flags)
        if r is None and _could_be_emoji(s, p):
            r = self.emoji(p)
        if r is None and s[p : p + 2] in _emoji.EMOTICON_PREFIXES:
            r = self.emoticon(p)
        return r or self._single(p, "\n~ ") or self.line(p)

    # -- links, images, spoilers --------------------------------------------------

    def references(self, p: int, flags: int) -> Result:
        if flags & REFERENCE:
            return None
        inner = flags | REFERENCE
        if self.s.startswith("[", p):
            return self._markdown_link(p, inner)
        if self.s.startswith("<", p):
            return self.angle_link(p)
        return None

    def _markdown_link(self, p: int, flags: int) -> Result:
        q = self._titles_end(p + 1, flags)
        if not self.s.startswith("](", q) or (href := self.markdown_link_ref(q + 2)) is None:
            return None
        if not self.s.startswith(")", href[1]):
            return None
        titles: list[Item] = []
        r = p + 1
        while r < q and (step := self._link_title(r, flags)) is not None:
            titles.append(step[0])
            r = step[1]
        label = ast.reduce_plain_texts(titles) if titles else None
        return ast.link(href[0], label), href[1] + 1

    def _titles_end(self, p: int, flags: int) -> int:
        """Where LinkTitle* starting at p stops; memoised along the way."""
        memo = self._title_ends
        path = []
        q = p
        while (end := memo.get(q * 16 + flags)) is None:
            nxt = self._title_next(q, flags)
            if nxt < 0:
                end = q
                break
            path.append(q)
            q = nxt
        for visited in (*path, q):
            memo[visited * 16 + flags] = end
        return end

    def _title_next(self, p: int, flags: int) -> int:
        """Where the LinkTitle at p ends, or -1; without building runs of text."""
        if p < self.n and is_title_char(self.s[p]) and self.s[p] not in " \t":
            r = self.emphasis(p, flags) if self.s[p].isascii() and self.s[p].isalnum() else None
            return r[1] if r else self._title_runs.end(p)
        step = self._link_title(p, flags)
        return step[1] if step else -1

    def _link_title(self, p: int, flags: int) -> Result:
        key = p * 16 + flags
        r = self._title_memo.get(key, MISS)
        if r is MISS:
            r = self._title_memo[key] = self._title(p, flags)
        return r

    def _title(self, p: int, flags: int) -> Result:
        r = self.whitespace(p) or self.emphasis(p, flags)
        if r is not None or p >= self.n:
            return r
        s = self.s
        if is_title_char(s[p]):
            end = self._title_runs.end(p)
            return ast.plain(s[p:end]), end
        if s.startswith("](", p) and p + 2 < self.n:
            return None
        if s.startswith("] [", p):
            close = self.literal_end("]", p + 3)
            if close >= 0 and s.startswith("](", close):
                return None
        return ast.plain(s[p]), p + 1

    def image(self, p: int) -> Result:
        s = self.s
        if not s.startswith("![", p):
            return None
        title = self.line(p + 2)
        q = title[1] if title else p + 2
        if not s.startswith("](", q) or (href := self.markdown_link_ref(q + 2)) is None:
            return None
        if not s.startswith(")", href[1]):
            return None
        label = title[0] if title else None
        assert not isinstance(label, list)
        return ast.image(href[0], label), href[1] + 1

    def spoiler(self, p: int) -> Result:
        if not self.s.startswith("||", p):
            return None
        items: list[Item] = []
        q = p + 2
        while not self.s.startswith("||", q) and (r := self.item(q) or self.any_char(q)):
            items.append(r[0])
            q = r[1]
        if not items or not self.s.startswith("||", q):
            return None
        return ast.wrap("SPOILER", ast.reduce_plain_texts(items)), q + 2

    def inline_emoticon(self, p: int) -> Result:
        return self._face_before(p, self.item, 0)
