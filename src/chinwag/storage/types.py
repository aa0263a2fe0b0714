"""Column types shared by every table: times as epoch milliseconds, JSON that fits each dialect."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB


class Millis(sa.TypeDecorator[datetime]):
    """A UTC datetime stored as epoch milliseconds: compact, sortable, alike on every store."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return int(value.timestamp() * 1000)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


Json = sa.JSON().with_variant(JSONB(), "postgresql")
