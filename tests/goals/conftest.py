"""Helpers for the goals tests: per-request app contexts, quick sign-in, goals and steps made directly."""
import contextvars
import datetime

import pytest
from flask.testing import FlaskClient

HX = {"HX-Request": "true"}


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The shared `app` fixture keeps one app context open for the whole test and Flask
    reuses it for requests, so `g` (where flask-login caches the signed-in person)
    would leak from one client into the next. An empty contextvars context makes
    Flask push a fresh app context for every request.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app_factory(app_factory):
    def factory(**overrides):
        app = app_factory(**overrides)
        app.test_client_class = FreshContextClient
        return app

    return factory


def signed_in_client(app, user):
    """A browser signed in as `user` through a real server-side session row.

    The same session row and cookie as signing in through /login, without hashing
    the password (argon2 is slow on purpose, and these tests sign in a lot).
    """
    from app.auth.models import UserSession, hash_token, new_token

    key = new_token()
    UserSession.create(key_hash=hash_token(key), user=user)
    client = app.test_client()
    with client.session_transaction() as session:
        session["sid"] = key
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session.permanent = True
    return client


@pytest.fixture
def login_as(app, personas):
    """login_as('mentor_a') -> a client signed in as that persona (or anonymous)."""

    def _login(name):
        if name == "anonymous":
            return app.test_client()
        return signed_in_client(app, personas.by_name(name))

    return _login


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
