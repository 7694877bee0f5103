"""Read-side helpers for meeting lists, each a fixed number of queries."""
import datetime
import operator

from flask import current_app
from peewee import SQL, fn

from app import policy
from app.auth.models import User
from app.db import utcnow
from app.matches.models import Match
from app.meetings.models import Meeting
from app.prepared import PreparedQuery

MentorUser = User.alias("meeting_mentor")
MenteeUser = User.alias("meeting_mentee")


# What lists and home pages show of a meeting: never the log's long texts.
LIST_FIELDS = (Meeting.id, Meeting.match, Meeting.proposed_by, Meeting.starts_at, Meeting.duration_minutes,
               Meeting.format, Meeting.status, Meeting.helpfulness,
               (Meeting.mentee_reflection != "").alias("has_reflection"))


def listed(query, full=False):
    """Meetings (list fields, or every field), without their match: the match and its two people come
    from `party_matches`, read once for the whole list. A list's meetings share one or a few matches,
    so joining them to every row read the same match and names again and again; a list that filters
    on the match's status joins the match for that alone."""
    return query.select(*(Meeting._meta.sorted_fields if full else LIST_FIELDS))


_party_matches = PreparedQuery(
    lambda viewer: Match.select(Match, MentorUser.id, MentorUser.name, MenteeUser.id, MenteeUser.name)
    .join_from(Match, MentorUser, on=(Match.mentor == MentorUser.id), attr="mentor")
    .join_from(Match, MenteeUser, on=(Match.mentee == MenteeUser.id), attr="mentee")
    .where((Match.mentor == viewer) | (Match.mentee == viewer)),
    slots=("viewer",),
)


def party_matches(user):
    """{match id: match with its mentor and mentee (id and name)} of every match `user` is part of,
    whatever its status: every meeting a mentee or a mentor may see is in one of them."""
    return {match.id: match for match in _party_matches.all(viewer=user)}


def with_matches(meetings, matches):
    """The meetings, each holding its match from `matches` (from `party_matches`). A meeting whose
    match is not there (none should be) loads it on first use, as any peewee object does."""
    for meeting in meetings:
        match = matches.get(meeting.match_id)
        if match is not None:
            meeting.__rel__["match"] = match
    return meetings


# Meetings at most this long past their start still count as "coming" (one may be running late).
RUNNING_LATE = datetime.timedelta(hours=2)
# A mentor's list of past meetings still to log shows the oldest this many.
AWAITING_LOG_LIMIT = 20


def _own_active_match(viewer):
    """The joined match is active and the viewer's own (as mentee or mentor). Policy already keeps
    the meetings to the viewer's matches; naming the viewer here too lets SQLite's planner start from
    the viewer's active matches rather than from every active match of the program."""
    active = Match.status == "active"
    if viewer.role == "mentee":
        return active & (Match.mentee == viewer)
    if viewer.role == "mentor":
        return active & (Match.mentor == viewer)
    return active


def _upcoming_query(viewer, since, limit, full):
    return (
        listed(policy.meetings_visible_to(viewer), full=full)
        .join_from(Meeting, Match)
        .where(Meeting.status.in_(("proposed", "scheduled")) & (Meeting.starts_at >= since)
               & _own_active_match(viewer))
        .order_by(Meeting.starts_at)
        .limit(limit)
    )


_upcoming = PreparedQuery(_upcoming_query, slots=("since",), person_slots=("viewer",))


def upcoming(user, matches, limit=20, full=False):
    """Coming meetings of active matches only: once a match is paused or closed its meetings can no
    longer be accepted, moved or cancelled, and the mentor no longer sees them."""
    return with_matches(_upcoming.all(viewer=user, since=utcnow() - RUNNING_LATE, limit=limit, full=full), matches)


def _past_query(viewer, since, limit, offset):
    return (
        listed(policy.meetings_visible_to(viewer))
        .where(Meeting.status.in_(("held", "missed", "cancelled")) | (Meeting.starts_at < since))
        .order_by(Meeting.starts_at.desc())
        .limit(limit)
        .offset(offset)
    )


_past = PreparedQuery(_past_query, slots=("since", "offset"), person_slots=("viewer",))


