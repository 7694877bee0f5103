"""Goals a mentee and their mentor set together, their steps, and the timeline of progress."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.auth.models import User
from app.db import BaseModel, utcnow
from app.i18n import label_of
from app.i18n import lazy_gettext as _l

AREAS = {
    "recovery": _l("Recovery"),
    "physical_health": _l("Physical health"),
    "mental_health": _l("Mental health"),
    "work_study": _l("Work or study"),
    "housing": _l("Housing"),
    "relationships": _l("Relationships"),
    "money": _l("Money"),
    "other": _l("Other"),
}
STATUSES = {
    "active": _l("Working on it"),
    "achieved": _l("Achieved"),
    "paused": _l("Paused"),
    "let_go": _l("Let go"),
}
UPDATE_KINDS = ("note", "created", "edited", "status", "step_added", "step_done", "step_undone",
                "step_renamed", "step_moved", "step_removed")


class Goal(BaseModel):
    mentee = ForeignKeyField(User, backref="goals", on_delete="CASCADE")
    title = CharField(max_length=200)
    why = TextField(default="")
    area = CharField(max_length=20, default="other")
    target_date = DateField(null=True)
    status = CharField(max_length=10, default="active")
    status_note = TextField(default="")
    created_by = ForeignKeyField(User, backref="+", null=True, on_delete="SET NULL")
    created = DateTimeField(default=utcnow)
    updated = DateTimeField(default=utcnow)
    achieved_at = DateTimeField(null=True)
    # Last time anyone touched the goal (step, note, status): "no update for 14 days".
    last_activity = DateTimeField(default=utcnow)

    class Meta:
        # The mentor's count of goals gone quiet reads this index alone (migration 0011).
        indexes = ((("mentee", "status", "last_activity"), False),)

    @property
    def area_label(self):
        return label_of(AREAS, self.area)

    @property
    def status_label(self):
        return label_of(STATUSES, self.status)


class GoalStep(BaseModel):
    goal = ForeignKeyField(Goal, backref="steps", on_delete="CASCADE")
    title = CharField(max_length=200)
    due_date = DateField(null=True)
    position = IntegerField(default=0)
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(User, backref="+", null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, backref="+", null=True, on_delete="SET NULL")
    created = DateTimeField(default=utcnow)

    class Meta:
        # (goal, done_at, due_date): steps done, and open steps due soon, counted from the index alone.
        indexes = ((("goal", "position"), False), (("due_date",), False), (("goal", "done_at", "due_date"), False))

    @property
    def is_done(self):
        return self.done_at is not None


class GoalUpdate(BaseModel):
    """One line of a goal's timeline: a progress note, or a record of a change."""

    goal = ForeignKeyField(Goal, backref="updates", on_delete="CASCADE")
    author = ForeignKeyField(User, backref="+", null=True, on_delete="SET NULL")
    kind = CharField(max_length=16, default="note")
    body = TextField(default="")
    created = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("goal", "created"), False),)
