"""The block rules: quotes, spoiler blocks, code fences, rules, tables, headings, lists,
KaTeX blocks, line breaks and paragraphs, and the message as a whole (or a big emoji)."""

import re
from collections.abc import Callable

from chinwag.domain.markdown import _links
from chinwag.domain.markdown import _nodes as ast
from chinwag.domain.markdown._inline import InlineParser, Result
from chinwag.domain.markdown._nodes import Item, Node

_SPACES = re.compile(r"[ \t]*")
_SPACES1 = re.compile(r"[ \t]+")
_CODE_LANGUAGE = re.compile(r"[a-zA-Z0-9 _\-.]+")
_RULE = re.compile(r"[ \t]*+(-{3,}+)[ \t]*+")
_ALIGN = re.compile(r"[ \t]*+(:?+)-++(:?+)[ \t]*+")


class InvalidMessage(Exception):
    """The grammar accepts nothing here: Rocket.Chat's parser throws a SyntaxError."""


def _js_int(digits: str) -> int | float | None:
    """parseInt(digits, 10) as JSON.stringify writes it: a double, null for Infinity."""
    try:
        value = float(int(digits))
    except OverflowError:
        return None
    return int(value) if value < 1e21 else value


class Parser(InlineParser):
    def message(self) -> list[Node]:
        """Start: a big emoji alone, else blocks, paragraphs and line ends."""
        big = self._big_emoji()
        if big is not None:
            return [big]
        out: list[Node] = []
        p = 0
        while p < self.n:
            r = self.block(p) or self.paragraph(p)
            if r is None:
                e = self.eol(p)
                r = (ast.paragraph([ast.plain("")]), e) if e >= 0 else None
            if r is None:
                break
            assert not isinstance(r[0], list)
            out.append(r[0])
            p = r[1]
        if not out or p < self.n:
            raise InvalidMessage
        return out

    def _skip_blank(self, p: int) -> int:
        while p < self.n and self.s[p] in "\r\n\t ":
            p += 1
        return p

    def _big_emoji(self) -> Node | None:
        items: list[Item] = []
        p = self._skip_blank(0)
        while len(items) < 3 and (r := self.emoji(p) or self.emoticon(p)) is not None:
            items.append(r[0])
            p = self._skip_blank(r[1])
        if not items or p < self.n:
            return None
        return ast.wrap("BIG_EMOJI", items)

    def paragraph(self, p: int) -> Result:
        r = self.inline(p)
        return (ast.paragraph(r[0]), r[1]) if r else None

    def block(self, p: int) -> Result:
        return (
            self._blockquote(p)
            or self._block_spoiler(p)
            or self._code(p)
            or self._horizontal_rule(p)
            or self._table(p)
            or self._heading(p)
            or self._repeat(p, self._task, "TASKS")
            or self._repeat(p, self._ordered_item, "ORDERED_LIST")
            or self._repeat(p, self._hyphen_item, "UNORDERED_LIST")
            or self._repeat(p, self._asterisk_item, "UNORDERED_LIST")
            or self._katex(p)
            or self._line_break(p)
        )

    def _repeat(self, p: int, item: Callable[[int], tuple[Node, int] | None], kind: str) -> Result:
        items: list[Node] = []
        while (r := item(p)) is not None:
            items.append(r[0])
            p = r[1]
        return (ast.wrap(kind, items), p) if items else None

    def _blockquote(self, p: int) -> Result:
        lines: list[Node] = []
        while self.s.startswith(">", p):
            q = _SPACES.match(self.s, p + 1).end()  # type: ignore[union-attr]
            e = self.eol(q)
            r = (ast.paragraph([ast.plain("")]), e) if e >= 0 else self.paragraph(q)
            if r is None:
                break
            assert not isinstance(r[0], list)
            lines.append(r[0])
            p = r[1]
        return (ast.wrap("QUOTE", lines), p) if lines else None

    def _block_spoiler(self, p: int) -> Result:
        s = self.s
        if not s.startswith("||", p) or (q := self.eol(p + 2)) < 0:
            return None
        paragraphs: list[Node] = []
        while not s.startswith("||", q) and (r := self.paragraph(q)) is not None:
            assert not isinstance(r[0], list)
            paragraphs.append(r[0])
            q = r[1]
        if not paragraphs:
            return None
        e = self.eol(q)
        q = e if e >= 0 else q
        if not s.startswith("||", q):
            return None
        return ast.wrap("SPOILER_BLOCK", paragraphs), q + 2

    def _code(self, p: int) -> Result:
        s = self.s
        if not s.startswith("```", p):
            return None
        language = _CODE_LANGUAGE.match(s, p + 3)
        q = self.eol(language.end() if language else p + 3)
        if q < 0:
            return None
        lines: list[Node] = []
        while (r := self._code_line(q)) is not None:
            lines.append(r[0])
            q = r[1]
        e = self.eol(q)
        if not lines or e < 0 or not s.startswith("```", e):
            return None
        return ast.code(lines, language.group() if language else None), e + 3

    def _code_line(self, p: int) -> tuple[Node, int] | None:
        end = self._code_chunk(p)
        if end > p:
            return ast.wrap("CODE_LINE", ast.plain(self.s[p:end])), end
        if not self.s.startswith("\n", p):
            return None
        end = self._code_chunk(p + 1)
        if end > p + 1:
            return ast.wrap("CODE_LINE", ast.plain(self.s[p + 1 : end])), end
        if self.s.startswith("```", p + 1):
            return None
        return ast.wrap("CODE_LINE", ast.plain("")), p + 1

    def _code_chunk(self, p: int) -> int:
        """Characters of a code line, which may hold one or two backticks but not three."""
        s, n = self.s, self.n
        while p < n:
            c = s[p]
            if c in "\r\n":
                break
            if c != "`":
                p += 1
            elif p + 1 < n and s[p + 1] not in "`\r\n":
                p += 2
            elif p + 2 < n and s[p + 1] == "`" and s[p + 2] not in "`\r\n":
                p += 3
            elif p + 1 < n and s[p + 1] == "`" and (p + 2 >= n or s[p + 2] in "\r\n"):
                p += 2
            elif p + 1 >= n or s[p + 1] in "\r\n":
                p += 1
            else:
                break
        return p

    def _horizontal_rule(self, p: int) -> Result:
        match = _RULE.match(self.s, p)
        if match is None:
            return None
        end = match.end()
        if end < self.n:
            end = self.eol(end)
            if end < 0:
                return None
        return ast.horizontal_rule(match.span(1)), end

    def _table_row(self, p: int) -> tuple[list[list[Node]], int] | None:
        s = self.s
        if not s.startswith("|", p):
            return None
        cells: list[list[Node]] = []
        q = p + 1
        while True:
            items: list[Item] = []
            r = q
            while (cell := self._cell_item(r)) is not None:
                items.append(cell[0])
                r = cell[1]
            if not s.startswith("|", r):
                break
            cells.append(ast.reduce_plain_texts(items))
            q = r + 1
        if not cells:
            return None
        e = self.eol(q)
        return cells, e if e >= 0 else q

    def _cell_item(self, p: int) -> Result:
        s = self.s
        if s.startswith("\\|", p):
            return ast.plain("|"), p + 2
        if s.startswith("|", p) or self.eol(p) >= 0:
            return None
        return self.item(p) or self.any_char(p)

    def _table_aligns(self, p: int) -> tuple[list[str | None], int] | None:
        if not self.s.startswith("|", p):
            return None
        aligns: list[str | None] = []
        q = p + 1
        while (m := _ALIGN.match(self.s, q)) and self.s.startswith("|", m.end()):
            left, right = bool(m.group(1)), bool(m.group(2))
            aligns.append(
                "center" if left and right else "right" if right else "left" if left else None
            )
            q = m.end() + 1
        if not aligns:
            return None
        e = self.eol(q)
        return aligns, e if e >= 0 else q

    def _table(self, p: int) -> Result:
        header = self._table_row(p)
        if header is None or (aligns := self._table_aligns(header[1])) is None:
            return None
        rows: list[list[list[Node]]] = []
        q = aligns[1]
        while (row := self._table_row(q)) is not None:
            rows.append(row[0])
            q = row[1]
        return ast.table(header[0], aligns[0], rows, (p, q)), q

    def _heading(self, p: int) -> Result:
        s = self.s
        level = 0
        while level < 4 and s.startswith("#", p + level):
            level += 1
        space = _SPACES1.match(s, p + level) if level else None
        if space is None:
            return None
        items: list[Item] = []
        q = space.end()
        while (r := self.item(q) or self.any_char(q)) is not None:
            items.append(r[0])
            q = r[1]
        if not items:
            return None
        e = self.eol(q)
        return ast.heading(ast.reduce_plain_texts(items), level), e if e >= 0 else q

    def _after_marker(self, q: int) -> tuple[list[Node], int] | None:
        space = _SPACES1.match(self.s, q)
        return self.inline(space.end()) if space else None

    def _task(self, p: int) -> tuple[Node, int] | None:
        s = self.s
        if not s.startswith("- [", p) or s[p + 3 : p + 4] not in ("x", " "):
            return None
        if not s.startswith("]", p + 4) or (r := self._after_marker(p + 5)) is None:
            return None
        return ast.task(r[0], s[p + 3] == "x"), r[1]

    def _ordered_item(self, p: int) -> tuple[Node, int] | None:
        end = _links.digits(self.s, p)
        if end < 0 or not self.s.startswith(".", end):
            return None
        r = self._after_marker(end + 1)
        return (ast.list_item(r[0], _js_int(self.s[p:end])), r[1]) if r else None

    def _hyphen_item(self, p: int) -> tuple[Node, int] | None:
        if not self.s.startswith("-", p) or (r := self._after_marker(p + 1)) is None:
            return None
        return ast.list_item(r[0]), r[1]

    def _asterisk_item(self, p: int) -> tuple[Node, int] | None:
        s = self.s
        space = _SPACES1.match(s, p + 1) if s.startswith("*", p) else None
        if space is None:
            return None
        items: list[Item] = []
        q = space.end()
        while (r := self.item(q) or self._not_asterisk(q)) is not None:
            items.append(r[0])
            q = r[1]
        if not items or s.startswith("*", q):
            return None
        e = self.eol(q)
        return ast.list_item(ast.reduce_plain_texts(items)), e if e >= 0 else q

    def _not_asterisk(self, p: int) -> Result:
        return None if self.s.startswith("*", p) else self.any_char(p)

    def _katex(self, p: int) -> Result:
        s, opt = self.s, self.opt
        parenthesis = opt.katex_parenthesis and s.startswith("\\[", p)
        if not (parenthesis or (opt.katex_dollar and s.startswith("$$", p))):
            return None
        start = p + 2
        end, width = self._katex_end(start, "\\]", "$$")
        if end < 0:
            return None
        return ast.wrap("KATEX", s[start:end]), end + width

    def _line_break(self, p: int) -> Result:
        e = self.eol(_SPACES.match(self.s, p).end())  # type: ignore[union-attr]
        return ({"type": "LINE_BREAK"}, e) if e >= 0 else None
