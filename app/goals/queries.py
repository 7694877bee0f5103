"""Read-side helpers for goal pages, each a fixed number of queries however many goals or steps."""
import datetime

from peewee import JOIN, fn

from app import policy
from app.auth.models import User
from app.db import utcnow
from app.goals.models import Goal, GoalStep, GoalUpdate

STALE_AFTER_DAYS = 14


def with_progress(query):
    """Add steps_total and steps_done to each goal row (correlated subqueries, one query)."""
    total = GoalStep.select(fn.COUNT(GoalStep.id)).where(GoalStep.goal == Goal.id)
    done = GoalStep.select(fn.COUNT(GoalStep.id)).where((GoalStep.goal == Goal.id) & GoalStep.done_at.is_null(False))
    return query.select_extend(total.alias("steps_total"), done.alias("steps_done"))


class NextStep:
    """The first step not yet done, as read by the goal list query."""

    def __init__(self, title, due_date):
        self.title = title
        self.due_date = _as_date(due_date)


def _as_date(value):
    if isinstance(value, str):  # SQLite returns a subquery's date as text
        return datetime.date.fromisoformat(value[:10])
    return value


def with_next_step(query):
    """Add the title and due date of each goal's next open step (correlated subqueries, same query)."""
    def first_open(column):
        return (GoalStep.select(column)
                .where((GoalStep.goal == Goal.id) & GoalStep.done_at.is_null())
                .order_by(GoalStep.position, GoalStep.id)
                .limit(1))

    return query.select_extend(first_open(GoalStep.title).alias("next_step_title"),
                               first_open(GoalStep.due_date).alias("next_step_due"))


def attach_next_steps(goals):
    for goal in goals:
        title = getattr(goal, "next_step_title", None)
        goal.next_step = NextStep(title, getattr(goal, "next_step_due", None)) if title else None
    return goals


def goals_of(viewer, mentee, statuses):
    query = (
        with_next_step(with_progress(policy.goals_visible_to(viewer)))
        .where((Goal.mentee == mentee) & Goal.status.in_(statuses))
        .order_by(Goal.target_date.is_null(), Goal.target_date, Goal.created.desc())
    )
    return attach_next_steps(list(query))


def _due_soon_where(mentor, today, days):
    return (
        policy.goals_condition(mentor)
        & (Goal.status == "active")
        & GoalStep.done_at.is_null()
        & GoalStep.due_date.is_null(False)
        & (GoalStep.due_date <= today + datetime.timedelta(days=days - 1))
    )


def steps_due_soon(mentor, today, days=7):
    """Open steps due within a week (or overdue) across the mentor's active mentees: one query."""
    Mentee = User.alias("step_mentee")
    return list(
        GoalStep.select(GoalStep, Goal.id, Goal.title, Mentee.id, Mentee.name)
        .join(Goal)
        .join(Mentee, on=(Goal.mentee == Mentee.id), attr="mentee_user")
        .where(_due_soon_where(mentor, today, days))
        .order_by(GoalStep.due_date, Mentee.name)
        .limit(50)
    )


def count_steps_due_soon(mentor, today, days=7):
    return GoalStep.select().join(Goal).where(_due_soon_where(mentor, today, days)).count()


def _stale_where(days):
    return (Goal.status == "active") & (Goal.last_activity < utcnow() - datetime.timedelta(days=days))


def stale_goals(mentor, days=STALE_AFTER_DAYS):
    """Active goals with no update for two weeks: one query."""
    Mentee = User.alias("goal_mentee")
    return list(
        policy.goals_visible_to(mentor)
        .select_extend(Mentee.id, Mentee.name)
        .join(Mentee, on=(Goal.mentee == Mentee.id), attr="mentee_user")
        .where(_stale_where(days))
        .order_by(Goal.last_activity)
        .limit(50)
    )


def count_stale_goals(mentor, days=STALE_AFTER_DAYS):
    return policy.goals_visible_to(mentor).where(_stale_where(days)).count()


def timeline(goal, limit=100):
    return list(
        GoalUpdate.select(GoalUpdate, User)
        .join(User, JOIN.LEFT_OUTER, on=(GoalUpdate.author == User.id), attr="author_user")
        .where(GoalUpdate.goal == goal)
        .order_by(GoalUpdate.created.desc(), GoalUpdate.id.desc())
        .limit(limit)
    )


def steps_of(goal):
    return list(GoalStep.select().where(GoalStep.goal == goal).order_by(GoalStep.position, GoalStep.id))
