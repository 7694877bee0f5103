"""Whether the mentor an entry is shared with has read it, kept on the entry by the database.

The mentor's home page counts the shared entries they have not read yet. That count walked every
entry ever shared with the mentor and looked each one up among the mentor's reads, so it grew with
the years of a match. `journal_entry.shared_unread` is true while the entry is shared and its
mentor has no read of it. An index on (shared_with, shared_unread, author) then gives the count
from the unread entries alone.

Triggers keep the flag right on every share, unshare and re-share of an entry and on every read
added or removed, whatever code (or bulk load) makes the change. The app never writes the flag
(JournalEntry saves only the fields it changed).
"""
from peewee import SQL, BooleanField

# True when the entry's mentor has no read of it; {row} is NEW (the entry) in a trigger.
UNREAD = ('({row}.shared_with_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM journal_read AS r '
          'WHERE r.entry_id = {row}.id AND r.reader_id = {row}.shared_with_id))')

SQLITE_TRIGGERS = (
    f'''CREATE TRIGGER journal_entry_unread_insert AFTER INSERT ON journal_entry
        WHEN NEW.shared_with_id IS NOT NULL
        BEGIN UPDATE journal_entry SET shared_unread = {UNREAD.format(row="NEW")} WHERE id = NEW.id; END''',
    f'''CREATE TRIGGER journal_entry_unread_share AFTER UPDATE OF shared_with_id ON journal_entry
        WHEN OLD.shared_with_id IS NOT NEW.shared_with_id
        BEGIN UPDATE journal_entry SET shared_unread = {UNREAD.format(row="NEW")} WHERE id = NEW.id; END''',
    '''CREATE TRIGGER journal_read_insert_unread AFTER INSERT ON journal_read
        BEGIN UPDATE journal_entry SET shared_unread = 0
              WHERE id = NEW.entry_id AND shared_with_id = NEW.reader_id AND shared_unread; END''',
    '''CREATE TRIGGER journal_read_delete_unread AFTER DELETE ON journal_read
        BEGIN UPDATE journal_entry SET shared_unread = 1
              WHERE id = OLD.entry_id AND shared_with_id = OLD.reader_id; END''',
)
SQLITE_TRIGGER_NAMES = ("journal_entry_unread_insert", "journal_entry_unread_share",
                        "journal_read_insert_unread", "journal_read_delete_unread")

POSTGRES_TRIGGERS = (
    # Before the row is written, the flag is set on the row itself.
    f'''CREATE FUNCTION tandem_entry_unread() RETURNS trigger AS $$
        BEGIN
          NEW.shared_unread := {UNREAD.format(row="NEW")};
          RETURN NEW;
        END $$ LANGUAGE plpgsql''',
    '''CREATE TRIGGER journal_entry_unread BEFORE INSERT OR UPDATE OF shared_with_id ON journal_entry
        FOR EACH ROW EXECUTE FUNCTION tandem_entry_unread()''',
    '''CREATE FUNCTION tandem_read_unread() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE journal_entry SET shared_unread = false
              WHERE id = NEW.entry_id AND shared_with_id = NEW.reader_id AND shared_unread;
          ELSE
            UPDATE journal_entry SET shared_unread = true
              WHERE id = OLD.entry_id AND shared_with_id = OLD.reader_id;
          END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql''',
    '''CREATE TRIGGER journal_read_unread AFTER INSERT OR DELETE ON journal_read
        FOR EACH ROW EXECUTE FUNCTION tandem_read_unread()''',
)


def _is_postgres(db):
    return type(db).__name__.lower().find("postgres") >= 0


def up(migrator, db):
    # A default in the database too, so that inserts naming only the entry's own columns (bulk loads)
    # work; the triggers then set the flag.
    migrator.migrate(migrator.add_column('journal_entry', 'shared_unread',
                                         BooleanField(default=False, constraints=[SQL('DEFAULT FALSE')])))
    db.execute_sql(f'''UPDATE journal_entry SET shared_unread = {UNREAD.format(row="journal_entry")}
                       WHERE shared_with_id IS NOT NULL''')
    migrator.migrate(migrator.add_index('journal_entry', ('shared_with_id', 'shared_unread', 'author_id')))
    for statement in POSTGRES_TRIGGERS if _is_postgres(db) else SQLITE_TRIGGERS:
        db.execute_sql(statement)


def down(migrator, db):
    if _is_postgres(db):
        db.execute_sql('DROP TRIGGER journal_entry_unread ON journal_entry')
        db.execute_sql('DROP TRIGGER journal_read_unread ON journal_read')
        db.execute_sql('DROP FUNCTION tandem_entry_unread()')
        db.execute_sql('DROP FUNCTION tandem_read_unread()')
    else:
        for name in SQLITE_TRIGGER_NAMES:
            db.execute_sql(f"DROP TRIGGER {name}")
    migrator.migrate(
        migrator.drop_index('journal_entry', 'journal_entry_shared_with_id_shared_unread_author_id'),
        migrator.drop_column('journal_entry', 'shared_unread'),
    )
