"""Command-line tasks: migrations, the first coordinator, demo data, backups."""
import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app

from app.db import database, is_sqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def migration_runner():
    from playhouse.migrations import Runner

    return Runner(database.obj, directory=str(MIGRATIONS_DIR))


def upgrade_database():
    """Apply pending migrations; returns the names applied."""
    with database.connection_context():
        return migration_runner().up()


def upgrade_database_at(url):
    """Apply pending migrations to the database at `url` (test templates, benchmark data copies)."""
    from app.db import make_database

    db = make_database(url)
    database.initialize(db)
    try:
        with db.connection_context():
            return migration_runner().up()
    finally:
        db.close_all()


def _read_password(prompt_text, confirm=True):
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(prompt_text, hide_input=True, confirmation_prompt=confirm)


def register(app):
    @app.cli.group("db")
    def db_group():
        """Database migrations."""

    @db_group.command("upgrade")
    def db_upgrade():
        """Apply all pending migrations."""
        applied = upgrade_database()
        click.echo("Applied: " + ", ".join(applied) if applied else "Database is up to date.")

    @db_group.command("status")
    def db_status():
        """List migrations and whether each is applied."""
        with database.connection_context():
            for migration in migration_runner().status():
                state = f"applied {migration.applied:%Y-%m-%d %H:%M}" if migration.applied else "pending"
                click.echo(f"{migration.name:40} {state}")

    @app.cli.command("create-coordinator")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    def create_coordinator(email, name):
        """Create a coordinator account (the password is prompted for, or read from stdin)."""
        from app import audit
        from app.auth.models import User, normalise_email
        from app.auth.passwords import hash_password, password_problems

        email = normalise_email(email)
        with database.connection_context():
            if User.by_email(email):
                raise click.ClickException(f"An account for {email} already exists.")
            password = _read_password("Password")
            problems = password_problems(password, name=name, email=email)
            if problems:
                raise click.ClickException(" ".join(problems))
            with database.atomic():
                user = User.create(email=email, name=name.strip(), role="coordinator",
                                   password_hash=hash_password(password),
                                   timezone=current_app.config["DEFAULT_TIMEZONE"])
                audit.record("person.create_coordinator", obj=user, subject=user, detail="command line")
        click.echo(f"Coordinator {email} created.")

    @app.cli.command("set-password")
    @click.option("--email", required=True)
    def set_password(email):
        """Set someone's password from the server (when mail is not configured)."""
        from app import audit
        from app.auth.models import User
        from app.auth.passwords import hash_password, password_problems
        from app.auth.sessions import end_all_sessions

        with database.connection_context():
            user = User.by_email(email)
            if user is None:
                raise click.ClickException(f"No account for {email}.")
            password = _read_password("New password")
            problems = password_problems(password, name=user.name, email=user.email)
            if problems:
                raise click.ClickException(" ".join(problems))
            with database.atomic():
                user.password_hash = hash_password(password)
                user.save(only=[User.password_hash])
                end_all_sessions(user)
                audit.record("password.set_by_admin", obj=user, subject=user, detail="command line")
        click.echo(f"Password for {user.email} changed; their sessions are signed out.")

    @app.cli.command("demo-data")
    @click.option("--password", required=True, help="Password for every demo account.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has people.")
    def demo_data(password, if_empty):
        """Create a believable demo program."""
        from app.demo import create_demo_program
        from app.auth.models import User

        from app.demo import PEOPLE

        with database.connection_context():
            if if_empty and User.select().exists():
                click.echo("The database already has people; demo data not loaded.")
                demo_emails = [email for email, *_ in PEOPLE]
                if User.select().where(User.email.in_(demo_emails)).count() != len(demo_emails):
                    return
                accounts = [(email, role) for email, _name, role, _tz in PEOPLE]
            else:
                accounts = create_demo_program(password)
        click.echo("Demo accounts (each with the password you gave):")
        for email, role in accounts:
            click.echo(f"  {role:12} {email}")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    def backup(path):
        """Write a consistent copy of the SQLite database to PATH (SQLite's backup API)."""
        if not is_sqlite():
            raise click.ClickException("backup works with SQLite; for PostgreSQL use pg_dump (see README).")
        backup_sqlite(database.obj.database, path)
        click.echo(f"Backup written to {path}")


def backup_sqlite(source_path, target_path):
    """Copy a live SQLite database page by page, consistent even while others write."""
    target = Path(target_path)
    if target.exists():
        raise click.ClickException(f"{target} already exists; choose a new file name.")
    source = sqlite3.connect(source_path)
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            source.backup(destination, pages=1024)
        result = destination.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise click.ClickException(f"The backup failed its integrity check: {result}")
    finally:
        destination.close()
        source.close()
    target.chmod(0o600)
