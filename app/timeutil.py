"""Wall-clock times in a person's time zone, stored as naive UTC.

Entering "9:00" in New York means 9:00 there on that date, whichever side of
a daylight-saving change it falls; a time that does not exist (clocks jump
forward) is refused rather than silently shifted.
"""
import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = datetime.timezone.utc


def zone(name):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class NonexistentTime(ValueError):
    """The local time falls in a daylight-saving gap."""


def local_to_utc(day, time, tz_name):
    """Naive UTC datetime for a local date and time; raises NonexistentTime in a DST gap."""
    local = datetime.datetime.combine(day, time).replace(tzinfo=zone(tz_name))
    utc = local.astimezone(UTC)
    if utc.astimezone(zone(tz_name)).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(local)
    return utc.replace(tzinfo=None)


def utc_to_local(value, tz_name):
    """Aware local datetime for a naive UTC datetime."""
    return value.replace(tzinfo=UTC).astimezone(zone(tz_name))
