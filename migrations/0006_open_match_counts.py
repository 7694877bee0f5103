"""Each mentee's number of open (active or paused) matches, kept by the database itself.

The coordinator's "waiting for a match" list then reads only the mentees who are waiting, through
an index, instead of checking every mentee against every match. Triggers keep the count on every
insert, status change and delete of a match, whatever code (or bulk load) makes the change.
"""
from peewee import IntegerField

OPEN = "('active', 'paused')"

SQLITE_TRIGGERS = (
    f'''CREATE TRIGGER match_open_insert AFTER INSERT ON "match" WHEN NEW.status IN {OPEN}
        BEGIN UPDATE "user" SET open_matches = open_matches + 1 WHERE id = NEW.mentee_id; END''',
    f'''CREATE TRIGGER match_open_delete AFTER DELETE ON "match" WHEN OLD.status IN {OPEN}
        BEGIN UPDATE "user" SET open_matches = open_matches - 1 WHERE id = OLD.mentee_id; END''',
    f'''CREATE TRIGGER match_open_update AFTER UPDATE OF status, mentee_id ON "match"
        BEGIN
          UPDATE "user" SET open_matches = open_matches - 1 WHERE id = OLD.mentee_id AND OLD.status IN {OPEN};
          UPDATE "user" SET open_matches = open_matches + 1 WHERE id = NEW.mentee_id AND NEW.status IN {OPEN};
        END''',
)

POSTGRES_TRIGGERS = (
    f'''CREATE FUNCTION tandem_count_open_matches() RETURNS trigger AS $$
        BEGIN
          IF TG_OP <> 'INSERT' THEN
            IF OLD.status IN {OPEN} THEN
              UPDATE "user" SET open_matches = open_matches - 1 WHERE id = OLD.mentee_id;
            END IF;
          END IF;
          IF TG_OP <> 'DELETE' THEN
            IF NEW.status IN {OPEN} THEN
              UPDATE "user" SET open_matches = open_matches + 1 WHERE id = NEW.mentee_id;
            END IF;
          END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql''',
    '''CREATE TRIGGER match_open_matches AFTER INSERT OR DELETE OR UPDATE OF status, mentee_id ON "match"
        FOR EACH ROW EXECUTE FUNCTION tandem_count_open_matches()''',
)


def _is_postgres(db):
    return type(db).__name__.lower().find("postgres") >= 0


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('user', 'open_matches', IntegerField(default=0)),
        migrator.add_index('user', ('role', 'active', 'open_matches')),
        migrator.drop_index('user', 'user_role_active'),
    )
    db.execute_sql(f'''UPDATE "user" SET open_matches = (SELECT COUNT(*) FROM "match"
                       WHERE "match".mentee_id = "user".id AND "match".status IN {OPEN})''')
    for statement in POSTGRES_TRIGGERS if _is_postgres(db) else SQLITE_TRIGGERS:
        db.execute_sql(statement)


def down(migrator, db):
    if _is_postgres(db):
        db.execute_sql('DROP TRIGGER match_open_matches ON "match"')
        db.execute_sql('DROP FUNCTION tandem_count_open_matches()')
    else:
        for name in ("match_open_insert", "match_open_delete", "match_open_update"):
            db.execute_sql(f"DROP TRIGGER {name}")
    migrator.migrate(
        migrator.add_index('user', ('role', 'active'), name='user_role_active'),
        migrator.drop_index('user', 'user_role_active_open_matches'),
        migrator.drop_column('user', 'open_matches'),
    )
