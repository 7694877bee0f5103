"""The deferred database, the base model, and per-request connections.

SQLite is tuned for several gunicorn workers writing at once: WAL, a busy
timeout, foreign keys, synchronous=FULL, and every transaction opened by
`database.atomic()` begins IMMEDIATE so a read-then-write never fails with
"database is locked" halfway through. PostgreSQL goes through a connection
pool. Nothing connects until the first query of a request, so no connection
is ever opened before gunicorn forks.
"""
import datetime
from urllib.parse import parse_qs, unquote, urlparse

from peewee import DatabaseProxy, Model
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "full",
    # 4 MiB of page cache per connection (one per worker thread); the operating system caches
    # the file too, so a bigger cache only grows each worker's memory.
    "cache_size": -4000,
    "temp_store": "memory",
}


def utcnow():
    """Naive UTC timestamp: the database stores UTC, views convert to the viewer's zone."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def make_database(url, pool_size=10):
    """Build a peewee database from a DATABASE_URL (sqlite:///path or postgresql://...)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if url.startswith("sqlite:////"):
            path = "/" + path.lstrip("/")
        elif url.startswith("sqlite:///"):
            path = path[1:] if path.startswith("/") else path
        # Connections are kept per worker thread and reused across requests;
        # stale_timeout recycles them now and then.
        return PooledSqliteDatabase(
            path,
            pragmas=SQLITE_PRAGMAS,
            lock_type="IMMEDIATE",
            timeout=10,
            max_connections=pool_size * 4,
            stale_timeout=3600,
            check_same_thread=False,
        )
    if parsed.scheme in ("postgres", "postgresql"):
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return PooledPostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            max_connections=pool_size,
            stale_timeout=300,
            timeout=10,
            prefer_psycopg3=True,  # peewee would pick psycopg2 if it happened to be installed
            **options,
        )
    raise ValueError(f"Unsupported DATABASE_URL scheme {parsed.scheme!r}: use sqlite:/// or postgresql://")


def is_sqlite(db=None):
    db = db or database.obj
    return isinstance(db, PooledSqliteDatabase)


def init_app(app):
    """Bind the proxy to this app's database and return connections after each request."""
    db = make_database(app.config["DATABASE_URL"], app.config.get("DATABASE_POOL_SIZE", 10))
    database.initialize(db)
    app.extensions["database"] = db

    @app.teardown_appcontext
    def _close_connection(exc):
        if not db.is_closed():
            db.close()

    return db


def for_update(query):
    """Lock the selected rows until the transaction ends (PostgreSQL).

    On SQLite every write transaction already begins IMMEDIATE, which
    serialises writers, so the query is left as it is.
    """
    return query if is_sqlite() else query.for_update()
