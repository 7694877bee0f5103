"""Who may see or change what. Every query of people's data goes through here.

The rules are DESIGN.md's "who sees what" table. A mentor reaches a mentee's
data only through an active match; anything outside the rules is a 404
(never a 403), so a stranger cannot learn that an object exists.
"""
from flask import abort

from app.auth.models import User
from app.current_person import current_person
from app.matches.models import Match
from app.prepared import PreparedQuery


def require(condition):
    """404 unless the condition holds; a signed-in person's refusal is audited."""
    if not condition:
        _record_denial()
        abort(404)


def _record_denial():
    from flask import has_request_context, request

    if has_request_context() and current_person().is_authenticated:
        from app import audit

        audit.record("access.denied", detail=f"{request.method} {request.path}"[:255])


def is_coordinator(user):
    return bool(user and user.is_authenticated and user.role == "coordinator")


def _supported(mentor, column):
    """The mentor's active matches with a mentee who can still sign in: the only door to a mentee's data."""
    return (
        Match.select(column)
        .join(User, on=(Match.mentee == User.id))
        .where((Match.mentor == mentor) & (Match.status == "active") & (User.active == True))  # noqa: E712
    )


def supported_matches(mentor):
    return _supported(mentor, Match.id)


def supported_mentee_ids(mentor):
    return _supported(mentor, Match.mentee)


def active_match_between(mentor, mentee):
    return (
        Match.select()
        .where((Match.mentor == mentor) & (Match.mentee == mentee) & (Match.status == "active"))
        .first()
    )


def is_active_mentor_of(user, mentee):
    return bool(user and user.is_authenticated and user.role == "mentor" and mentee.active
                and active_match_between(user, mentee))


_active_match_with_mentor = PreparedQuery(
    lambda mentee: Match.select(Match, User).join(User, on=Match.mentor)
    .where((Match.mentee == mentee) & (Match.status == "active")).limit(1),
    slots=("mentee",),
)


def active_mentor_of(mentee):
    """The mentee's mentor while their match is active, else None."""
    match = _active_match_with_mentor.first(mentee=mentee)
    return match.mentor if match else None


def mentees_of(mentor):
    """Mentees the mentor may currently support (active matches only)."""
    return (
        User.select()
        .join(Match, on=(Match.mentee == User.id))
        .where((Match.mentor == mentor) & (Match.status == "active") & (User.active == True))  # noqa: E712
        .order_by(User.name)
    )


def people_visible_to(user):
    """People whose account details a user may list: coordinators see everyone."""
    if is_coordinator(user):
        return User.select()
    return User.select().where(User.id == user.id)


def matches_visible_to(user):
    """Matches a user may see: coordinators all; mentors and mentees their own."""
    query = Match.select()
    if is_coordinator(user):
        return query
    if user.role == "mentor":
        return query.where(Match.mentor == user)
    return query.where(Match.mentee == user)


def can_manage_people(user):
    return is_coordinator(user)


def can_manage_matches(user):
    return is_coordinator(user)


def can_read_audit(user):
    return is_coordinator(user)


# Journal ---------------------------------------------------------------------


def own_journal_entries(user):
    """A mentee's own entries. Nobody else writes or reads a journal as its owner."""
    from app.journal.models import JournalEntry

    if not (user and user.is_authenticated and user.role == "mentee"):
        return JournalEntry.select().where(JournalEntry.id.is_null())
    return JournalEntry.select().where(JournalEntry.author == user)


def shared_journal_entries_for(mentor):
    """Entries shared with this mentor by mentees they support in an active match."""
    from app.journal.models import JournalEntry

    if not (mentor and mentor.is_authenticated and mentor.role == "mentor"):
        return JournalEntry.select().where(JournalEntry.id.is_null())
    return JournalEntry.select().where(
        (JournalEntry.shared_with == mentor) & JournalEntry.author.in_(supported_mentee_ids(mentor))
    )


def journal_entries_visible_to(user):
    """Every journal entry a user may read: own (mentee) or shared with them (mentor). Coordinators: none."""
    if user and user.is_authenticated and user.role == "mentor":
        return shared_journal_entries_for(user)
    return own_journal_entries(user)


