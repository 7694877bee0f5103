"""Aggregates coordinators may see: how many entries per week, never what they say."""
import datetime

from peewee import fn

from app.db import utcnow
from app.journal.models import JournalEntry
from app.journal.mood import _as_date
from app.prepared import PreparedQuery


_entries_per_day = PreparedQuery(
    lambda mentee_id, start: JournalEntry.select(JournalEntry.entry_date, fn.COUNT(JournalEntry.id))
    .where((JournalEntry.author == mentee_id) & (JournalEntry.entry_date >= start))
    .group_by(JournalEntry.entry_date)
    .tuples(),
    slots=("mentee_id", "start"),
)


def weekly_entry_counts(mentee_id, weeks=8, today=None):
    """[(week starting Monday, entries)] for the last `weeks` weeks, oldest first: one query."""
    today = today or utcnow().date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    start = this_monday - datetime.timedelta(weeks=weeks - 1)
    counts = {monday: 0 for monday in (start + datetime.timedelta(weeks=i) for i in range(weeks))}
    rows = _entries_per_day.all(mentee_id=mentee_id, start=start)
    for day, count in rows:
        day = _as_date(day)
        monday = day - datetime.timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += count
    return sorted(counts.items())
