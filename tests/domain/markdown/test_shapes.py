"""The shapes of the `md` tree, checked without Node (the differential tests check the rest)."""

from datetime import date

from chinwag.domain.markdown import KatexOptions, parse


def plain(value: str) -> dict[str, object]:
    return {"type": "PLAIN_TEXT", "value": value}


def paragraph(*value: dict[str, object]) -> dict[str, object]:
    return {"type": "PARAGRAPH", "value": list(value)}


def test_text_is_one_paragraph_of_plain_text() -> None:
    assert parse("hi there") == [paragraph(plain("hi there"))]


def test_emphasis_nests_but_never_inside_itself() -> None:
    assert parse("*bold _italic_*") == [
        paragraph(
            {
                "type": "BOLD",
                "value": [plain("bold "), {"type": "ITALIC", "value": [plain("italic")]}],
            }
        )
    ]
    assert parse("~~gone~~") == [paragraph({"type": "STRIKE", "value": [plain("gone")]})]
    assert parse("snake_case_name") == [paragraph(plain("snake_case_name"))]


def test_unclosed_markers_stay_text() -> None:
    assert parse("*not bold") == [paragraph(plain("*not bold"))]


def test_code_inline_and_fenced() -> None:
    assert parse("run `ls`") == [
        paragraph(plain("run "), {"type": "INLINE_CODE", "value": plain("ls")})
    ]
    assert parse("```py\nx = 1\n```") == [
        {
            "type": "CODE",
            "language": "py",
            "value": [{"type": "CODE_LINE", "value": plain("x = 1")}],
        }
    ]


def test_links_labelled_and_automatic() -> None:
    assert parse("[docs](https://docs.rocket.chat)") == [
        paragraph(
            {
                "type": "LINK",
                "value": {"src": plain("https://docs.rocket.chat"), "label": [plain("docs")]},
            }
        )
    ]
    [auto] = parse("rocket.chat")[0]["value"]  # type: ignore[misc]
    assert auto == {
        "type": "LINK",
        "value": {"src": plain("//rocket.chat"), "label": [plain("rocket.chat")]},
    }
    assert parse("not.atld") == [paragraph(plain("not.atld"))]


def test_mentions() -> None:
    assert parse("@alice #general") == [
        paragraph(
            {"type": "MENTION_USER", "value": plain("alice")},
            plain(" "),
            {"type": "MENTION_CHANNEL", "value": plain("general")},
        )
    ]


def test_emoji_alone_is_big_and_beside_text_is_text() -> None:
    assert parse(":smile: 😀") == [
        {
            "type": "BIG_EMOJI",
            "value": [
                {"type": "EMOJI", "value": plain("smile"), "shortCode": "smile"},
                {"type": "EMOJI", "unicode": "😀"},
            ],
        }
    ]
    assert parse("hi:smile:") == [paragraph(plain("hi:smile:"))]
    assert parse("ok :)") == [
        paragraph(
            plain("ok "), {"type": "EMOJI", "value": plain(":)"), "shortCode": "slight_smile"}
        )
    ]


def test_blocks() -> None:
    assert parse("# Title") == [{"type": "HEADING", "level": 1, "value": [plain("Title")]}]
    assert parse("> said") == [{"type": "QUOTE", "value": [paragraph(plain("said"))]}]
    assert parse("- a\n- b") == [
        {
            "type": "UNORDERED_LIST",
            "value": [
                {"type": "LIST_ITEM", "value": [plain("a")]},
                {"type": "LIST_ITEM", "value": [plain("b")]},
            ],
        }
    ]
    assert parse("3. c") == [
        {
            "type": "ORDERED_LIST",
            "value": [{"type": "LIST_ITEM", "value": [plain("c")], "number": 3}],
        }
    ]
    assert parse("- [x] done") == [
        {"type": "TASKS", "value": [{"type": "TASK", "status": True, "value": [plain("done")]}]}
    ]
    assert parse("a\n\nb") == [paragraph(plain("a")), {"type": "LINE_BREAK"}, paragraph(plain("b"))]


def test_colors_timestamps_and_katex() -> None:
    assert parse("is color:#ff000080") == [
        paragraph(plain("is "), {"type": "COLOR", "value": {"r": 255, "g": 0, "b": 0, "a": 128}})
    ]
    assert parse("<t:1700000000:R>") == [
        paragraph(
            {
                "type": "TIMESTAMP",
                "value": {"timestamp": "1700000000", "format": "R"},
                "fallback": [0, 16],
            }
        )
    ]
    [[stamp]] = [p["value"] for p in parse("<t:10:30+02:00>", today=date(2024, 5, 1))]  # type: ignore[misc]
    assert stamp["value"] == {"timestamp": "1714552200", "format": "t"}
    assert parse("\\(x^2\\)") == [paragraph({"type": "INLINE_KATEX", "value": "x^2"})]


def test_options() -> None:
    assert parse(":)", emoticons=False) == [paragraph(plain(":)"))]
    assert parse("color:#fff!", colors=False) == [paragraph(plain("color:#fff!"))]
    assert parse("\\(x\\)", katex=None) == [paragraph(plain("\\(x\\)"))]
    dollar = KatexOptions(dollar_syntax=True, parenthesis_syntax=False)
    assert parse("$x$", katex=dollar) == [paragraph({"type": "INLINE_KATEX", "value": "x"})]
    linked = parse("wiki.corp", custom_domains=["corp"])[0]["value"][0]  # type: ignore[index]
    assert linked["type"] == "LINK"


def test_positions_count_utf16_code_units_like_javascript() -> None:
    [[_, stamp]] = [p["value"] for p in parse("😀<t:1700000000>")]  # type: ignore[misc]
    assert stamp["fallback"] == [2, 16]


def test_texts_the_package_rejects_fall_back_to_plain_text() -> None:
    assert parse("") == [paragraph(plain(""))]


def test_never_raises() -> None:
    for text in ["\ud800", "\x00\x01\x02", "*" * 5000, "[" * 5000, ":)" * 3000, "\r\n" * 100]:
        assert isinstance(parse(text), list)


def test_twenty_thousand_markers_parse() -> None:
    """The npm package needs over a second for this; the port stays linear (no timing here)."""
    text = "*_" * 10_000
    tree = parse(text)
    assert tree[0]["type"] == "PARAGRAPH"
