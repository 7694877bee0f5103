"""The rows of the journal lists (the mentee's entries, a mentor's shared entries) as plain values.

A list shows twenty rows with a handful of values each. Read as models, every value goes through a
Python descriptor and every label (mood, feelings) is worked out again for each row. Here the list
queries return tuples, the page's labels are looked up once, and each row is an object of slots
holding what the row shows. Rows are read only: they have no `save`, so a list can never write back.
"""
from app.i18n import translated_labels
from app.journal.models import FEELINGS, MOOD_BADGES, feelings_line


class ListedEntry:
    """A row of the mentee's journal list."""

    __slots__ = ("id", "entry_date", "mood", "mood_badge", "is_shared", "excerpt", "feelings_text", "reply_count")

    def __init__(self, entry_id, entry_date, mood, mood_badge, is_shared, excerpt, feelings_text, reply_count):
        self.id = entry_id
        self.entry_date = entry_date
        self.mood = mood
        self.mood_badge = mood_badge
        self.is_shared = is_shared
        self.excerpt = excerpt
        self.feelings_text = feelings_text
        self.reply_count = reply_count


def listed_entries(rows):
    """ListedEntry rows from the journal list query's tuples (app/journal/views.py LIST_FIELDS)."""
    feeling_names, badges = translated_labels(FEELINGS), translated_labels(MOOD_BADGES)
    return [
        ListedEntry(entry_id, entry_date, mood, badges.get(mood, ""), shared_with_id is not None, excerpt,
                    feelings_line(feelings, feelings_other, feeling_names), reply_count)
        for entry_id, entry_date, mood, feelings, feelings_other, shared_with_id, excerpt, reply_count in rows
    ]


class SharedEntryRow:
    """A row of a mentor's list of shared entries."""

    __slots__ = ("id", "entry_date", "mood", "mood_badge", "shared_at", "shared_unread", "author_id", "author_name")

    def __init__(self, entry_id, entry_date, mood, mood_badge, shared_at, shared_unread, author_id, author_name):
        self.id = entry_id
        self.entry_date = entry_date
        self.mood = mood
        self.mood_badge = mood_badge
        self.shared_at = shared_at
        self.shared_unread = shared_unread
        self.author_id = author_id
        self.author_name = author_name


def shared_entry_rows(rows):
    """SharedEntryRow rows from the shared list query's tuples (app/journal/mentor_views.py)."""
    badges = translated_labels(MOOD_BADGES)
    return [
        SharedEntryRow(entry_id, entry_date, mood, badges.get(mood, ""), shared_at, shared_unread, author_id,
                       author_name)
        for entry_id, entry_date, mood, shared_at, shared_unread, author_id, author_name in rows
    ]
