"""The data copied into the parser still matches the pinned npm package's bundle."""

from pathlib import Path

import pytest

from chinwag.domain.markdown import _chars, _suffixes
from tests.domain.markdown.generate_tables import chars_module, suffixes_module
from tests.domain.markdown.node_oracle import OracleUnavailable, extract_tables


def test_generated_tables_match_the_package() -> None:
    try:
        tables = extract_tables()
    except OracleUnavailable as missing:
        pytest.skip(f"needs Node: {missing}")
    assert Path(_chars.__file__).read_text() == chars_module(tables)
    assert Path(_suffixes.__file__).read_text() == suffixes_module(tables)
    assert all(ord(c) <= 0xFFFF for line in tables["suffixes"] for c in line)
