"""Indexes that let the busiest lists and counts read in order from an index instead of sorting or
reading rows: a mentee's journal newest first, people by role, matches by status."""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('journal_entry', ('author_id', 'entry_date', 'created', 'id')),
        migrator.drop_index('journal_entry', 'journalentry_author_id_entry_date'),
        migrator.add_index('user', ('role', 'active')),
        migrator.drop_index('user', 'user_role'),
        migrator.add_index('match', ('status', 'mentee_id')),
        migrator.drop_index('match', 'match_status'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index('journal_entry', ('author_id', 'entry_date'), name='journalentry_author_id_entry_date'),
        migrator.drop_index('journal_entry', 'journal_entry_author_id_entry_date_created_id'),
        migrator.add_index('user', ('role',), name='user_role'),
        migrator.drop_index('user', 'user_role_active'),
        migrator.add_index('match', ('status',), name='match_status'),
        migrator.drop_index('match', 'match_status_mentee_id'),
    )
