"""Shared fixtures: a real database per test (SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set), the app, personas, query counting and a real SMTP server.

Every test that uses `app` runs once per backend: ids end in [sqlite] or [postgres].
"""
import contextvars
import logging
import os
import re
import shutil
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

import pytest
from flask.testing import FlaskClient

from app import create_app
from app.cli import upgrade_database_at

TEST_PASSWORD = "purple otter climbs slowly"
BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL") else [])
TABLES_TO_KEEP = {"schema_migration"}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file, made once per worker and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade_database_at(f"sqlite:///{path}")
    return path


def _worker_suffix():
    """Unique per worker and per run, so two runs at once never share a database."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{run}"


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own for this worker, migrated once, dropped at the end."""
    import psycopg

    base = os.environ["TEST_DATABASE_URL"]
    parsed = urlparse(base)
    name = f"tandem_test_{_worker_suffix()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunparse(parsed._replace(path="/" + name))
    upgrade_database_at(url)
    yield url
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_postgres(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
        tables = [t for t in tables if t not in TABLES_TO_KEEP]
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def database_url(backend, tmp_path, request):
    if backend == "sqlite":
        path = tmp_path / "tandem.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The `app` fixture keeps an app context open for the whole test, and Flask
    reuses an open app context for requests: `g` (where flask-login caches the
    signed-in user) would then leak from one request, or one client, into the
    next. An empty contextvars context makes Flask push a fresh one.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app_factory(database_url, tmp_path):
    """Build apps on this test's database; several apps may share it (several workers)."""
    made = []

    def factory(**overrides):
        settings = {
            "TANDEM_ENV": "development",
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "BASE_URL": "http://localhost",
            "WTF_CSRF_ENABLED": False,
            "TESTING": True,
        }
        settings.update(overrides)
        app = create_app(settings)
        app.test_client_class = FreshContextClient
        made.append(app)
        return app

    yield factory
    for app in made:
        app.extensions["database"].close_all()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Personas:
    mentee_a: object
    mentor_a: object
    mentee_b: object
    mentor_b: object
    coordinator: object
    match_a: object
    match_b: object

    def by_name(self, name):
        return getattr(self, name)


PERSONA_NAMES = ["mentee_a", "mentor_a", "mentee_b", "mentor_b", "coordinator", "anonymous"]

_hash_cache = {}


def password_hash():
    """Hashing is slow on purpose; tests hash the shared password once."""
    from app.auth.passwords import hash_password

    if "hash" not in _hash_cache:
        _hash_cache["hash"] = hash_password(TEST_PASSWORD)
    return _hash_cache["hash"]


def make_user(email, name, role, **fields):
    from app.auth.models import User

    return User.create(email=email, name=name, role=role, password_hash=password_hash(), **fields)


@pytest.fixture
def personas(app):
    """Mentee A with mentor A, mentee B with mentor B (both active), and a coordinator."""
    from app.matches.models import Match

    mentee_a = make_user("mentee.a@example.org", "Ada Mentee", "mentee")
    mentor_a = make_user("mentor.a@example.org", "Abe Mentor", "mentor")
    mentee_b = make_user("mentee.b@example.org", "Bea Mentee", "mentee")
    mentor_b = make_user("mentor.b@example.org", "Bob Mentor", "mentor")
    coordinator = make_user("coord@example.org", "Cora Coordinator", "coordinator")
    match_a = Match.create(mentor=mentor_a, mentee=mentee_a)
    match_b = Match.create(mentor=mentor_b, mentee=mentee_b)
    return Personas(mentee_a, mentor_a, mentee_b, mentor_b, coordinator, match_a, match_b)


def login(client, user_or_email, password=TEST_PASSWORD, **extra):
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    data = {"email": email, "password": password}
    data.update(extra)
    return client.post("/login", data=data)


@pytest.fixture
def login_as(app, personas):
    """login_as('mentor_a') -> a test client signed in as that persona (or anonymous)."""

    def _login(name):
        client = app.test_client()
        if name != "anonymous":
            response = login(client, personas.by_name(name))
            assert response.status_code == 303, response.text
        return client

    return _login


def signed_in_client(app, user):
    """A browser signed in as `user` through a real server-side session row.

    The same session row and cookie as signing in through /login, without hashing the
    password (argon2 is slow on purpose, and area tests sign in a lot). The sign-in
    form itself is tested in tests/auth.
    """
    from app.auth.models import UserSession, hash_token, new_token

    key = new_token()
    UserSession.create(key_hash=hash_token(key), user=user)
    client = app.test_client()
    with client.session_transaction() as session:
        session["sid"] = key
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session.permanent = True
    return client


@pytest.fixture
def quick_login_as(app, personas):
    """Like login_as, without the password hashing of a real sign-in."""

    def _login(name):
        if name == "anonymous":
            return app.test_client()
        return signed_in_client(app, personas.by_name(name))

    return _login


class QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.queries = []
        self.statements = []  # (sql, params) of each statement, as peewee sent it

    def emit(self, record):
        self.queries.append(record.getMessage())
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            self.statements.append(record.msg)

    @property
    def count(self):
        return len(self.queries)


@contextmanager
def count_queries():
    """Count SQL statements peewee sends while the block runs."""
    logger = logging.getLogger("peewee")
    handler = QueryCounter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@pytest.fixture
def query_counter():
    return count_queries


def sqlite_plan(sql, params=()):
    """The lines of SQLite's EXPLAIN QUERY PLAN for a statement, on the test's database."""
    from app.db import database

    return [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            from email import message_from_bytes, policy

            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

        def wait_for(self, count=1, timeout=5):
            deadline = time.time() + timeout
            while len(self.messages) < count and time.time() < deadline:
                time.sleep(0.02)
            return self.messages

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    try:
        yield inbox
    finally:
        controller.stop()


def csrf_token_from(html):
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


def write_catalogue(directory, locale, texts):
    """A compiled message catalogue for `locale` under `directory` (a BABEL_TRANSLATION_DIRECTORIES
    entry), holding `texts` ({English: translation}). Flask-Babel keeps a loaded catalogue for the
    process, so each test that needs one uses a language no other test uses."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=locale)
    for text, translation in texts.items():
        catalog.add(text, translation)
    target = directory / locale / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    return directory
