"""Events to JSON and back, for buses that cross process boundaries."""

import dataclasses
from collections.abc import Sequence
from typing import Any

import orjson

from chinwag.events import types
from chinwag.events.types import Event


def _event_types() -> dict[str, type[Event]]:
    found: dict[str, type[Event]] = {}
    for value in vars(types).values():
        if isinstance(value, type) and issubclass(value, Event) and value is not Event:
            found[value.__name__] = value
    return found


EVENT_TYPES = _event_types()


class CodecError(ValueError):
    """A payload that is not a list of known events."""


def _fields(event: Event) -> dict[str, Any]:
    return {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}


def encode(events: Sequence[Event], origin: str = "") -> bytes:
    """One payload for a batch of events; `origin` names the publishing process."""
    body = {"o": origin, "e": [[type(e).__name__, _fields(e)] for e in events]}
    return orjson.dumps(body)


def _event(name: str, values: dict[str, Any]) -> Event:
    cls = EVENT_TYPES.get(name)
    if cls is None:
        raise CodecError(f"unknown event type {name!r}")
    # JSON has no tuples: every sequence field of an event is a tuple.
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    try:
        return cls(**values)
    except TypeError as exc:
        raise CodecError(f"bad fields for {name}: {exc}") from exc


def decode(payload: bytes | str) -> tuple[str, list[Event]]:
    """The origin and the events of a payload made by `encode`."""
    try:
        body = orjson.loads(payload)
        return str(body["o"]), [_event(name, values) for name, values in body["e"]]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CodecError):
            raise
        raise CodecError(f"malformed event payload: {exc}") from exc
