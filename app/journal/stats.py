"""Aggregates coordinators may see: how many entries per week, never what they say."""
import datetime

from peewee import Case, fn

from app.db import utcnow
from app.journal.models import JournalEntry
from app.prepared import PreparedQuery

WEEKS = 8
_LATER_MONDAYS = tuple(f"monday_{week}" for week in range(1, WEEKS))


def _entries_since_each_monday(mentee_id, start, end, **later_mondays):
    """One row: the entries dated on or after each Monday but the first, then all of them (from
    `start` to before `end`), counted from the author's index without reading a row per day."""
    dated = JournalEntry.entry_date
    since = [fn.COUNT(Case(None, [(dated >= later_mondays[name], 1)])) for name in _LATER_MONDAYS]
    return (JournalEntry.select(*since, fn.COUNT(JournalEntry.id))
            .where((JournalEntry.author == mentee_id) & (dated >= start) & (dated < end))
            .tuples())


_entries_since = PreparedQuery(_entries_since_each_monday, slots=("mentee_id", "start", "end") + _LATER_MONDAYS)


def weekly_entry_counts(mentee_id, today=None):
    """[(week starting Monday, entries)] for the last `WEEKS` weeks, oldest first: one query."""
    today = today or utcnow().date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    mondays = [this_monday - datetime.timedelta(weeks=WEEKS - 1 - week) for week in range(WEEKS)]
    since = _entries_since.first(mentee_id=mentee_id, start=mondays[0], end=this_monday + datetime.timedelta(weeks=1),
                                 **dict(zip(_LATER_MONDAYS, mondays[1:])))
    on_or_after = [since[-1], *since[:-1], 0]  # entries from each Monday on, then none after the last week
    return [(monday, on_or_after[week] - on_or_after[week + 1]) for week, monday in enumerate(mondays)]
