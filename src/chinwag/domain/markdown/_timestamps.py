"""<t:...> timestamps: the accepted date forms and the epoch seconds Rocket.Chat derives.

The npm package converts dates with JavaScript's Date; this reproduces V8's checks for the
forms the grammar admits and the int32 truncation of `getTime() / 1000 | 0`. A time without
an offset is read in the server's timezone, UTC for Rocket.Chat's official images and here.
"""

import re
from datetime import UTC, date, datetime

_ZONE = r"(?:([+-])(\d\d):(\d\d))?"
UNIX = re.compile(r"\d{10}")
ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?" + _ZONE)
CLOCK = re.compile(r"(\d\d):(\d\d)(?::(\d\d))?" + _ZONE)
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _days_from_epoch(year: int, month: int, day: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    y = year - 1
    days = y * 365 + y // 4 - y // 100 + y // 400 - 719162  # 719162: days from 0001 to 1970
    return days + _DAYS_BEFORE_MONTH[month - 1] + (1 if leap and month > 2 else 0) + day - 1


def _to_int32(seconds: float) -> int:
    value = int(seconds) % 2**32  # `| 0` truncates toward zero, then wraps
    return value - 2**32 if value >= 2**31 else value


def epoch_seconds(
    ymd: tuple[int, int, int], hms: tuple[int, int, int, int], zone: tuple[str, int, int] | None
) -> str:
    """What `(new Date(iso).getTime() / 1e3 | 0).toString()` gives; "0" for invalid dates."""
    year, month, day = ymd
    hour, minute, second, milli = hms
    valid = 1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59
    valid = valid and (hour <= 23 or (hour == 24 and minute == second == milli == 0))
    offset = 0
    if zone is not None:
        sign, zone_hour, zone_minute = zone
        valid = valid and zone_hour <= 23 and zone_minute <= 59
        offset = (zone_hour * 60 + zone_minute) * (1 if sign == "+" else -1)
    if not valid:
        return "0"
    millis = (_days_from_epoch(year, month, 1) + day - 1) * 86_400_000 + (
        ((hour * 60 + minute - offset) * 60 + second) * 1000 + milli
    )
    return str(_to_int32(millis / 1000))


def _zone(groups: tuple[str | None, ...]) -> tuple[str, int, int] | None:
    sign, hour, minute = groups
    if sign is None or hour is None or minute is None:
        return None
    return sign, int(hour), int(minute)


def from_iso(match: re.Match[str]) -> str:
    g = match.groups()
    ymd = (int(g[0]), int(g[1]), int(g[2]))
    hms = (int(g[3]), int(g[4]), int(g[5]), int(g[6] or "0"))
    return epoch_seconds(ymd, hms, _zone(g[7:]))


def from_clock(match: re.Match[str], today: date | None) -> str:
    g = match.groups()
    zone = _zone(g[3:])
    if zone is None:
        return "0"  # the package appends the string "null" when there is no offset
    day = today or datetime.now(UTC).date()
    hms = (int(g[0]), int(g[1]), int(g[2] or "0"), 0)
    return epoch_seconds((day.year, day.month, day.day), hms, zone)
