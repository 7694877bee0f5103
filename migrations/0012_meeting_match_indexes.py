"""Meetings are found through their match only: the indexes on status alone and on time alone go.

Every list reads the meetings of one person's matches (a mentee's own, a mentor's active ones), and
each has an index that starts with the match. SQLite's planner took the other two for selective: with
no statistics (a program's usual state) it read every held, missed or cancelled meeting of the program
for a mentee's past meetings, and with a small program's statistics it walked all meetings newest
first to find that mentee's 21. Nothing reads meetings by status or time across matches.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index('meeting', 'meeting_status'),
        migrator.drop_index('meeting', 'meeting_starts_at'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index('meeting', ('status',), name='meeting_status'),
        migrator.add_index('meeting', ('starts_at',), name='meeting_starts_at'),
    )