def past(user, matches, page_size=20, offset=0):
    return with_matches(_past.all(viewer=user, since=utcnow() - RUNNING_LATE, limit=page_size + 1, offset=offset),
                        matches)


def _awaiting_log_query(mentor, now):
    """Past meetings of the mentor's active matches not yet logged as held or missed, the oldest first."""
    return (listed(policy.meetings_visible_to(mentor))
            .where((Meeting.status == "scheduled") & (Meeting.starts_at < now))
            .order_by(Meeting.starts_at)
            .limit(AWAITING_LOG_LIMIT))


def _two_parts(first, second):
    """One statement for two lists of meetings, each read in its own order and limit; a column says
    which list a row belongs to."""
    return (first.select_extend(SQL("0").alias("list_part"))
            .union_all(second.select_extend(SQL("1").alias("list_part"))))


def _split(rows):
    """The rows of `_two_parts` as its two lists. A union promises no order across or within its
    parts, so each list is put back in order of start time here."""
    by_start = operator.attrgetter("starts_at")
    return (sorted((row for row in rows if not row.list_part), key=by_start),
            sorted((row for row in rows if row.list_part), key=by_start))


def awaiting_log(mentor, matches):
    """Past meetings of the mentor's active matches not yet logged as held or missed."""
    return with_matches(list(_awaiting_log_query(mentor, utcnow())), matches)


def attention_days():
    return current_app.config.get("MEETING_ATTENTION_DAYS", 14)


def _quiet_cutoff():
    """A match whose last held meeting (or, never having met, whose start) is before this is quiet."""
    return utcnow() - datetime.timedelta(days=attention_days())


def _quiet_since():
    """When a match went quiet: its last held meeting (kept on the match by migration 0013), or its
    start when it has not met yet, so a match made today is not overdue."""
    return fn.COALESCE(Match.last_held, Match.started)


def quiet_matches(matches):
    """The matches with no held meeting within MEETING_ATTENTION_DAYS (see `_quiet_since`)."""
    cutoff = _quiet_cutoff()
    return [match for match in matches if (match.last_held or match.started) < cutoff]


def quiet_active_matches():
    """The program's active matches that `quiet_matches` would keep, chosen and ordered by the
    database (the longest quiet first), with both people's names: the coordinator's list pages
    through them."""
    return (Match.select(Match, MentorUser.id, MentorUser.name, MenteeUser.id, MenteeUser.name)
            .join_from(Match, MentorUser, on=(Match.mentor == MentorUser.id), attr="mentor")
            .join_from(Match, MenteeUser, on=(Match.mentee == MenteeUser.id), attr="mentee")
            .where((Match.status == "active") & (_quiet_since() < _quiet_cutoff()))
            .order_by(_quiet_since(), Match.id))


def _home_meetings_query(viewer, now, since, limit):
    # Two lists in one statement, each read through the match's index in its own order and limit:
    # the coming meetings, and the last held one (mentee) or those waiting to be logged (mentor).
    # Asked as one condition with OR, SQLite read both through a merged index search and sorted the
    # result (tests/meetings/test_meeting_plans.py).
    coming = _upcoming_query(viewer, since, limit, False)
    if viewer.role == "mentor":
        return _two_parts(coming, _awaiting_log_query(viewer, now))
    last_held = (listed(policy.meetings_visible_to(viewer)).where(Meeting.status == "held")
                 .order_by(Meeting.starts_at.desc()).limit(1))
    return _two_parts(coming, last_held)


_home_meetings = PreparedQuery(_home_meetings_query, slots=("now", "since"), person_slots=("viewer",))


def home_meetings(user, matches, limit=5):
    """For a home page, in one query: upcoming meetings, and the last held one (mentee) or those
    waiting to be logged (mentor). Returns (upcoming, last_held, awaiting_log), None or [] for
    what the viewer's home does not show."""
    now = utcnow()
    since = now - RUNNING_LATE
    rows = with_matches(_home_meetings.all(viewer=user, now=now, since=since, limit=limit), matches)
    upcoming, earlier = _split(rows)
    if user.role == "mentor":
        return upcoming, None, earlier
    return upcoming, (earlier[0] if earlier else None), []
