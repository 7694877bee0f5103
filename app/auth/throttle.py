"""Login throttling kept in the database, so it holds across workers and hosts.

After LOGIN_MAX_FAILURES failures within LOGIN_WINDOW_MINUTES for an account
or for a client address, further attempts are refused (429), even with the
right password, until the window has passed.
"""
import datetime
import hashlib

from flask import current_app

from app.auth.models import LoginFailure, normalise_email
from app.db import database, utcnow


def _keys(email, address):
    """Keys for the account and the address. The typed email is kept only as a hash:
    people sometimes type a password into the email field."""
    account = hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()
    return [f"account:{account}", f"address:{address}"]


def _window_start():
    return utcnow() - datetime.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def is_throttled(email, address):
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    for key in _keys(email, address):
        count = (
            LoginFailure.select()
            .where((LoginFailure.key == key) & (LoginFailure.created > _window_start()))
            .count()
        )
        if count >= limit:
            return True
    return False


def record_failure(email, address):
    with database.atomic():
        LoginFailure.insert_many([{"key": key} for key in _keys(email, address)]).execute()
        # Keep the table small: forget failures older than a day.
        LoginFailure.delete().where(LoginFailure.created < utcnow() - datetime.timedelta(days=1)).execute()


def clear_account_failures(email):
    LoginFailure.delete().where(LoginFailure.key == _keys(email, "")[0]).execute()
