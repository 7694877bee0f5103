"""Command-line tasks: no default account, the first coordinator, passwords, demo data, backups."""
import os
import sqlite3
import stat

import pytest

from app.audit import AuditEvent
from app.auth.models import User, UserSession
from app.auth.passwords import verify_password
from app.core.home import waiting_mentees
from app.matches.models import Match
from tests.conftest import TEST_PASSWORD, login

NEW_PASSWORD = "river lantern quietly hums"
DEMO_PASSWORD = "harbor pebble orchard tune"
DEMO_EMAILS = (
    ["coordinator@example.org"]
    + [f"mentor{n}@example.org" for n in (1, 2, 3)]
    + [f"mentee{n}@example.org" for n in range(1, 7)]
)


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def ok(result):
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def failed(result):
    assert result.exit_code != 0, result.output
    return result.output


# --- No default account, the first coordinator ------------------------------

def test_there_is_no_account_after_upgrading_the_database(app):
    ok(run(app, "db", "upgrade"))
    assert User.select().count() == 0


def test_create_coordinator_reads_the_password_from_stdin_and_creates_a_coordinator(app):
    output = ok(run(app, "create-coordinator", "--email", " Pat.Lee@Example.org ", "--name", "Pat Lee",
                    input=NEW_PASSWORD + "\n"))
    assert "pat.lee@example.org" in output
    user = User.get(User.email == "pat.lee@example.org")
    assert user.role == "coordinator"
    assert user.name == "Pat Lee"
    assert user.active
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert NEW_PASSWORD not in user.password_hash
    event = AuditEvent.get(AuditEvent.action == "person.create_coordinator")
    assert event.subject_id == user.id
    assert event.object_id == user.id


def test_the_new_coordinator_can_sign_in_and_reach_the_people_page(app, client):
    ok(run(app, "create-coordinator", "--email", "pat@example.org", "--name", "Pat Lee", input=NEW_PASSWORD + "\n"))
    assert login(client, "pat@example.org", NEW_PASSWORD).status_code == 303
    assert client.get("/people").status_code == 200


@pytest.mark.parametrize("password, reason", [
    ("short pw", "at least 12 characters"),
    ("password1234", "too common"),
    ("patricia-lee-2024", "own name or email"),
])
def test_create_coordinator_refuses_a_weak_password(app, password, reason):
    output = failed(run(app, "create-coordinator", "--email", "patricia@example.org", "--name", "Patricia Lee",
                        input=password + "\n"))
    assert reason in output
    assert User.select().count() == 0
    assert AuditEvent.select().count() == 0


def test_create_coordinator_refuses_an_email_that_already_has_an_account(app, personas):
    before = User.select().count()
    output = failed(run(app, "create-coordinator", "--email", "COORD@example.org", "--name", "Someone Else",
                        input=NEW_PASSWORD + "\n"))
    assert "already exists" in output
    assert User.select().count() == before
    assert verify_password(User.get_by_id(personas.coordinator.id).password_hash, TEST_PASSWORD)


def test_create_coordinator_needs_an_email_and_a_name(app):
    failed(run(app, "create-coordinator", "--email", "pat@example.org", input=NEW_PASSWORD + "\n"))
    failed(run(app, "create-coordinator", "--name", "Pat", input=NEW_PASSWORD + "\n"))
    assert User.select().count() == 0


# --- set-password -----------------------------------------------------------

def test_set_password_changes_the_password_and_signs_the_person_out_everywhere(app, personas):
    browser = app.test_client()
    assert login(browser, personas.mentee_a).status_code == 303
    assert browser.get("/home").status_code == 200
    output = ok(run(app, "set-password", "--email", "mentee.a@example.org", input=NEW_PASSWORD + "\n"))
    assert "signed out" in output
    assert UserSession.select().where(UserSession.user == personas.mentee_a).count() == 0
    replay = browser.get("/home")
    assert replay.status_code == 302
    assert "/login" in replay.headers["Location"]
    assert login(app.test_client(), personas.mentee_a).status_code == 422
    assert login(app.test_client(), personas.mentee_a, NEW_PASSWORD).status_code == 303
    event = AuditEvent.get(AuditEvent.action == "password.set_by_admin")
    assert event.subject_id == personas.mentee_a.id


def test_set_password_refuses_a_weak_password_and_keeps_the_old_one(app, personas):
    output = failed(run(app, "set-password", "--email", "mentee.a@example.org", input="password1234\n"))
    assert "too common" in output
    assert verify_password(User.get_by_id(personas.mentee_a.id).password_hash, TEST_PASSWORD)
    assert not AuditEvent.select().where(AuditEvent.action == "password.set_by_admin").exists()


def test_set_password_for_an_unknown_email_says_so(app, personas):
    output = failed(run(app, "set-password", "--email", "nobody@example.org", input=NEW_PASSWORD + "\n"))
    assert "No account" in output


# --- demo-data --------------------------------------------------------------

