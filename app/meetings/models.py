"""Meetings of a match: proposed, scheduled, held or missed, with the session log."""
import uuid

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, SmallIntegerField, TextField

from app.auth.models import User
from app.db import BaseModel, utcnow
from app.goals.models import Goal, GoalStep
from app.i18n import label_of
from app.i18n import lazy_gettext as _l
from app.matches.models import Match

FORMATS = {"in_person": _l("In person"), "phone": _l("Phone"), "video": _l("Video")}
STATUSES = {
    "proposed": _l("Proposed"),
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "missed": _l("Missed"),
    "cancelled": _l("Cancelled"),
}
# The badge style (static/css/tandem.css) each status is shown with.
STATUS_BADGES = {"proposed": "pending", "scheduled": "active", "held": "accepted", "missed": "closed",
                 "cancelled": "closed"}
TOPICS = {
    "check_in": _l("General check-in"),
    "goals": _l("Goals"),
    "recovery": _l("Recovery and staying well"),
    "cravings": _l("Cravings and triggers"),
    "mental_health": _l("Mental health"),
    "work": _l("Work or study"),
    "housing": _l("Housing"),
    "relationships": _l("Family and relationships"),
    "money": _l("Money"),
    "services": _l("Finding services"),
}
OWNERS = {"mentee": _l("Mentee"), "mentor": _l("Mentor"), "both": _l("Both")}


def _uid():
    return uuid.uuid4().hex


class Meeting(BaseModel):
    match = ForeignKeyField(Match, backref="meetings", on_delete="CASCADE")
    proposed_by = ForeignKeyField(User, backref="+", null=True, on_delete="SET NULL")
    starts_at = DateTimeField()  # UTC
    duration_minutes = IntegerField(default=60)
    format = CharField(max_length=12, default="in_person")
    place = CharField(max_length=200, default="")
    video_link = CharField(max_length=500, default="")
    agenda = TextField(default="")
    status = CharField(max_length=10, default="proposed")
    change_reason = CharField(max_length=500, default="")
    # The session log (written by the mentor after the time).
    actual_start = DateTimeField(null=True)
    actual_end = DateTimeField(null=True)
    missed_reason = CharField(max_length=500, default="")
    topics = CharField(max_length=300, default="")
    topics_other = CharField(max_length=200, default="")
    summary = TextField(default="")
    private_note = TextField(default="")  # for supervision: mentor and coordinators only
    logged_at = DateTimeField(null=True)
    logged_by = ForeignKeyField(User, backref="+", null=True, on_delete="SET NULL")
    # The mentee's side.
    mentee_reflection = TextField(default="")
    helpfulness = SmallIntegerField(null=True)
    # iCalendar identity: the UID stays, the sequence grows with each change.
    ical_uid = CharField(max_length=64, default=_uid, unique=True)
    sequence = IntegerField(default=0)
    created = DateTimeField(default=utcnow)
    updated = DateTimeField(default=utcnow)

    class Meta:
        # Every list reads the meetings of a person's matches, so every index starts with the match.
        # No index on status or time alone (migration 0012): a lookup on one of those looks selective
        # to SQLite's planner (with no statistics, or with a small program's) and it chose to walk
        # the whole program's meetings in time order, or all held ones, over the match's few.
        indexes = (
            (("match", "starts_at"), False),
            # A match's meetings of one status by time, from the index alone: the last held meeting,
            # and those coming up or waiting to be logged on the home pages.
            (("match", "status", "starts_at"), False),
        )

    @property
    def format_label(self):
        return label_of(FORMATS, self.format)

    @property
    def status_label(self):
        return label_of(STATUSES, self.status)

    @property
    def status_badge(self):
        return STATUS_BADGES.get(self.status, "closed")

    @property
    def topic_keys(self):
        return [key for key in (self.topics or "").split("|") if key in TOPICS]

    @property
    def topic_labels(self):
        labels = [str(TOPICS[key]) for key in self.topic_keys]
        if self.topics_other:
            labels.append(self.topics_other)
        return labels

    @property
    def is_logged(self):
        return self.status in ("held", "missed")

    @property
    def minutes_met(self):
        return minutes_met(self.status, self.actual_start, self.actual_end, self.duration_minutes)


def minutes_met(status, actual_start, actual_end, duration_minutes):
    """Minutes a meeting lasted: the logged start and end if both make sense, else the planned length."""
    if status != "held":
        return 0
    if actual_start and actual_end and actual_end > actual_start:
        return int((actual_end - actual_start).total_seconds() // 60)
    return duration_minutes or 0


class MeetingGoal(BaseModel):
    """A goal discussed in a meeting."""

    meeting = ForeignKeyField(Meeting, backref="goal_links", on_delete="CASCADE")
    goal = ForeignKeyField(Goal, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("meeting", "goal"), True),)


class ActionItem(BaseModel):
    """Something agreed in a meeting; it may also have become a step of a goal."""

    meeting = ForeignKeyField(Meeting, backref="action_items", on_delete="CASCADE")
    title = CharField(max_length=200)
    owner = CharField(max_length=10, default="mentee")
    step = ForeignKeyField(GoalStep, backref="+", null=True, on_delete="SET NULL")
    position = IntegerField(default=0)

    @property
    def owner_label(self):
        return label_of(OWNERS, self.owner)


class CalendarFeed(BaseModel):
    """A person's private calendar feed. Resetting bumps the version, so old links stop working."""

    user = ForeignKeyField(User, backref="+", unique=True, on_delete="CASCADE")
    version = IntegerField(default=1)
    created = DateTimeField(default=utcnow)
