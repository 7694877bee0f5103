"""People, their sessions, invitations, password resets and login throttling."""
import datetime
import hashlib
import secrets

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from app.db import BaseModel, utcnow
from app.i18n import label_of
from app.i18n import lazy_gettext as _l

ROLES = ("coordinator", "mentor", "mentee")
ROLE_LABELS = {
    "coordinator": _l("Coordinator"),
    "mentor": _l("Mentor"),
    "mentee": _l("Mentee"),
}


def new_token():
    """A URL-safe random token; only its hash is ever stored."""
    return secrets.token_urlsafe(32)


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class User(BaseModel):
    """A person in the program. Deactivated people keep their data but cannot sign in."""

    email = CharField(max_length=254, unique=True)
    name = CharField(max_length=120)
    role = CharField(max_length=20)
    password_hash = CharField(max_length=255)
    active = BooleanField(default=True)
    timezone = CharField(max_length=64, default="America/New_York")
    locale = CharField(max_length=10, default="en")
    created = DateTimeField(default=utcnow)
    # A mentee's active or paused matches, kept by database triggers (migration 0006); never
    # written by the app, and every save of a person names the fields it changes.
    open_matches = IntegerField(default=0)

    class Meta:
        # Role lookups, head counts by role, and mentees waiting for a match, from the index alone.
        indexes = ((("role", "active", "open_matches"), False),)
        only_save_dirty = True  # so a save can never write back a stale open_matches

    # flask-login protocol
    @property
    def is_authenticated(self):
        return True

    @property
    def is_active(self):
        return self.active

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        return str(self.id)

    @property
    def role_label(self):
        return label_of(ROLE_LABELS, self.role)

    @property
    def is_coordinator(self):
        return self.role == "coordinator"

    @property
    def is_mentor(self):
        return self.role == "mentor"

    @property
    def is_mentee(self):
        return self.role == "mentee"

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == normalise_email(email))


def normalise_email(email):
    return (email or "").strip().lower()


class UserSession(BaseModel):
    """A server-side sign-in. Deleting the row signs that browser out for good.

    A session that timed out is kept for a day, marked `expired`: it no longer
    signs anyone in, but lets the journal keep text typed just before the
    timeout as a draft (see app.auth.sessions.expired_session_user).
    """

    key_hash = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    created = DateTimeField(default=utcnow)
    last_seen = DateTimeField(default=utcnow)
    expired = DateTimeField(null=True)
    ip = CharField(max_length=64, default="")


class Invitation(BaseModel):
    """A single-use, expiring link that lets someone join with a given role."""

    email = CharField(max_length=254, index=True)
    role = CharField(max_length=20)
    token_hash = CharField(max_length=64, unique=True)
    invited_by = ForeignKeyField(User, backref="invitations_sent", null=True, on_delete="SET NULL")
    created = DateTimeField(default=utcnow)
    expires = DateTimeField()
    accepted = DateTimeField(null=True)
    accepted_user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    revoked = DateTimeField(null=True)

    VALID_DAYS = 7

    @property
    def status(self):
        if self.accepted:
            return "accepted"
        if self.revoked:
            return "revoked"
        if self.expires <= utcnow():
            return "expired"
        return "pending"

    @classmethod
    def find_usable(cls, token):
        """The pending invitation for this token, or None if unknown, used, revoked or expired."""
        if not token or len(token) > 200:
            return None
        invitation = cls.get_or_none(cls.token_hash == hash_token(token))
        if invitation is None or invitation.status != "pending":
            return None
        return invitation


class PasswordReset(BaseModel):
    """A single-use password reset link, valid for an hour."""

    user = ForeignKeyField(User, backref="password_resets", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created = DateTimeField(default=utcnow)
    expires = DateTimeField()
    used = DateTimeField(null=True)

    VALID_MINUTES = 60

    @classmethod
    def find_usable(cls, token):
        if not token or len(token) > 200:
            return None
        reset = cls.get_or_none(cls.token_hash == hash_token(token))
        if reset is None or reset.used or reset.expires <= utcnow() or not reset.user.active:
            return None
        return reset


class LoginFailure(BaseModel):
    """One failed sign-in, keyed by account and by client address (shared by all workers)."""

    key = CharField(max_length=300, index=True)
    created = DateTimeField(default=utcnow, index=True)


def expiry(days=0, minutes=0):
    return utcnow() + datetime.timedelta(days=days, minutes=minutes)
