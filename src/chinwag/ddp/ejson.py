"""EJSON, as Meteor puts it on the wire: dates as {"$date": ms}, bytes as {"$binary": b64}."""

import base64
from datetime import UTC, datetime
from typing import Any

import orjson


def to_ejson(value: Any) -> Any:
    """Plain Python (datetimes included) → EJSON-ready structures."""
    if isinstance(value, datetime):
        return date(value)
    if isinstance(value, dict):
        return {k: to_ejson(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_ejson(v) for v in value]
    if isinstance(value, bytes):
        return {"$binary": base64.b64encode(value).decode()}
    return value


def date(value: datetime | None) -> dict[str, int] | None:
    if value is None:
        return None
    return {"$date": int(value.timestamp() * 1000)}


def from_ejson(value: Any) -> Any:
    """EJSON from a client → plain Python: {"$date": ms} becomes an aware datetime."""
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value and isinstance(value["$date"], int | float):
            return datetime.fromtimestamp(value["$date"] / 1000, tz=UTC)
        if len(value) == 1 and "$binary" in value and isinstance(value["$binary"], str):
            return base64.b64decode(value["$binary"])
        return {k: from_ejson(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_ejson(v) for v in value]
    return value


def dumps(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()
