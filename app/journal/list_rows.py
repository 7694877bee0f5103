"""The rows of the journal lists (the mentee's entries, a mentor's shared entries) as plain values.

A list shows twenty rows with a handful of values each. Read as models, every value goes through a
Python descriptor and every label (mood, feelings) is worked out again for each row. Here the list
queries return tuples, the page's labels are looked up once, and each row is a named tuple of what
the row shows. Rows are read only: they have no `save`, so a list can never write back.
"""
from collections import namedtuple

from app.i18n import translated_labels
from app.journal.models import FEELINGS, MOOD_BADGES, feelings_line

# A row of the mentee's journal list.
ListedEntry = namedtuple("ListedEntry", "id entry_date mood mood_badge is_shared excerpt feelings_text reply_count")


def listed_entries(rows):
    """ListedEntry rows from the journal list query's tuples (app/journal/views.py LIST_FIELDS)."""
    feeling_names, badges = translated_labels(FEELINGS), translated_labels(MOOD_BADGES)
    return [
        ListedEntry(entry_id, entry_date, mood, badges.get(mood, ""), shared_with_id is not None, excerpt,
                    feelings_line(feelings, feelings_other, feeling_names), reply_count)
        for entry_id, entry_date, mood, feelings, feelings_other, shared_with_id, excerpt, reply_count in rows
    ]


# A row of a mentor's list of shared entries.
SharedEntryRow = namedtuple("SharedEntryRow",
                            "id entry_date mood mood_badge shared_at shared_unread author_id author_name")


def shared_entry_rows(rows):
    """SharedEntryRow rows from the shared list query's tuples (app/journal/mentor_views.py)."""
    badges = translated_labels(MOOD_BADGES)
    return [
        SharedEntryRow(entry_id, entry_date, mood, badges.get(mood, ""), shared_at, shared_unread, author_id,
                       author_name)
        for entry_id, entry_date, mood, shared_at, shared_unread, author_id, author_name in rows
    ]
