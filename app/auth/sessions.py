"""Server-side sessions on top of flask-login.

The signed cookie holds only a random session key; the database holds its
hash. Signing in creates a new key (the session id changes), signing out
deletes it, and a password change or deactivation deletes all of a person's
sessions, so a replayed old cookie lands on the sign-in page. Idle and
absolute lifetimes are checked on every request.
"""
import datetime

from flask import current_app, g, session
from flask_login import LoginManager, login_user, logout_user

from app.auth.models import User, UserSession, hash_token, new_token
from app.db import utcnow
from app.prepared import PreparedQuery
from app.security import client_address

login_manager = LoginManager()
login_manager.session_protection = None  # the server-side session row is the protection
# Flask-Login hashes the client's address and browser name on every request for session protection,
# and stores the hash in the cookie at sign-in; with protection off the hash is never compared.
login_manager._session_identifier_generator = lambda: None
login_manager.login_view = "auth.login"

# Touch last_seen at most this often, so reading a page is not a write each time.
_TOUCH_EVERY = datetime.timedelta(seconds=60)
_EXPIRED_GRACE = datetime.timedelta(days=1)


# Read on every request, so its SQL is built once (app/prepared.py).
_session_by_key = PreparedQuery(
    lambda key_hash: UserSession.select(UserSession, User).join(User)
    .where(UserSession.key_hash == key_hash).limit(1),
    slots=("key_hash",),
)


@login_manager.user_loader
def load_user(user_id):
    key = session.get("sid")
    if not key:
        return None
    row = _session_by_key.first(key_hash=hash_token(key))
    if row is None or row.expired or str(row.user.id) != str(user_id) or not row.user.active:
        g.session_expired = True
        return None
    now = utcnow()
    settings = current_app.config
    idle = datetime.timedelta(minutes=settings["SESSION_IDLE_MINUTES"])
    absolute = datetime.timedelta(hours=settings["SESSION_MAX_HOURS"])
    if now - row.last_seen > idle or now - row.created > absolute:
        UserSession.update(expired=now).where(UserSession.id == row.id).execute()
        g.session_expired = True
        return None
    if now - row.last_seen > _TOUCH_EVERY:
        UserSession.update(last_seen=now).where(UserSession.id == row.id).execute()
    g.user_session = row
    return row.user


def expired_session_user():
    """The person whose session in this browser timed out within the last day, if any.

    Used only to keep unsaved journal text as that person's draft; it grants no access.
    """
    key = session.get("sid")
    if not key:
        return None
    row = (
        UserSession.select(UserSession, User)
        .join(User)
        .where((UserSession.key_hash == hash_token(key)) & UserSession.expired.is_null(False))
        .first()
    )
    if row is None or not row.user.active or utcnow() - row.expired > _EXPIRED_GRACE:
        return None
    return row.user


def start_session(user):
    """Sign in with a brand-new session key (any earlier session data is dropped)."""
    key = session.get("sid")
    if key:
        UserSession.delete().where(UserSession.key_hash == hash_token(key)).execute()
    UserSession.delete().where(
        UserSession.expired.is_null(False) & (UserSession.expired < utcnow() - _EXPIRED_GRACE)
    ).execute()
    session.clear()
    key = new_token()
    UserSession.create(key_hash=hash_token(key), user=user, ip=client_address())
    session["sid"] = key
    session.permanent = True
    login_user(user)


def end_session():
    """Sign out this browser: its session row is deleted, so the cookie is worthless."""
    key = session.get("sid")
    if key:
        UserSession.delete().where(UserSession.key_hash == hash_token(key)).execute()
    logout_user()
    session.clear()


def end_all_sessions(user, keep_current=False):
    """Sign a person out everywhere (password change, deactivation)."""
    query = UserSession.delete().where(UserSession.user == user)
    if keep_current and session.get("sid"):
        query = query.where(UserSession.key_hash != hash_token(session["sid"]))
    query.execute()
