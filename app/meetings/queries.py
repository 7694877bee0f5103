"""Read-side helpers for meeting lists, each a fixed number of queries."""
import datetime

from flask import current_app
from peewee import JOIN, fn

from app import policy
from app.auth.models import User
from app.db import utcnow
from app.matches.models import Match
from app.meetings.models import Meeting

MentorUser = User.alias("meeting_mentor")
MenteeUser = User.alias("meeting_mentee")


def with_people(query):
    """Meetings with their match, mentor and mentee joined (one query)."""
    return (
        query.select_extend(Match, MentorUser, MenteeUser)
        .join_from(Meeting, Match)
        .join_from(Match, MentorUser, on=(Match.mentor == MentorUser.id), attr="mentor")
        .join_from(Match, MenteeUser, on=(Match.mentee == MenteeUser.id), attr="mentee")
    )


def upcoming(user, limit=20):
    """Coming meetings of active matches only: once a match is paused or closed its meetings can no
    longer be accepted, moved or cancelled, and the mentor no longer sees them."""
    now = utcnow()
    return list(
        with_people(policy.meetings_visible_to(user))
        .where(Meeting.status.in_(("proposed", "scheduled")) & (Meeting.starts_at >= now - datetime.timedelta(hours=2))
               & (Match.status == "active"))
        .order_by(Meeting.starts_at)
        .limit(limit)
    )


def past(user, page_size=20, offset=0):
    now = utcnow()
    return list(
        with_people(policy.meetings_visible_to(user))
        .where(Meeting.status.in_(("held", "missed", "cancelled"))
               | (Meeting.starts_at < now - datetime.timedelta(hours=2)))
        .order_by(Meeting.starts_at.desc())
        .limit(page_size + 1)
        .offset(offset)
    )


def awaiting_log(mentor):
    """Past meetings of the mentor's active matches not yet logged as held or missed."""
    return list(
        with_people(policy.meetings_visible_to(mentor))
        .where((Meeting.status == "scheduled") & (Meeting.starts_at < utcnow()))
        .order_by(Meeting.starts_at)
        .limit(20)
    )


def attention_days():
    return current_app.config.get("MEETING_ATTENTION_DAYS", 14)


def last_held_by_match(match_ids):
    """{match id: last held meeting time} in one query."""
    if not match_ids:
        return {}
    rows = (
        Meeting.select(Meeting.match, fn.MAX(Meeting.starts_at))
        .where(Meeting.match.in_(match_ids) & (Meeting.status == "held"))
        .group_by(Meeting.match)
        .tuples()
    )
    result = {}
    for match_id, last in rows:
        if isinstance(last, str):
            last = datetime.datetime.fromisoformat(last)
        result[match_id] = last
    return result


def quiet_matches(matches):
    """Matches with no held meeting within MEETING_ATTENTION_DAYS (counted from the match's start
    when they have not met yet, so a match made today is not already overdue)."""
    cutoff = utcnow() - datetime.timedelta(days=attention_days())
    last = last_held_by_match([m.id for m in matches])
    return [(match, last.get(match.id)) for match in matches
            if (last.get(match.id) or match.started) < cutoff]


def last_held(mentee):
    """The mentee's most recent held meeting, for their home page."""
    return (
        with_people(policy.meetings_visible_to(mentee))
        .where(Meeting.status == "held")
        .order_by(Meeting.starts_at.desc())
        .first()
    )
