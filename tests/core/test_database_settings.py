"""The data layer's durability settings (SECURITY.md 22-23).

SQLite: WAL, a busy timeout, foreign keys, synchronous=FULL, and write
transactions that begin IMMEDIATE. PostgreSQL: a psycopg 3 connection pool.
Nothing connects while the app is being built (gunicorn forks after that).
"""
import gc
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from peewee import OperationalError
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from app import create_app
from app.db import make_database

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _settings(tmp_path, url, **extra):
    settings = {
        "TANDEM_ENV": "development",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "TESTING": True,
    }
    settings.update(extra)
    return settings


@pytest.fixture
def sqlite_app(sqlite_template, tmp_path):
    """An app on a migrated SQLite file of its own."""
    path = tmp_path / "settings.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app(_settings(tmp_path, f"sqlite:///{path}"))
    yield app
    app.extensions["database"].close_all()


def _pragma(db, name):
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def _in_thread(fn):
    """Run fn in a new thread (so on a new pooled connection) and return its result."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised in the calling thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if "error" in result:
        raise result["error"]
    return result["value"]


# --- SQLite -----------------------------------------------------------------

def test_sqlite_url_builds_a_pooled_sqlite_database(tmp_path):
    db = make_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert isinstance(db, PooledSqliteDatabase)
    assert db.database == str(tmp_path / "x.sqlite3")


def test_sqlite_relative_and_absolute_urls_point_at_the_right_file(tmp_path):
    assert make_database("sqlite:///instance/tandem.sqlite3").database == "instance/tandem.sqlite3"
    assert make_database(f"sqlite:///{tmp_path}/a.sqlite3").database == f"{tmp_path}/a.sqlite3"


def test_sqlite_connection_uses_wal_busy_timeout_foreign_keys_and_full_sync(sqlite_app):
    db = sqlite_app.extensions["database"]

    def pragmas():
        with db.connection_context():
            return {name: _pragma(db, name) for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")}

    for values in (pragmas(), _in_thread(pragmas)):
        assert values["journal_mode"] == "wal"
        assert values["busy_timeout"] >= 5000
        assert values["foreign_keys"] == 1
        assert values["synchronous"] == 2  # FULL


def test_sqlite_refuses_a_row_that_points_at_no_one(sqlite_app):
    db = sqlite_app.extensions["database"]
    with db.connection_context():
        with pytest.raises(Exception, match="FOREIGN KEY"):
            db.execute_sql(
                "INSERT INTO user_session (key_hash, user_id, created, last_seen, ip) VALUES (?, ?, ?, ?, ?)",
                ("x" * 64, 999, "2024-01-01 00:00:00", "2024-01-01 00:00:00", ""),
            )


def test_atomic_begins_an_immediate_transaction(sqlite_app):
    db = sqlite_app.extensions["database"]
    statements = []
    with db.connection_context():
        db.connection().set_trace_callback(statements.append)
        try:
            with db.atomic():
                db.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()
        finally:
            db.connection().set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]


def test_an_atomic_block_that_has_only_read_already_keeps_other_writers_out(sqlite_app):
    """With a deferred BEGIN both would proceed and one would fail later, halfway through."""
    db = sqlite_app.extensions["database"]
    holding, release = threading.Event(), threading.Event()

    def hold_a_reading_transaction():
        with db.connection_context():
            with db.atomic():
                db.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()
                holding.set()
                release.wait(10)

    holder = threading.Thread(target=hold_a_reading_transaction)
    holder.start()
    try:
        assert holding.wait(10)
        with db.connection_context():
            # Plain reads still go ahead (WAL)...
            assert db.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()[0] == 0
            # ...but a second transaction cannot even begin while the first is open.
            db.execute_sql("PRAGMA busy_timeout = 150")
            started = time.monotonic()
            with pytest.raises(OperationalError, match="locked"):
                with db.atomic():
                    db.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()
            assert time.monotonic() - started >= 0.1  # it waited for the lock before giving up
            db.execute_sql("PRAGMA busy_timeout = 10000")
    finally:
        release.set()
        holder.join(10)


def test_a_second_transaction_waits_for_the_first_and_then_proceeds(sqlite_app):
    db = sqlite_app.extensions["database"]
    holding = threading.Event()
    times = {}

    def hold_briefly():
        with db.connection_context():
            with db.atomic():
                db.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()
                holding.set()
                time.sleep(0.3)
                times["released"] = time.monotonic()

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    try:
        assert holding.wait(10)
        with db.connection_context():
            with db.atomic():
                times["began"] = time.monotonic()
                db.execute_sql("INSERT INTO login_failure (key, created) VALUES (?, ?)", ("k", "2024-01-01"))
    finally:
        holder.join(10)
    assert times["began"] > times["released"], "the second transaction began while the first was open"
    with db.connection_context():
        assert db.execute_sql("SELECT COUNT(*) FROM login_failure").fetchone()[0] == 1


def test_concurrent_read_then_write_transactions_never_fail_and_lose_nothing(sqlite_app):
    db = sqlite_app.extensions["database"]
    errors = []
    per_thread = 15

    def writer(name):
        try:
            with db.connection_context():
                for i in range(per_thread):
                    with db.atomic():
                        count = db.execute_sql("SELECT COUNT(*) FROM login_failure").fetchone()[0]
                        time.sleep(0.001)
                        db.execute_sql("INSERT INTO login_failure (key, created) VALUES (?, ?)",
                                       (f"{name}:{i}:{count}", "2024-01-01"))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with db.connection_context():
        keys = [row[0] for row in db.execute_sql("SELECT key FROM login_failure").fetchall()]
    assert len(keys) == 4 * per_thread
    # Each transaction saw every earlier write: the counts read are all different.
    assert sorted(int(key.rsplit(":", 1)[1]) for key in keys) == list(range(4 * per_thread))


def test_creating_the_app_opens_no_database_connection(tmp_path):
    path = tmp_path / "never-opened.sqlite3"
    app = create_app(_settings(tmp_path, f"sqlite:///{path}"))
    db = app.extensions["database"]
    try:
        assert db.is_closed()
        assert not path.exists(), "create_app opened the SQLite file"
    finally:
        db.close_all()


def test_importing_the_wsgi_module_opens_no_database_connection(tmp_path):
    """gunicorn imports wsgi.py per worker; nothing may connect before that point."""
    path = tmp_path / "wsgi.sqlite3"
    env = dict(os.environ, TANDEM_ENV="development", SECRET_KEY=SECRET, DATABASE_URL=f"sqlite:///{path}",
               TANDEM_INSTANCE=str(tmp_path / "instance"))
    env.pop("SECRET_KEY_FILE", None)
    code = "import wsgi; db = wsgi.app.extensions['database']; print(db.is_closed())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert not path.exists()


# --- PostgreSQL -------------------------------------------------------------

needs_postgres = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                    reason="set TEST_DATABASE_URL to test PostgreSQL")


def test_postgresql_url_builds_a_connection_pool():
    db = make_database("postgresql://tandem:secret@db.example.org:6543/tandem?sslmode=require", pool_size=7)
    assert isinstance(db, PooledPostgresqlDatabase)
    assert db.database == "tandem"
    assert db.connect_params["host"] == "db.example.org"
    assert db.connect_params["port"] == 6543
    assert db.connect_params["user"] == "tandem"
    assert db.connect_params["password"] == "secret"
    assert db.connect_params["sslmode"] == "require"


def test_postgresql_uses_psycopg_3_even_when_psycopg2_is_installed(monkeypatch):
    import peewee

    monkeypatch.setattr(peewee, "psycopg2", object())  # as if psycopg2 were importable too
    db = make_database("postgresql://tandem@localhost/tandem")
    assert isinstance(db._adapter, peewee.Psycopg3Adapter)


def test_an_unknown_database_scheme_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="mysql"):
        make_database("mysql://localhost/tandem")


@needs_postgres
def test_postgresql_connections_are_psycopg_3_and_reused_from_the_pool(postgres_url):
    import psycopg

    db = make_database(postgres_url)
    try:
        with db.connection_context():
            assert isinstance(db.connection(), psycopg.Connection)
            first = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        with db.connection_context():
            second = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        assert first == second, "the connection was not returned to the pool and reused"
    finally:
        db.close_all()


@needs_postgres
def test_creating_the_app_on_postgresql_opens_no_connection(postgres_url, tmp_path):
    import psycopg

    name = postgres_url.rsplit("/", 1)[1]

    def backends():
        with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as conn:
            return conn.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s", (name,)).fetchone()[0]

    # Pools of earlier tests' apps on this worker's database close their connections when they are
    # collected, which may happen at any moment: collect them first, and count only new connections.
    gc.collect()
    before = backends()
    app = create_app(_settings(tmp_path, postgres_url))
    try:
        assert app.extensions["database"].is_closed()
        assert isinstance(app.extensions["database"], PooledPostgresqlDatabase)
        assert backends() <= before
    finally:
        app.extensions["database"].close_all()
