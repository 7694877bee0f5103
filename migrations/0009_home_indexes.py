"""Indexes for the mentor's home page, whose two slowest statements read table rows only to filter them.

- The unread count walked the entries shared with the mentor and read each entry's row for its
  author. The index of shared entries (shared_with, shared_at) becomes (shared_with, shared_at, id,
  author): the shared list still reads it newest first, and the count needs no entry rows.
- Meetings by (match, status, starts_at): the meetings coming up, those waiting to be logged and a
  match's last held meeting are found in the index instead of among all of a match's meetings.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('journal_entry', ('shared_with_id', 'shared_at', 'id', 'author_id')),
        migrator.drop_index('journal_entry', 'journalentry_shared_with_id_shared_at'),
        migrator.add_index('meeting', ('match_id', 'status', 'starts_at')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index('journal_entry', ('shared_with_id', 'shared_at'), name='journalentry_shared_with_id_shared_at'),
        migrator.drop_index('journal_entry', 'journal_entry_shared_with_id_shared_at_id_author_id'),
        migrator.drop_index('meeting', 'meeting_match_id_status_starts_at'),
    )
