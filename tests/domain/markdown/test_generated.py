"""Generated texts full of markdown punctuation parse as @rocket.chat/message-parser does."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinwag.domain.markdown import KatexOptions, parse
from tests.domain.markdown.conftest import SERVER_OPTIONS, expected_tree
from tests.domain.markdown.node_oracle import NodeOracle

CHARACTERS = [
    *"*_~`>#-[]()<>:@!|\\\n\r\t +$=.,;'\"/?&%^{}0123456789abcxyzDOPXB",
    "é", "中", "😀", "👍🏻", "\u200d", "\ufe0f", "🇧🇷", "❤", "⌚", "א", "\u00a0", "\u2028",
]  # fmt: skip
FRAGMENTS = [
    "**", "__", "~~", "```", "```js\n", "\n```", "- [ ] ", "- [x] ", "1. ", "- ", "* ", "> ",
    "# ", "## ", "||", ":smile:", ":)", ":D", ":-(", "<3", "-_-", "http://", "https://", "www.",
    ".com", ".org", "rocket.chat", "@user", "@all", "#general", "mailto:", "a@b.com", "+5511999",
    "<t:1700000000:R>", "<t:2024-01-01T10:00:00>", "<t:10:30+02:00>", "\\(", "\\)", "\\[", "\\]",
    "$$", "color:#ff0000", "color:#abc", "|a|b|\n|-|-|\n", "](", "![", "<http://x.com|label>",
    "---", "\\*", "snake_case", ":+1:", "8-)", "O:)", ">:(", "localhost:3000", "10.0.0.1",
    "example.net", "(y)",
]  # fmt: skip

messages = st.lists(
    st.one_of(st.sampled_from(CHARACTERS), st.sampled_from(FRAGMENTS), st.text(max_size=3)),
    max_size=40,
).map("".join)


BATCH = 25  # texts per example: one round trip to node for each batch


def batches(count: int) -> settings:
    """`count` batches, the same ones every run."""
    return settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@batches(160)
@given(texts=st.lists(messages, min_size=BATCH, max_size=BATCH))
def test_generated_texts_parse_like_rocket_chat(oracle: NodeOracle, texts: list[str]) -> None:
    """160 batches of 25: 4,000 texts a run, the same ones every run."""
    for text, reference in zip(texts, oracle.parse_many(texts, SERVER_OPTIONS), strict=True):
        expected = expected_tree(reference, text)
        if expected is not None:
            assert parse(text) == expected, f"text: {text!r}"


OTHER_OPTIONS: dict[str, object] = {
    "colors": False,
    "emoticons": False,
    "customDomains": ["intranet", "chat"],
    "katex": {"dollarSyntax": True, "parenthesisSyntax": False},
}


@batches(40)
@given(texts=st.lists(messages, min_size=BATCH, max_size=BATCH))
def test_generated_texts_parse_alike_with_other_options(
    oracle: NodeOracle, texts: list[str]
) -> None:
    """No colours or emoticons, $-delimited KaTeX, custom auto-link domains: 1,000 texts."""
    options = {
        "colors": False,
        "emoticons": False,
        "custom_domains": ["intranet", "chat"],
        "katex": KatexOptions(dollar_syntax=True, parenthesis_syntax=False),
    }
    for text, reference in zip(texts, oracle.parse_many(texts, OTHER_OPTIONS), strict=True):
        expected = expected_tree(reference, text)
        if expected is not None:
            assert parse(text, **options) == expected, f"text: {text!r}"  # type: ignore[arg-type]


# Texts of only these take parse's shortcut (one plain paragraph, no parser run).
plain_texts = st.text(alphabet="abcxyzDOPXBS0123456789 ,'?!", min_size=1, max_size=30)


@batches(40)
@given(texts=st.lists(plain_texts, min_size=BATCH, max_size=BATCH))
def test_plain_texts_parse_like_rocket_chat(oracle: NodeOracle, texts: list[str]) -> None:
    """Words, digits, spaces and , ' ? !: 1,000 texts, with and without emoticons."""
    for options in (SERVER_OPTIONS, OTHER_OPTIONS):
        ours = {"emoticons": options["emoticons"], "colors": options["colors"]}
        for text, reference in zip(texts, oracle.parse_many(texts, options), strict=True):
            expected = expected_tree(reference, text)
            if expected is not None:
                assert parse(text, **ours) == expected, f"text: {text!r}"  # type: ignore[arg-type]
