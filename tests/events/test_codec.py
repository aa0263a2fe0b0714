import dataclasses
import types
import typing

import pytest

from chinwag.events.codec import EVENT_TYPES, CodecError, decode, encode
from chinwag.events.types import Event, MessageSent, UserSignalled


def _sample(annotation: object, name: str) -> object:
    """A value of the annotated type that is not the field's default."""
    if annotation is str:
        return f"{name}-value"
    if annotation is bool:
        return True
    if annotation is int:
        return 7
    origin = typing.get_origin(annotation)
    if origin is tuple:
        return ("one", "two")
    if origin in (types.UnionType, typing.Union):
        chosen = next(a for a in typing.get_args(annotation) if a is not type(None))
        return _sample(chosen, name)
    raise AssertionError(f"no sample for {annotation!r}")


def _instance(cls: type[Event]) -> Event:
    hints = typing.get_type_hints(cls)
    values = {f.name: _sample(hints[f.name], f.name) for f in dataclasses.fields(cls)}
    return cls(**values)


def test_every_event_type_is_known() -> None:
    assert "MessageSent" in EVENT_TYPES and "MailQueued" in EVENT_TYPES
    assert Event not in EVENT_TYPES.values()
    assert len(EVENT_TYPES) >= 30


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_every_event_round_trips(name: str) -> None:
    event = _instance(EVENT_TYPES[name])
    origin, events = decode(encode([event], origin="p1"))
    assert origin == "p1"
    assert events == [event]
    # Fields left out of equality (a message's seq) cross too.
    assert dataclasses.asdict(events[0]) == dataclasses.asdict(event)
    assert events[0].topics == event.topics


def test_a_batch_keeps_its_order() -> None:
    batch = [MessageSent("r1", f"m{i}", seq=i) for i in range(5)]
    assert decode(encode(batch))[1] == batch
    assert [e.seq for e in decode(encode(batch))[1]] == [0, 1, 2, 3, 4]  # type: ignore[attr-defined]


def test_signalled_arguments_keep_their_json_shape() -> None:
    event = UserSignalled("u1", "u1/webrtc", ({"a": [1, 2]}, "x"))
    assert decode(encode([event]))[1] == [event]


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"{}",
        b'{"o":"p","e":[["NoSuchEvent",{}]]}',
        b'{"o":"p","e":[["MessageSent",{"x":1}]]}',
    ],
)
def test_malformed_payloads_are_refused(payload: bytes) -> None:
    with pytest.raises(CodecError):
        decode(payload)
