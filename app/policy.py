"""Who may see or change what. Every query of people's data goes through here.

The rules are DESIGN.md's "who sees what" table. A mentor reaches a mentee's
data only through an active match; anything outside the rules is a 404
(never a 403), so a stranger cannot learn that an object exists.
"""
from flask import abort

from app.auth.models import User
from app.matches.models import Match


def require(condition):
    """404 unless the condition holds."""
    if not condition:
        abort(404)


def is_coordinator(user):
    return bool(user and user.is_authenticated and user.role == "coordinator")


def active_match_between(mentor, mentee):
    return (
        Match.select()
        .where((Match.mentor == mentor) & (Match.mentee == mentee) & (Match.status == "active"))
        .first()
    )


def is_active_mentor_of(user, mentee):
    return bool(user and user.is_authenticated and user.role == "mentor" and active_match_between(user, mentee))


def active_mentor_of(mentee):
    """The mentee's mentor while their match is active, else None."""
    match = (
        Match.select(Match, User)
        .join(User, on=Match.mentor)
        .where((Match.mentee == mentee) & (Match.status == "active"))
        .first()
    )
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
