"""Migrations: an empty database upgraded to head has exactly the models' schema.

Each database here starts brand new (a fresh SQLite file, or a throwaway
PostgreSQL database), never from the shared migrated template. The upgraded
database is made once per backend for this module; tests only read it.
"""
import os
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from peewee import ForeignKeyField
from playhouse.schema_diff import diff_models

from app import create_app
from app.db import BaseModel, database, make_database
from app.models import ALL_MODELS
from tests.conftest import BACKENDS

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
MIGRATION_NAMES = sorted(p.stem for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


class FreshDatabases:
    """Makes empty databases on one backend and drops them again."""

    def __init__(self, backend, directory):
        self.backend = backend
        self.directory = directory
        self.made = []

    def new_url(self):
        if self.backend == "sqlite":
            path = Path(self.directory) / f"fresh-{uuid.uuid4().hex[:8]}.sqlite3"
            assert not path.exists()
            return f"sqlite:///{path}"
        import psycopg

        base = os.environ["TEST_DATABASE_URL"]
        name = f"tandem_fresh_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return urlunparse(urlparse(base)._replace(path="/" + name))

    def drop_all(self):
        if not self.made:
            return
        import psycopg

        with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(url, directory):
    return create_app({
        "TANDEM_ENV": "development",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(Path(directory) / "instance"),
        "TESTING": True,
    })


def cli(app, *args):
    # Other tests may have bound the shared database proxy to their own app since.
    database.initialize(app.extensions["database"])
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _reflect(db, table):
    """Everything the database says about a table, in comparable form."""
    return {
        "columns": sorted((c.name, c.full_type, c.null, c.primary_key) for c in db.get_columns(table)),
        "indexes": sorted(
            (tuple(i.columns), bool(i.unique)) for i in db.get_indexes(table) if not i.name.endswith("_pkey")
        ),
        "foreign_keys": sorted(
            (fk.column, fk.dest_table, fk.dest_column, (fk.on_delete or "NO ACTION").upper())
            for fk in db.get_foreign_keys(table)
        ),
    }


def _reflect_all(db):
    with db.connection_context():
        return {m._meta.table_name: _reflect(db, m._meta.table_name) for m in ALL_MODELS}


@pytest.fixture(scope="module", params=BACKENDS)
def databases(request, tmp_path_factory):
    fresh = FreshDatabases(request.param, tmp_path_factory.mktemp("migrations"))
    yield fresh
    fresh.drop_all()


@pytest.fixture(scope="module")
def upgraded(databases):
    """(app, output of the first `db upgrade`) on a database that was empty before it."""
    app = make_app(databases.new_url(), databases.directory)
    output = cli(app, "db", "upgrade")
    yield app, output
    app.extensions["database"].close_all()


@pytest.fixture(scope="module")
def reference(databases):
    """A database whose tables were created straight from the models (no migrations)."""
    db = make_database(databases.new_url())
    with db.connection_context(), db.bind_ctx(ALL_MODELS):
        db.create_tables(ALL_MODELS)
    schema = _reflect_all(db)
    db.close_all()
    return schema


def test_every_model_is_listed_in_all_models():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    defined = {model for model in subclasses(BaseModel) if model.__module__.startswith("app.")}
    assert defined == set(ALL_MODELS)


def test_an_empty_database_lists_every_migration_as_pending(databases):
    app = make_app(databases.new_url(), databases.directory)
    try:
        output = cli(app, "db", "status")
        db = app.extensions["database"]
        with db.connection_context():
            assert db.get_tables() == []  # looking changed nothing
    finally:
        app.extensions["database"].close_all()
    lines = {line.split()[0]: line for line in output.splitlines() if line.strip()}
    assert set(lines) == set(MIGRATION_NAMES)
    assert all("pending" in line for line in lines.values())


def test_upgrading_an_empty_database_applies_every_migration(upgraded):
    _, output = upgraded
    for name in MIGRATION_NAMES:
        assert name in output


def test_upgrading_creates_every_model_table_and_nothing_else(upgraded):
    db = upgraded[0].extensions["database"]
    with db.connection_context():
        tables = set(db.get_tables())
    assert tables == {model._meta.table_name for model in ALL_MODELS} | {"schema_migration"}


def test_upgraded_schema_shows_no_difference_from_the_models(upgraded):
    db = upgraded[0].extensions["database"]
    with db.connection_context():
        diff = diff_models(db, ALL_MODELS)
    assert not diff, f"migrations and models differ:\n{diff}"


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.table_name)
def test_upgraded_columns_nullability_and_keys_match_the_model_fields(upgraded, model):
    db = upgraded[0].extensions["database"]
    table = model._meta.table_name
    with db.connection_context():
        columns = db.get_columns(table)
        foreign_keys = {
            (fk.column, fk.dest_table, fk.dest_column, (fk.on_delete or "NO ACTION").upper())
            for fk in db.get_foreign_keys(table)
        }
    assert {c.name: c.null for c in columns} == {f.column_name: f.null for f in model._meta.sorted_fields}
    assert [c.name for c in columns if c.primary_key] == [model._meta.primary_key.column_name]
    assert foreign_keys == {
        (f.column_name, f.rel_model._meta.table_name, f.rel_field.column_name, (f.on_delete or "NO ACTION").upper())
        for f in model._meta.sorted_fields if isinstance(f, ForeignKeyField)
    }


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.table_name)
def test_upgraded_table_equals_the_table_created_straight_from_the_model(upgraded, reference, model):
    """Column types, indexes and foreign-key actions too."""
    table = model._meta.table_name
    db = upgraded[0].extensions["database"]
    with db.connection_context():
        assert _reflect(db, table) == reference[table]


