"""Helpers for the goals tests: per-request app contexts, quick sign-in, goals and steps made directly."""
import datetime

import pytest

HX = {"HX-Request": "true"}


@pytest.fixture
def login_as(quick_login_as):
    """Sign-ins here skip password hashing (tests/conftest.py signed_in_client)."""
    return quick_login_as


def make_goal(mentee, title="Walk for 20 minutes three times a week", steps=(), created_by=None, **fields):
    """A goal written straight into the database, with steps at positions 0..n-1.

    `steps` holds titles, or (title, due_date) pairs, or (title, due_date, done) triples.
    """
    from app.db import database, utcnow
    from app.goals.models import Goal, GoalStep

    with database.atomic():  # one commit (and one fsync) per goal
        goal = Goal.create(mentee=mentee, title=title, created_by=created_by or mentee, **fields)
        for position, step in enumerate(steps):
            step = (step,) if isinstance(step, str) else tuple(step)
            step_title, due_date, done = (step + (None, False))[:3]
            GoalStep.create(goal=goal, title=step_title, due_date=due_date, position=position,
                            done_at=utcnow() if done else None, created_by=created_by or mentee)
    return goal


def steps_in_order(goal):
    from app.goals.models import GoalStep

    return list(GoalStep.select().where(GoalStep.goal == goal).order_by(GoalStep.position, GoalStep.id))


def step_titles(goal):
    return [step.title for step in steps_in_order(goal)]


def step_positions(goal):
    return [step.position for step in steps_in_order(goal)]


def reload(model):
    return type(model).get_by_id(model.id)


def timeline_rows(goal, kind=None):
    from app.goals.models import GoalUpdate

    query = GoalUpdate.select().where(GoalUpdate.goal == goal).order_by(GoalUpdate.id)
    if kind:
        query = query.where(GoalUpdate.kind == kind)
    return list(query)


def audit_events(action=None, **where):
    from app.audit import AuditEvent

    query = AuditEvent.select().order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    for field, value in where.items():
        query = query.where(getattr(AuditEvent, field) == value)
    return list(query)


def days_from_today(user, days):
    from app.journal.models import local_today

    return local_today(user.timezone) + datetime.timedelta(days=days)
