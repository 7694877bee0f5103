"""Read-side helpers for goal pages, each a fixed number of queries however many goals or steps."""
import datetime

from peewee import JOIN, fn

from app import policy
from app.auth.models import User
from app.db import utcnow
from app.goals.models import Goal, GoalStep, GoalUpdate
from app.prepared import PreparedQuery

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


def _goals_of_query(viewer, mentee, statuses):
    return (
        with_next_step(with_progress(policy.goals_visible_to(viewer)))
        .where((Goal.mentee == mentee) & Goal.status.in_(statuses))
        .order_by(Goal.target_date.is_null(), Goal.target_date, Goal.created.desc())
    )


_goals_of = PreparedQuery(_goals_of_query, slots=("mentee",), person_slots=("viewer",))


def goals_of(viewer, mentee, statuses):
    return attach_next_steps(_goals_of.all(viewer=viewer, mentee=mentee, statuses=tuple(statuses)))


def _due_soon_where(mentor, last_day):
    return (
        policy.goals_condition(mentor)
        & (Goal.status == "active")
        & GoalStep.done_at.is_null()
        & GoalStep.due_date.is_null(False)
        & (GoalStep.due_date <= last_day)
    )


DUE_SOON_DAYS = 7  # a step due within this many days, today included, is "due soon"


def due_soon_last_day(today):
    """The last due date that counts as "due soon" (an overdue step counts too)."""
    return today + datetime.timedelta(days=DUE_SOON_DAYS - 1)


def stale_since():
    """Goals with no activity since this moment are quiet ("stale")."""
    return utcnow() - datetime.timedelta(days=STALE_AFTER_DAYS)


def steps_due_soon(mentor, today):
    """Open steps due within a week (or overdue) across the mentor's active mentees: one query."""
    Mentee = User.alias("step_mentee")
    return list(
        GoalStep.select(GoalStep, Goal.id, Goal.title, Mentee.id, Mentee.name)
        .join(Goal)
        .join(Mentee, on=(Goal.mentee == Mentee.id), attr="mentee_user")
        .where(_due_soon_where(mentor, due_soon_last_day(today)))
        .order_by(GoalStep.due_date, Mentee.name)
        .limit(50)
    )


def steps_due_soon_count(mentor, last_day):
    """The number of `steps_due_soon` (a query, for the mentor's home page to ask with its other counts)."""
    return GoalStep.select(fn.COUNT(GoalStep.id)).join(Goal).where(_due_soon_where(mentor, last_day))


def _stale_where(quiet_since):
    return (Goal.status == "active") & (Goal.last_activity < quiet_since)


def stale_goals(mentor):
    """Active goals with no update for two weeks: one query."""
    Mentee = User.alias("goal_mentee")
    return list(
        policy.goals_visible_to(mentor)
        .select_extend(Mentee.id, Mentee.name)
        .join(Mentee, on=(Goal.mentee == Mentee.id), attr="mentee_user")
        .where(_stale_where(stale_since()))
        .order_by(Goal.last_activity)
        .limit(50)
    )


def stale_goals_count(mentor, quiet_since):
    """The number of `stale_goals` (a query, for the mentor's home page to ask with its other counts)."""
    return policy.goals_visible_to(mentor).select(fn.COUNT(Goal.id)).where(_stale_where(quiet_since))


TIMELINE_PAGE = 20

_timeline = PreparedQuery(
    lambda goal, limit, offset: GoalUpdate.select(GoalUpdate, User.id, User.name)
    .join(User, JOIN.LEFT_OUTER, on=(GoalUpdate.author == User.id), attr="author_user")
    .where(GoalUpdate.goal == goal)
    .order_by(GoalUpdate.created.desc(), GoalUpdate.id.desc())
    .limit(limit)
    .offset(offset),
    slots=("goal", "offset"),
)


def timeline(goal, page=1):
    """One page of the goal's timeline, newest first: (updates, whether older ones exist)."""
    rows = _timeline.all(goal=goal, limit=TIMELINE_PAGE + 1, offset=(page - 1) * TIMELINE_PAGE)
    return rows[:TIMELINE_PAGE], len(rows) > TIMELINE_PAGE


_steps_of = PreparedQuery(
    lambda goal: GoalStep.select().where(GoalStep.goal == goal).order_by(GoalStep.position, GoalStep.id),
    slots=("goal",),
)


def steps_of(goal):
    return _steps_of.all(goal=goal)
