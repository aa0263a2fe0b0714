"""AST node constructors and the plain-text merging rules of Rocket.Chat's message parser.

Nodes are plain dicts shaped exactly like the JSON the npm package emits: fields that are
`undefined` in JavaScript are left out, and keys keep the package's order.
"""

from typing import Any

Node = dict[str, Any]
# Some italic forms yield a list of nodes that the enclosing reduction flattens.
Item = Node | list[Node]

# String.prototype.trim and the regex \s strip these: WhiteSpace and LineTerminator.
JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def plain(value: str) -> Node:
    return {"type": "PLAIN_TEXT", "value": value}


def wrap(kind: str, value: object) -> Node:
    return {"type": kind, "value": value}


def paragraph(value: list[Node]) -> Node:
    return wrap("PARAGRAPH", value)


def heading(value: list[Node], level: int) -> Node:
    return {"type": "HEADING", "level": level, "value": value}


def code(lines: list[Node], language: str | None) -> Node:
    return {"type": "CODE", "language": language or "none", "value": lines}


def task(value: list[Node], status: bool) -> Node:
    return {"type": "TASK", "status": status, "value": value}


def list_item(value: list[Node], number: int | float | None = None) -> Node:
    node: Node = {"type": "LIST_ITEM", "value": value}
    if number is not None:
        node["number"] = number
    return node


def link(src: str, label: list[Node] | None = None) -> Node:
    label = label if label is not None else [plain(src)]
    return {"type": "LINK", "value": {"src": plain(src), "label": label}}


def image(src: str, label: Node | None = None) -> Node:
    return {"type": "IMAGE", "value": {"src": plain(src), "label": label or plain(src)}}


def emoji(short_code: str) -> Node:
    return {"type": "EMOJI", "value": plain(short_code), "shortCode": short_code}


def emoji_unicode(text: str) -> Node:
    return {"type": "EMOJI", "unicode": text}


def emoticon(text: str, short_code: str) -> Node:
    return {"type": "EMOJI", "value": plain(text), "shortCode": short_code}


def color(r: int, g: int, b: int, a: int = 255) -> Node:
    return {"type": "COLOR", "value": {"r": r, "g": g, "b": b, "a": a}}


def timestamp(value: str, fmt: str | None, span: tuple[int, int]) -> Node:
    return {
        "type": "TIMESTAMP",
        "value": {"timestamp": value, "format": fmt or "t"},
        "fallback": [span[0], span[1]],
    }


def horizontal_rule(span: tuple[int, int]) -> Node:
    return {"type": "HORIZONTAL_RULE", "fallback": [span[0], span[1]]}


def _trim_cell(value: list[Node]) -> list[Node]:
    cells = list(value)
    if cells and cells[0]["type"] == "PLAIN_TEXT":
        text = cells[0]["value"].lstrip(JS_SPACE)
        if text:
            cells[0] = plain(text)
        else:
            cells.pop(0)
    if cells and cells[-1]["type"] == "PLAIN_TEXT":
        text = cells[-1]["value"].rstrip(JS_SPACE)
        if text:
            cells[-1] = plain(text)
        else:
            cells.pop()
    return cells


def _table_cell(value: list[Node], align: str | None) -> Node:
    node: Node = {"type": "TABLE_CELL"}
    if align is not None:
        node["align"] = align
    node["value"] = _trim_cell(value)
    return node


def table(
    header: list[list[Node]],
    aligns: list[str | None],
    rows: list[list[list[Node]]],
    span: tuple[int, int],
) -> Node:
    def align(i: int) -> str | None:
        return aligns[i] if i < len(aligns) else None

    return {
        "type": "TABLE",
        "value": {
            "header": [_table_cell(cell, align(i)) for i, cell in enumerate(header)],
            "rows": [
                {
                    "type": "TABLE_ROW",
                    "value": [
                        _table_cell(row[i] if i < len(row) else [], align(i))
                        for i in range(len(header))
                    ],
                }
                for row in rows
            ],
        },
        "fallback": [span[0], span[1]],
    }


def _as_text(node: Node, prev: Node | None, nxt: Node | None) -> Node:
    """An emoji beside text or another emoji is shown as the text that was typed."""
    value = node.get("value")
    if node["type"] != "EMOJI" or not value or (prev is None and nxt is None):
        return node
    beside_emoji = (prev is not None and prev["type"] == "EMOJI") or (
        nxt is not None and nxt["type"] == "EMOJI"
    )
    beside_text = any(
        other is not None and other["type"] == "PLAIN_TEXT" and other["value"].strip(JS_SPACE) != ""
        for other in (prev, nxt)
    )
    if not (beside_emoji or beside_text):
        return node
    if node["shortCode"] != value["value"]:
        text: Node = value  # an emoticon such as :) keeps its characters
        return text
    return plain(f":{value['value']}:")


def _append(out: list[Node], node: Node) -> None:
    if out and node["type"] == "PLAIN_TEXT" and out[-1]["type"] == "PLAIN_TEXT":
        out[-1] = plain(out[-1]["value"] + node["value"])
    else:
        out.append(node)


def reduce_plain_texts(values: list[Item]) -> list[Node]:
    """Merge adjacent PLAIN_TEXT nodes; flatten nested lists; demote emoji touching text."""
    for v in values:
        if isinstance(v, list) or v["type"] == "EMOJI":
            break
    else:
        out: list[Node] = []
        last: Node | None = None
        for v in values:
            assert not isinstance(v, list)
            if last is not None and v["type"] == "PLAIN_TEXT" and last["type"] == "PLAIN_TEXT":
                last = out[-1] = plain(last["value"] + v["value"])
            else:
                out.append(v)
                last = v
        return out
    flat: list[Node] = []
    for v in values:
        if isinstance(v, list):
            flat.extend(v)
        else:
            flat.append(v)
    out = []
    prev: Node | None = None
    for i, node in enumerate(flat):
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        _append(out, _as_text(node, prev, nxt))
        prev = node
    return out
