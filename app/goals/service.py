"""Every change to a goal: one transaction each, recorded on the goal's timeline and in the audit trail.

Step order is changed under a lock on the goal row (PostgreSQL) or inside an
IMMEDIATE transaction (SQLite), and positions are renumbered 0..n-1 each time,
so concurrent moves never leave duplicate or missing positions.
"""
from peewee import fn

from app import audit
from app.db import database, for_update, utcnow
from app.goals.models import Goal, GoalStep, GoalUpdate


def _touch(goal, actor, kind, body=""):
    now = utcnow()
    Goal.update(last_activity=now, updated=now).where(Goal.id == goal.id).execute()
    GoalUpdate.create(goal=goal, author=actor, kind=kind, body=body[:2000], created=now)


def create_goal(actor, mentee, title, why, area, target_date):
    with database.atomic():
        goal = Goal.create(mentee=mentee, title=title, why=why, area=area, target_date=target_date,
                           created_by=actor)
        GoalUpdate.create(goal=goal, author=actor, kind="created", body=title)
        audit.record("goal.create", obj=goal, subject=mentee, actor=actor)
    return goal


def edit_goal(actor, goal, title, why, area, target_date):
    with database.atomic():
        goal.title, goal.why, goal.area, goal.target_date = title, why, area, target_date
        goal.save(only=[Goal.title, Goal.why, Goal.area, Goal.target_date])
        _touch(goal, actor, "edited", title)
        audit.record("goal.update", obj=goal, subject=_subject(goal), actor=actor)


def _subject(goal):
    from app.auth.models import User

    return User(id=goal.mentee_id)


def change_status(actor, goal, status, note=""):
    with database.atomic():
        goal.status = status
        goal.status_note = note
        goal.achieved_at = utcnow() if status == "achieved" else None
        goal.save(only=[Goal.status, Goal.status_note, Goal.achieved_at])
        _touch(goal, actor, "status", f"{status}: {note}" if note else status)
        audit.record("goal.status", obj=goal, subject=_subject(goal), actor=actor, detail=status)


def add_note(actor, goal, body):
    with database.atomic():
        _touch(goal, actor, "note", body)
        audit.record("goal.note", obj=goal, subject=_subject(goal), actor=actor)


def _locked_goal(goal):
    return for_update(Goal.select().where(Goal.id == goal.id)).get()


def _renumber(goal):
    steps = list(GoalStep.select(GoalStep.id, GoalStep.position).where(GoalStep.goal == goal)
                 .order_by(GoalStep.position, GoalStep.id))
    for index, step in enumerate(steps):
        if step.position != index:
            GoalStep.update(position=index).where(GoalStep.id == step.id).execute()
    return [step.id for step in steps]


def add_step(actor, goal, title, due_date):
    with database.atomic():
        _locked_goal(goal)
        last = GoalStep.select(fn.MAX(GoalStep.position)).where(GoalStep.goal == goal).scalar()
        step = GoalStep.create(goal=goal, title=title, due_date=due_date,
                               position=0 if last is None else last + 1, created_by=actor)
        _touch(goal, actor, "step_added", title)
        audit.record("goal.step_add", obj=step, subject=_subject(goal), actor=actor)
    return step


def set_step_done(actor, goal, step, done):
    """Tick or untick one step. Only that step's row changes, so concurrent ticks all land.

    The goal row is locked first, as every step change does: a tick that locked its
    step before the goal could deadlock with a move holding the goal (PostgreSQL).
    """
    with database.atomic():
        _locked_goal(goal)
        if done:
            changed = GoalStep.update(done_at=utcnow(), done_by=actor).where(
                (GoalStep.id == step.id) & GoalStep.done_at.is_null()).execute()
        else:
            changed = GoalStep.update(done_at=None, done_by=None).where(
                (GoalStep.id == step.id) & GoalStep.done_at.is_null(False)).execute()
        if changed:
            _touch(goal, actor, "step_done" if done else "step_undone", step.title)
            audit.record("goal.step_tick" if done else "goal.step_untick", obj=step, subject=_subject(goal),
                         actor=actor)


def rename_step(actor, goal, step, title, due_date):
    with database.atomic():
        _locked_goal(goal)
        GoalStep.update(title=title, due_date=due_date).where(GoalStep.id == step.id).execute()
        _touch(goal, actor, "step_renamed", title)
        audit.record("goal.step_update", obj=step, subject=_subject(goal), actor=actor)


def move_step(actor, goal, step, direction):
    """Move a step one place up or down."""
    with database.atomic():
        _locked_goal(goal)
        order = _renumber(goal)
        if step.id not in order:
            return
        index = order.index(step.id)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(order):
            return
        GoalStep.update(position=other).where(GoalStep.id == order[index]).execute()
        GoalStep.update(position=index).where(GoalStep.id == order[other]).execute()
        _touch(goal, actor, "step_moved", step.title)
        audit.record("goal.step_move", obj=step, subject=_subject(goal), actor=actor, detail=direction)


def delete_step(actor, goal, step):
    with database.atomic():
        _locked_goal(goal)
        audit.record("goal.step_delete", obj=step, subject=_subject(goal), actor=actor)
        GoalStep.delete().where(GoalStep.id == step.id).execute()
        _renumber(goal)
        _touch(goal, actor, "step_removed", step.title)
