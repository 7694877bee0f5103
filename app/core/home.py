"""What each role sees first after signing in."""
from flask import render_template
from peewee import JOIN, Select, fn

from app.audit import AuditEvent
from app.auth.models import Invitation, User
from app.core.tallies import dashboard_counts
from app.db import utcnow
from app.goals.queries import (due_soon_last_day, goals_of, stale_goals_count, stale_since,
                               steps_due_soon_count)
from app.journal.drafts import get_draft
from app.journal.mentor_views import unread_shared_count
from app.journal.models import JournalEntry, JournalReply, local_today
from app.journal.mood import streak
from app.matches.models import Match
from app.meetings import queries as meeting_queries
from app.meetings.list_rows import meeting_rows
from app.prepared import PreparedQuery


def render_home(user):
    if user.role == "coordinator":
        return _coordinator_home(user)
    if user.role == "mentor":
        return _mentor_home(user)
    return _mentee_home(user)


# The home pages are the most visited: their queries are prepared once (app/prepared.py).
_recent_replies = PreparedQuery(
    lambda mentee: JournalReply.select(JournalReply, JournalEntry.id, JournalEntry.entry_date)
    .join(JournalEntry)
    .where(JournalReply.mentee == mentee)
    .order_by(JournalReply.created.desc())
    .limit(3),
    slots=("mentee",),
)
_mentor_matches = PreparedQuery(
    lambda mentor: Match.select(Match, User.id, User.name)
    .join(User, on=Match.mentee)
    .where((Match.mentor == mentor) & (Match.status.in_(("active", "paused"))))
    .order_by(Match.status, User.name),
    slots=("mentor",),
)
# What the mentor's home counts, asked in one statement: entries shared and unread, open steps due
# within a week (or overdue), goals quiet for two weeks.
_mentor_counts = PreparedQuery(
    lambda mentor, last_day, quiet_since: Select(columns=(
        unread_shared_count(mentor), steps_due_soon_count(mentor, last_day), stale_goals_count(mentor, quiet_since))),
    slots=("last_day", "quiet_since"), person_slots=("mentor",),
)


def _open_match(matches):
    """The mentee's active or paused match (the latest started, should there be two), or None."""
    open_matches = [match for match in matches.values() if match.status in ("active", "paused")]
    return max(open_matches, key=lambda match: match.started, default=None)


def _mentee_home(user):
    matches = meeting_queries.party_matches(user)  # the mentee's matches, for the meetings and the match
    recent_replies = _recent_replies.all(mentee=user)
    upcoming_meetings, last_meeting, _awaiting = meeting_queries.home_meetings(user, matches)
    draft = get_draft(user, "new")
    return render_template(
        "core/home_mentee.html", match=_open_match(matches), recent_replies=recent_replies,
        upcoming_meetings=meeting_rows(upcoming_meetings, matches, user), last_meeting=last_meeting,
        goals=goals_of(user, user, ("active",)),
        draft=draft if draft and not draft.is_empty else None,
        streak=streak(user, local_today(user.timezone)),
    )


def _mentor_home(user):
    matches = _mentor_matches.all(mentor=user)
    for match in matches:
        match.__rel__["mentor"] = user
    # The mentor's meetings are all in these matches (active ones), read with the mentees' names.
    matches_by_id = {match.id: match for match in matches}
    upcoming_meetings, _last, awaiting_log = meeting_queries.home_meetings(user, matches_by_id)
    unread_shared, due_steps, stale_goals = _mentor_counts.row(
        mentor=user, last_day=due_soon_last_day(local_today(user.timezone)), quiet_since=stale_since())
    return render_template(
        "core/home_mentor.html", matches=matches, unread_shared=unread_shared,
        upcoming_meetings=meeting_rows(upcoming_meetings, matches_by_id, user), awaiting_log=awaiting_log,
        quiet=meeting_queries.quiet_matches([m for m in matches if m.status == "active"]),
        attention_days=meeting_queries.attention_days(), due_steps=due_steps, stale_goals=stale_goals,
    )


_pending_invitations = PreparedQuery(
    lambda now: Invitation.select(fn.COUNT(Invitation.id))
    .where(Invitation.accepted.is_null() & Invitation.revoked.is_null() & (Invitation.expires > now)),
    slots=("now",),
)
_waiting_mentees = PreparedQuery(lambda: waiting_mentees())
_recent_events = PreparedQuery(
    lambda: AuditEvent.select(AuditEvent, User.id, User.name)
    .join(User, JOIN.LEFT_OUTER, on=AuditEvent.actor)
    .order_by(AuditEvent.created.desc(), AuditEvent.id.desc())
    .limit(8)
)


def _coordinator_home(user):
    role_counts, match_counts = dashboard_counts()  # kept by the database (app/core/tallies.py)
    pending_invitations = _pending_invitations.scalar(now=utcnow())
    waiting = _waiting_mentees.all()
    recent_events = _recent_events.all()
    return render_template(
        "core/home_coordinator.html",
        role_counts=role_counts,
        pending_invitations=pending_invitations,
        match_counts=match_counts,
        waiting=waiting,
        recent_events=recent_events,
    )


def waiting_mentees():
    """Active mentees with no open (active or paused) match: read through the index of the
    trigger-kept count (migration 0006), so the cost follows the waiting, not the program."""
    return (
        User.select()
        .where((User.role == "mentee") & (User.active == True) & (User.open_matches == 0))  # noqa: E712
        .order_by(User.created)
    )
