"""Head counts kept by the database: active people by role, matches by status.

The coordinator's dashboard showed them by counting every person and every match on
each visit, which grows with the program's history. A `tally` table holds one row
per count; triggers on "user" and "match" keep it right on every insert, change and
delete, whatever code or bulk load makes the change (as migration 0006 does for open
matches). Rows appear when first needed; a count that drops to zero stays as 0.
"""
from peewee import CharField, IntegerField, Model

PEOPLE = "'people.' || {row}.role"
MATCHES = "'matches.' || {row}.status"


def _add(expression, step):
    return (f"INSERT INTO tally (name, total) VALUES ({expression}, {step}) "
            f"ON CONFLICT (name) DO UPDATE SET total = tally.total + {step};")


def _sqlite_triggers():
    people_new, people_old = PEOPLE.format(row="NEW"), PEOPLE.format(row="OLD")
    matches_new, matches_old = MATCHES.format(row="NEW"), MATCHES.format(row="OLD")
    return (
        f'CREATE TRIGGER tally_user_insert AFTER INSERT ON "user" WHEN NEW.active '
        f'BEGIN {_add(people_new, 1)} END',
        f'CREATE TRIGGER tally_user_delete AFTER DELETE ON "user" WHEN OLD.active '
        f'BEGIN {_add(people_old, -1)} END',
        f'''CREATE TRIGGER tally_user_update AFTER UPDATE OF role, active ON "user"
            WHEN OLD.role IS NOT NEW.role OR OLD.active IS NOT NEW.active
            BEGIN
              UPDATE tally SET total = total - 1 WHERE OLD.active AND name = {people_old};
              INSERT INTO tally (name, total) SELECT {people_new}, 1 WHERE NEW.active
                ON CONFLICT (name) DO UPDATE SET total = tally.total + 1;
            END''',
        f'CREATE TRIGGER tally_match_insert AFTER INSERT ON "match" BEGIN {_add(matches_new, 1)} END',
        f'CREATE TRIGGER tally_match_delete AFTER DELETE ON "match" BEGIN {_add(matches_old, -1)} END',
        f'''CREATE TRIGGER tally_match_update AFTER UPDATE OF status ON "match" WHEN OLD.status IS NOT NEW.status
            BEGIN {_add(matches_old, -1)} {_add(matches_new, 1)} END''',
    )


SQLITE_TRIGGER_NAMES = ("tally_user_insert", "tally_user_delete", "tally_user_update",
                        "tally_match_insert", "tally_match_delete", "tally_match_update")


def _postgres_statements():
    return (
        f'''CREATE FUNCTION tandem_tally_people() RETURNS trigger AS $$
            BEGIN
              IF TG_OP <> 'INSERT' AND OLD.active THEN
                {_add(PEOPLE.format(row="OLD"), -1)}
              END IF;
              IF TG_OP <> 'DELETE' AND NEW.active THEN
                {_add(PEOPLE.format(row="NEW"), 1)}
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql''',
        '''CREATE TRIGGER tally_people_insert_delete AFTER INSERT OR DELETE ON "user"
            FOR EACH ROW EXECUTE FUNCTION tandem_tally_people()''',
        '''CREATE TRIGGER tally_people_update AFTER UPDATE OF role, active ON "user" FOR EACH ROW
            WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active)
            EXECUTE FUNCTION tandem_tally_people()''',
        f'''CREATE FUNCTION tandem_tally_matches() RETURNS trigger AS $$
            BEGIN
              IF TG_OP <> 'INSERT' THEN
                {_add(MATCHES.format(row="OLD"), -1)}
              END IF;
              IF TG_OP <> 'DELETE' THEN
                {_add(MATCHES.format(row="NEW"), 1)}
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql''',
        '''CREATE TRIGGER tally_matches_insert_delete AFTER INSERT OR DELETE ON "match"
            FOR EACH ROW EXECUTE FUNCTION tandem_tally_matches()''',
        '''CREATE TRIGGER tally_matches_update AFTER UPDATE OF status ON "match" FOR EACH ROW
            WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION tandem_tally_matches()''',
    )


def _is_postgres(db):
    return type(db).__name__.lower().find("postgres") >= 0


def up(migrator, db):
    class Tally(Model):
        name = CharField(max_length=40, primary_key=True)
        total = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'tally'

    db.create_tables([Tally])
    db.execute_sql(f'''INSERT INTO tally (name, total)
                       SELECT {PEOPLE.format(row='"user"')}, COUNT(*) FROM "user" WHERE active GROUP BY role''')
    db.execute_sql(f'''INSERT INTO tally (name, total)
                       SELECT {MATCHES.format(row='"match"')}, COUNT(*) FROM "match" GROUP BY status''')
    for statement in _postgres_statements() if _is_postgres(db) else _sqlite_triggers():
        db.execute_sql(statement)


def down(migrator, db):
    if _is_postgres(db):
        for trigger, table in (("tally_people_insert_delete", "user"), ("tally_people_update", "user"),
                               ("tally_matches_insert_delete", "match"), ("tally_matches_update", "match")):
            db.execute_sql(f'DROP TRIGGER {trigger} ON "{table}"')
        db.execute_sql('DROP FUNCTION tandem_tally_people()')
        db.execute_sql('DROP FUNCTION tandem_tally_matches()')
    else:
        for name in SQLITE_TRIGGER_NAMES:
            db.execute_sql(f"DROP TRIGGER {name}")
    migrator.migrate(migrator.drop_table('tally'))