def test_demo_data_creates_the_demo_program_with_mentee6_waiting(app):
    output = ok(run(app, "demo-data", "--password", DEMO_PASSWORD))
    assert DEMO_PASSWORD not in output
    people = {u.email: u for u in User.select()}
    assert set(people) >= set(DEMO_EMAILS)
    assert people["coordinator@example.org"].role == "coordinator"
    assert {people[f"mentor{n}@example.org"].role for n in (1, 2, 3)} == {"mentor"}
    assert {people[f"mentee{n}@example.org"].role for n in range(1, 7)} == {"mentee"}
    for email in DEMO_EMAILS:
        assert email in output
    for n in range(1, 6):
        assert Match.open_for_mentee(people[f"mentee{n}@example.org"]) is not None, n
    mentee6 = people["mentee6@example.org"]
    assert Match.open_for_mentee(mentee6) is None
    assert [u.email for u in waiting_mentees()] == ["mentee6@example.org"]
    assert {m.status for m in Match.select()} == {"active", "paused", "closed"}


def test_everyone_in_the_demo_program_can_sign_in_with_the_demo_password(app):
    ok(run(app, "demo-data", "--password", DEMO_PASSWORD))
    hashes = {u.email: u.password_hash for u in User.select().where(User.email.in_(DEMO_EMAILS))}
    assert set(hashes) == set(DEMO_EMAILS)
    # Hashing is slow on purpose: one check of the shared hash covers everyone who has it...
    assert len(set(hashes.values())) == 1
    assert verify_password(next(iter(hashes.values())), DEMO_PASSWORD)
    # ...and one real sign-in per role shows the accounts work.
    for email in ("coordinator@example.org", "mentor2@example.org", "mentee6@example.org"):
        client = app.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 303, email
        assert client.get("/home").status_code == 200, email


def test_demo_data_if_empty_loads_into_an_empty_database(app):
    ok(run(app, "demo-data", "--password", DEMO_PASSWORD, "--if-empty"))
    assert User.select().count() == len(DEMO_EMAILS)


def test_demo_data_if_empty_does_nothing_on_a_populated_database(app, personas):
    before = (User.select().count(), Match.select().count(), AuditEvent.select().count())
    output = ok(run(app, "demo-data", "--password", DEMO_PASSWORD, "--if-empty"))
    assert "not loaded" in output
    assert (User.select().count(), Match.select().count(), AuditEvent.select().count()) == before
    assert User.by_email("coordinator@example.org") is None


# --- backup and restore -----------------------------------------------------

@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("backup uses SQLite's backup API; PostgreSQL programs use pg_dump")


@pytest.fixture
def postgres_only(backend):
    if backend != "postgres":
        pytest.skip("this checks the refusal on PostgreSQL")


def test_backup_writes_a_consistent_copy_that_passes_integrity_check(app, personas, sqlite_only, tmp_path):
    source = app.extensions["database"].database
    wal = source + "-wal"
    # The rows are still in the write-ahead log: a plain file copy would miss them.
    assert os.path.exists(wal) and os.path.getsize(wal) > 0
    target = tmp_path / "backups" / "tandem-backup.sqlite3"
    target.parent.mkdir()
    output = ok(run(app, "backup", str(target)))
    assert str(target) in output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = sqlite3.connect(str(target))
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        emails = {row[0] for row in copy.execute('SELECT email FROM "user"')}
        assert emails == {u.email for u in User.select()}
        assert copy.execute("SELECT COUNT(*) FROM match").fetchone()[0] == 2
        assert copy.execute("SELECT COUNT(*) FROM schema_migration").fetchone()[0] >= 1
    finally:
        copy.close()


def test_backup_refuses_to_overwrite_an_existing_file(app, personas, sqlite_only, tmp_path):
    target = tmp_path / "existing.sqlite3"
    target.write_bytes(b"precious")
    output = failed(run(app, "backup", str(target)))
    assert "already exists" in output
    assert target.read_bytes() == b"precious"


def test_restore_drill_a_backup_serves_sign_ins(app_factory, app, personas, sqlite_only, tmp_path):
    target = tmp_path / "drill.sqlite3"
    ok(run(app, "backup", str(target)))
    restored = app_factory(DATABASE_URL=f"sqlite:///{target}")
    assert restored.extensions["database"].database == str(target)
    with restored.app_context():
        client = restored.test_client()
        assert login(client, personas.coordinator).status_code == 303
        page = client.get("/people")
        assert page.status_code == 200
        assert "Ada Mentee" in page.text
        assert AuditEvent.select().where(AuditEvent.action == "login.success").count() == 1
    # The live database did not see the drill's sign-in.
    live = sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    try:
        assert live.execute("SELECT COUNT(*) FROM audit_event WHERE action = 'login.success'").fetchone()[0] == 0
    finally:
        live.close()


def test_backup_on_postgresql_refuses_with_a_clear_message(app, postgres_only, tmp_path):
    target = tmp_path / "pg.sqlite3"
    output = failed(run(app, "backup", str(target)))
    assert "SQLite" in output
    assert "pg_dump" in output
    assert not target.exists()
