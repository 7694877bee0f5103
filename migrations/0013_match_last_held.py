"""The time of each match's last held meeting, kept on the match by the database.

The coordinator's list of quiet matches (no held meeting for a while) worked out the last held
meeting of every active match of the program on every visit, one index search each, so it grew with
the program (1,950 active matches at the benchmark's large size: 32 ms on the slowest machine of
bench/REPORT.md). With `match.last_held` kept here, the list reads the active matches alone, and the
mentor's home reads the time with each match instead of searching.

Triggers keep it right on every meeting added, logged, moved, moved to another match or deleted,
whatever code (or bulk load) makes the change: each works the time out afresh from the match's held
meetings, read from the (match, status, starts_at) index. The app never writes it (Match saves only
the fields it changed).
"""
from peewee import DateTimeField

# The match's last held meeting; {match} is the match's id in a trigger.
LAST_HELD = ("(SELECT MAX(m.starts_at) FROM meeting AS m "
             "WHERE m.match_id = {match} AND m.status = 'held')")


def _refresh(match, when=""):
    """Work the match's time out afresh; `when` adds a condition (SQLite triggers have no IF)."""
    return f'UPDATE "match" SET last_held = {LAST_HELD.format(match=match)} WHERE id = {match}{when};'


SQLITE_TRIGGERS = (
    f'''CREATE TRIGGER meeting_last_held_insert AFTER INSERT ON meeting WHEN NEW.status = 'held'
        BEGIN {_refresh("NEW.match_id")} END''',
    f'''CREATE TRIGGER meeting_last_held_delete AFTER DELETE ON meeting WHEN OLD.status = 'held'
        BEGIN {_refresh("OLD.match_id")} END''',
    f'''CREATE TRIGGER meeting_last_held_update AFTER UPDATE OF status, starts_at, match_id ON meeting
        WHEN OLD.status = 'held' OR NEW.status = 'held'
        BEGIN
          {_refresh("NEW.match_id")}
          {_refresh("OLD.match_id", when=" AND OLD.match_id <> NEW.match_id")}
        END''',
)
SQLITE_TRIGGER_NAMES = ("meeting_last_held_insert", "meeting_last_held_delete", "meeting_last_held_update")

POSTGRES_TRIGGERS = (
    f'''CREATE FUNCTION tandem_match_last_held() RETURNS trigger AS $$
        BEGIN
          IF TG_OP <> 'DELETE' AND (NEW.status = 'held' OR (TG_OP = 'UPDATE' AND OLD.status = 'held')) THEN
            {_refresh("NEW.match_id")}
          END IF;
          IF TG_OP <> 'INSERT' AND OLD.status = 'held' AND (TG_OP = 'DELETE' OR OLD.match_id <> NEW.match_id) THEN
            {_refresh("OLD.match_id")}
          END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql''',
    '''CREATE TRIGGER meeting_last_held AFTER INSERT OR DELETE OR UPDATE OF status, starts_at, match_id
        ON meeting FOR EACH ROW EXECUTE FUNCTION tandem_match_last_held()''',
)


def _is_postgres(db):
    return type(db).__name__.lower().find("postgres") >= 0


def up(migrator, db):
    migrator.migrate(migrator.add_column('match', 'last_held', DateTimeField(null=True)))
    db.execute_sql('UPDATE "match" SET last_held = ' + LAST_HELD.format(match='"match".id'))
    for statement in POSTGRES_TRIGGERS if _is_postgres(db) else SQLITE_TRIGGERS:
        db.execute_sql(statement)


def down(migrator, db):
    if _is_postgres(db):
        db.execute_sql('DROP TRIGGER meeting_last_held ON meeting')
        db.execute_sql('DROP FUNCTION tandem_match_last_held()')
    else:
        for name in SQLITE_TRIGGER_NAMES:
            db.execute_sql(f"DROP TRIGGER {name}")
    migrator.migrate(migrator.drop_column('match', 'last_held'))
