"""Every model, in dependency order: used by tests that compare the schema with migrations."""
from app.audit import AuditEvent
from app.auth.models import Invitation, LoginFailure, PasswordReset, User, UserSession
from app.core.tallies import Tally
from app.goals.models import Goal, GoalStep, GoalUpdate
from app.journal.models import (
    JournalDraft,
    JournalEntry,
    JournalPrompt,
    JournalRead,
    JournalReply,
    JournalSettings,
)
from app.matches.models import Match
from app.meetings.models import ActionItem, CalendarFeed, Meeting, MeetingGoal

ALL_MODELS = [
    User, UserSession, Invitation, PasswordReset, LoginFailure, Match, AuditEvent,
    JournalEntry, JournalDraft, JournalReply, JournalRead, JournalPrompt, JournalSettings,
    Goal, GoalStep, GoalUpdate,
    Meeting, MeetingGoal, ActionItem, CalendarFeed,
    Tally,
]
