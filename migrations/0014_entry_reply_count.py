"""Each journal entry's number of replies, kept on the entry by the database.

The mentee's journal list shows "2 replies" on an entry. It counted each listed entry's replies
with a subquery per row on every visit and every search; `journal_entry.reply_count` is read with
the row instead.

Triggers keep it right on every reply added, removed or moved to another entry, whatever code (or
bulk load) makes the change. They add and take away one rather than counting afresh, so two replies
written at the same moment on PostgreSQL each count (the second update waits for the first and adds
to its result). The app never writes the count (JournalEntry saves only the fields it changed).
"""


def _add(entry, step):
    return f"UPDATE journal_entry SET reply_count = reply_count {step} 1 WHERE id = {entry};"


SQLITE_TRIGGERS = (
    f'''CREATE TRIGGER journal_reply_count_insert AFTER INSERT ON journal_reply
        BEGIN {_add("NEW.entry_id", "+")} END''',
    f'''CREATE TRIGGER journal_reply_count_delete AFTER DELETE ON journal_reply
        BEGIN {_add("OLD.entry_id", "-")} END''',
    f'''CREATE TRIGGER journal_reply_count_move AFTER UPDATE OF entry_id ON journal_reply
        WHEN OLD.entry_id <> NEW.entry_id
        BEGIN {_add("OLD.entry_id", "-")} {_add("NEW.entry_id", "+")} END''',
)
SQLITE_TRIGGER_NAMES = ("journal_reply_count_insert", "journal_reply_count_delete", "journal_reply_count_move")

POSTGRES_TRIGGERS = (
    f'''CREATE FUNCTION tandem_entry_reply_count() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD.entry_id = NEW.entry_id THEN
            RETURN NULL;
          END IF;
          IF TG_OP <> 'INSERT' THEN
            {_add("OLD.entry_id", "-")}
          END IF;
          IF TG_OP <> 'DELETE' THEN
            {_add("NEW.entry_id", "+")}
          END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql''',
    '''CREATE TRIGGER journal_reply_count AFTER INSERT OR DELETE OR UPDATE OF entry_id ON journal_reply
        FOR EACH ROW EXECUTE FUNCTION tandem_entry_reply_count()''',
)


def _is_postgres(db):
    return type(db).__name__.lower().find("postgres") >= 0


def up(migrator, db):
    # Added in place with its default (SQLite's other way, a copy of the table, would break the triggers
    # of migration 0010 that name it); the default lets inserts name only the entry's own columns.
    db.execute_sql('ALTER TABLE journal_entry ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0')
    db.execute_sql('''UPDATE journal_entry SET reply_count = (SELECT COUNT(*) FROM journal_reply
                      WHERE journal_reply.entry_id = journal_entry.id)
                      WHERE id IN (SELECT entry_id FROM journal_reply)''')
    for statement in POSTGRES_TRIGGERS if _is_postgres(db) else SQLITE_TRIGGERS:
        db.execute_sql(statement)


def down(migrator, db):
    if _is_postgres(db):
        db.execute_sql('DROP TRIGGER journal_reply_count ON journal_reply')
        db.execute_sql('DROP FUNCTION tandem_entry_reply_count()')
    else:
        for name in SQLITE_TRIGGER_NAMES:
            db.execute_sql(f"DROP TRIGGER {name}")
    migrator.migrate(migrator.drop_column('journal_entry', 'reply_count'))