def mentee_for_mentor(mentor, mentee_id):
    """The mentee, if this mentor supports them in an active match; else 404."""
    mentee = (
        User.select()
        .join(Match, on=(Match.mentee == User.id))
        .where((User.id == mentee_id) & (Match.mentor == mentor) & (Match.status == "active")
               & (User.active == True))  # noqa: E712
        .first()
    ) if mentor and mentor.is_authenticated and mentor.role == "mentor" else None
    require(mentee is not None)
    return mentee


def can_see_mood_chart(user, mentee):
    """The mentee always; their active mentor only if the mentee allows it."""
    from app.journal.models import JournalSettings

    if user.id == mentee.id:
        return True
    if not is_active_mentor_of(user, mentee):
        return False
    return JournalSettings.for_user(mentee).mood_visible_to_mentor


def can_edit_prompts(user):
    return is_coordinator(user)


# Goals -----------------------------------------------------------------------


def goals_condition(user):
    """Which goals a user may read and change, as a condition on Goal (for queries that join it):
    a mentee's own, or those of a mentor's active mentees.

    Coordinators see per-match counts only (app.goals.stats), never goal or step text.
    """
    from app.goals.models import Goal

    if user and user.is_authenticated and user.role == "mentee":
        return Goal.mentee == user
    if user and user.is_authenticated and user.role == "mentor":
        return Goal.mentee.in_(supported_mentee_ids(user))
    return Goal.id.is_null()


def goals_visible_to(user):
    from app.goals.models import Goal

    return Goal.select().where(goals_condition(user))


def _goal_by_id(viewer, goal_id):
    from app.goals.models import Goal

    return goals_visible_to(viewer).where(Goal.id == goal_id).limit(1)


_goal_for = PreparedQuery(_goal_by_id, slots=("goal_id",), person_slots=("viewer",))


def goal_for(user, goal_id):
    """The goal, if the user may work on it; else 404."""
    goal = _goal_for.first(viewer=user, goal_id=goal_id)
    require(goal is not None)
    return goal


def goal_mentee_for(user, mentee_id):
    """The mentee whose goals the user may work on: themselves, or an active mentee; else 404."""
    if user and user.is_authenticated and user.role == "mentee" and user.id == mentee_id:
        return user
    return mentee_for_mentor(user, mentee_id)


# Meetings --------------------------------------------------------------------


def meetings_visible_to(user):
    """Meetings a user may see: a mentee's own; a mentor's in active matches; coordinators all (supervision)."""
    from app.meetings.models import Meeting

    if not (user and user.is_authenticated):
        return Meeting.select().where(Meeting.id.is_null())
    if user.role == "coordinator":
        return Meeting.select()
    if user.role == "mentor":
        return Meeting.select().where(Meeting.match.in_(supported_matches(user)))
    own = Match.select(Match.id).where(Match.mentee == user)
    return Meeting.select().where(Meeting.match.in_(own))


def meeting_for(user, meeting_id):
    from app.meetings.models import Meeting

    meeting = meetings_visible_to(user).where(Meeting.id == meeting_id).first()
    require(meeting is not None)
    return meeting


def is_party_to_active_match(user, match):
    return bool(
        user and user.is_authenticated and match.status == "active"
        and user.id in (match.mentor_id, match.mentee_id)
    )


def can_see_private_note(user, meeting):
    """The mentor of the (active) match and coordinators; never the mentee."""
    if is_coordinator(user):
        return True
    match = meeting.match
    return bool(user.role == "mentor" and match.mentor_id == user.id and match.status == "active")


def can_log_meeting(user, meeting):
    return bool(user.role == "mentor" and is_party_to_active_match(user, meeting.match))


def active_match_for(user, match_id=None):
    """The active match through which the user (mentee or mentor) acts; 404 otherwise."""
    query = Match.select().where(Match.status == "active")
    if user.role == "mentee":
        query = query.where(Match.mentee == user)
    elif user.role == "mentor":
        query = query.where(Match.mentor == user)
    else:
        require(False)
    if match_id is not None:
        query = query.where(Match.id == match_id)
    match = query.order_by(Match.started.desc()).first()
    require(match is not None)
    return match
