"""The docs move with the code: every endpoint and every honoured setting is documented."""

from pathlib import Path

from fastapi import FastAPI

from chinwag.domain.settings_registry import SETTINGS

DOCS = Path(__file__).parent.parent / "docs"


def test_every_endpoint_is_in_the_api_doc(app: FastAPI) -> None:
    text = (DOCS / "API.md").read_text()
    missing = [p for p in app.openapi()["paths"] if f"`{p}`" not in text]
    assert missing == []


def test_every_setting_is_in_the_api_doc() -> None:
    text = (DOCS / "API.md").read_text()
    assert [s.id for s in SETTINGS if f"`{s.id}`" not in text] == []
