"""Matches: a mentor paired with a mentee. Access to a mentee's data flows only through an active one."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from app.auth.models import User
from app.db import BaseModel, utcnow
from app.i18n import label_of
from app.i18n import lazy_gettext as _l

MATCH_STATUS_LABELS = {
    "active": _l("Active"),
    "paused": _l("Paused"),
    "closed": _l("Closed"),
}


class Match(BaseModel):
    mentor = ForeignKeyField(User, backref="mentor_matches", on_delete="RESTRICT")
    mentee = ForeignKeyField(User, backref="mentee_matches", on_delete="RESTRICT")
    status = CharField(max_length=10, default="active")
    started = DateTimeField(default=utcnow)
    ended = DateTimeField(null=True)
    status_reason = TextField(default="")
    closure_reason = TextField(default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    # The start of the match's last held meeting, kept by database triggers (migration 0013) so the
    # quiet-match lists need not search every match's meetings. The app never writes it.
    last_held = DateTimeField(null=True)

    class Meta:
        only_save_dirty = True  # so a save can never write back a stale last_held
        # Counts by status, and "who has an open match" for the waiting list, from the index alone.
        indexes = ((("status", "mentee"), False),)

    @property
    def status_label(self):
        return label_of(MATCH_STATUS_LABELS, self.status)

    @property
    def is_open(self):
        return self.status in ("active", "paused")

    @classmethod
    def open_for_mentee(cls, mentee):
        """The mentee's current (active or paused) match, if any."""
        return (
            cls.select()
            .where((cls.mentee == mentee) & (cls.status.in_(("active", "paused"))))
            .order_by(cls.started.desc())
            .first()
        )
