"""A believable demo program: one coordinator, three mentors, six mentees.

Later areas (journal, goals, meetings) add their own demo content here.
"""
import datetime

from app import audit
from app.auth.models import Invitation, User, expiry, hash_token, new_token
from app.auth.passwords import hash_password
from app.db import database, utcnow
from app.goals.demo import create_demo_goals
from app.journal.demo import create_demo_journals
from app.meetings.demo import create_demo_meetings
from app.matches.models import Match

PEOPLE = [
    ("coordinator@example.org", "Casey Rivera", "coordinator", "America/New_York"),
    ("mentor1@example.org", "Jordan Ellis", "mentor", "America/New_York"),
    ("mentor2@example.org", "Sam Okafor", "mentor", "America/Chicago"),
    ("mentor3@example.org", "Riley Chen", "mentor", "America/Los_Angeles"),
    ("mentee1@example.org", "Alex Moreno", "mentee", "America/New_York"),
    ("mentee2@example.org", "Taylor Brooks", "mentee", "America/New_York"),
    ("mentee3@example.org", "Morgan Price", "mentee", "America/Chicago"),
    ("mentee4@example.org", "Jamie Walsh", "mentee", "America/Chicago"),
    ("mentee5@example.org", "Drew Patel", "mentee", "America/Los_Angeles"),
    ("mentee6@example.org", "Robin Hayes", "mentee", "America/New_York"),
]

# (mentor, mentee, status, days ago started, reason)
MATCHES = [
    ("mentor1", "mentee1", "active", 120, ""),
    ("mentor1", "mentee2", "active", 75, ""),
    ("mentor2", "mentee3", "active", 95, ""),
    ("mentor2", "mentee4", "paused", 60, "Jamie is in residential treatment for a few weeks; we'll pick up after."),
    ("mentor1", "mentee5", "closed", 200, "Mentor's schedule changed; Drew asked for someone on the West Coast."),
    ("mentor3", "mentee5", "active", 40, ""),
]


def create_demo_program(password):
    """Create the demo people and matches; returns [(email, role)]."""
    password_hash = hash_password(password)
    now = utcnow()
    people = {}
    with database.atomic():
        for email, name, role, tz in PEOPLE:
            people[email.split("@")[0]] = User.create(
                email=email, name=name, role=role, password_hash=password_hash, timezone=tz,
                created=now - datetime.timedelta(days=220),
            )
        coordinator = people["coordinator"]
        created_matches = []
        for mentor, mentee, status, days_ago, reason in MATCHES:
            started = now - datetime.timedelta(days=days_ago)
            match = Match.create(
                mentor=people[mentor], mentee=people[mentee], status=status, started=started,
                created_by=coordinator,
                status_reason=reason if status == "paused" else "",
                closure_reason=reason if status == "closed" else "",
                ended=started + datetime.timedelta(days=150) if status == "closed" else None,
            )
            audit.record("match.create", obj=match, subject=people[mentee], actor=coordinator,
                         detail=f"mentor={people[mentor].id}")
            created_matches.append(match)
        mentors_by_mentee = {
            people[mentee].id: people[mentor] for mentor, mentee, status, _days, _reason in MATCHES if status == "active"
        }
        create_demo_journals([people[f"mentee{n}"] for n in range(1, 6)], mentors_by_mentee)
        create_demo_meetings(
            [(match, mentee == "mentee3") for (mentor, mentee, status, _days, _reason), match
             in zip(MATCHES, created_matches) if status == "active"],
            now,
        )
        create_demo_goals(
            [(people[mentee], people[mentor]) for mentor, mentee, status, _days, _reason in MATCHES
             if status == "active"],
            now,
        )
        invitation = Invitation.create(
            email="new.mentor@example.org", role="mentor", token_hash=hash_token(new_token()),
            invited_by=coordinator, expires=expiry(days=5),
        )
        audit.record("invitation.create", obj=invitation, actor=coordinator, detail="role=mentor")
    return [(email, role) for email, _, role, _ in PEOPLE]