def test_upgrading_twice_changes_nothing_the_second_time(upgraded):
    app = upgraded[0]
    db = app.extensions["database"]
    before = _reflect_all(db)
    assert "up to date" in cli(app, "db", "upgrade")
    assert _reflect_all(db) == before
    with db.connection_context():
        history = db.execute_sql("SELECT name FROM schema_migration ORDER BY name").fetchall()
    assert history == [(name,) for name in MIGRATION_NAMES]


def test_status_lists_every_migration_as_applied(upgraded):
    output = cli(upgraded[0], "db", "status")
    lines = {line.split()[0]: line for line in output.splitlines() if line.strip()}
    assert set(lines) == set(MIGRATION_NAMES)
    assert "applied" in lines["0001_initial"]
    assert all("applied" in line for line in lines.values())
    assert "pending" not in output


def test_the_open_match_count_is_filled_in_for_matches_made_before_it_existed(databases):
    """Migration 0006 counts the matches already there, then its triggers keep counting."""
    from app.cli import migration_runner

    app = make_app(databases.new_url(), databases.directory)
    db = app.extensions["database"]
    try:
        with app.app_context(), db.connection_context():
            migration_runner().up(target="0005_list_indexes")
            people = [("ana@example.org", "mentee"), ("ben@example.org", "mentee"), ("cy@example.org", "mentee"),
                      ("mo@example.org", "mentor")]
            for email, role in people:
                db.execute_sql('INSERT INTO "user" (email, name, role, password_hash, active, timezone, locale, created)'
                               " VALUES (%s, %s, %s, 'x', %s, 'UTC', 'en', '2026-01-01 00:00:00')".replace(
                                   "%s", db.param), (email, email, role, True))
            ids = {email: row[0] for email, row in
                   ((email, db.execute_sql(f'SELECT id FROM "user" WHERE email = {db.param}', (email,)).fetchone())
                    for email, _ in people)}
            for mentee, status in (("ana@example.org", "active"), ("ben@example.org", "closed"),
                                   ("ben@example.org", "paused"), ("cy@example.org", "closed")):
                db.execute_sql("INSERT INTO match (mentor_id, mentee_id, status, started, status_reason, closure_reason)"
                               f" VALUES ({db.param}, {db.param}, {db.param}, '2026-01-02 00:00:00', '', '')",
                               (ids["mo@example.org"], ids[mentee], status))
            migration_runner().up()
            counts = dict(db.execute_sql('SELECT email, open_matches FROM "user"').fetchall())
    finally:
        db.close_all()
    assert counts == {"ana@example.org": 1, "ben@example.org": 1, "cy@example.org": 0, "mo@example.org": 0}
