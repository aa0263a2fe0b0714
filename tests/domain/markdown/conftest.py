"""The Node oracle, shared by the differential tests of one session."""

from collections.abc import Iterator
from typing import Any

import pytest

from chinwag.domain.markdown import parse
from tests.domain.markdown.node_oracle import NodeOracle, OracleError, OracleUnavailable

# What Rocket.Chat's server passes when it computes `md` (MessageService.getMarkdownConfig)
# with its default settings; `parse` uses the same defaults.
SERVER_OPTIONS: dict[str, object] = {
    "colors": True,
    "emoticons": True,
    "customDomains": [],
    "katex": {"dollarSyntax": False, "parenthesisSyntax": True},
}


@pytest.fixture(scope="session")
def oracle() -> Iterator[NodeOracle]:
    try:
        node = NodeOracle()
    except OracleUnavailable as missing:
        pytest.skip(f"differential tests need Node: {missing}")
    yield node
    node.close()


def expected_tree(reference: list[Any] | OracleError, text: str) -> list[Any] | None:
    """What parse must return given the oracle's answer; None when nothing is defined.

    Where the package throws a SyntaxError (only for the empty text) Rocket.Chat stores no
    tree and parse returns its plain fallback. A RangeError is the package running out of
    stack on a pathological text: Chinwag parses those, so nothing is compared.
    """
    if isinstance(reference, OracleError):
        if reference.name == "SyntaxError":
            return [{"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": text}]}]
        return None
    return reference


def assert_same_trees(oracle: NodeOracle, texts: list[str]) -> None:
    mismatches = []
    for text, reference in zip(texts, oracle.parse_many(texts, SERVER_OPTIONS), strict=True):
        expected = expected_tree(reference, text)
        if expected is not None and parse(text) != expected:
            mismatches.append(text)
    assert not mismatches, "parse differs from @rocket.chat/message-parser for:\n" + "\n".join(
        repr(text) for text in mismatches
    )
