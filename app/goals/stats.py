"""What coordinators see of goals: counts per status and the last update, never text."""
import datetime

from peewee import fn

from app.goals.models import Goal
from app.prepared import PreparedQuery


_goals_by_status = PreparedQuery(
    lambda mentee_id: Goal.select(Goal.status, fn.COUNT(Goal.id), fn.MAX(Goal.last_activity))
    .where(Goal.mentee == mentee_id)
    .group_by(Goal.status)
    .tuples(),
    slots=("mentee_id",),
)


def goal_counts(mentee_id):
    """{'active': n, 'achieved': n, 'paused': n, 'let_go': n, 'last_update': datetime|None}: one query."""
    counts = {"active": 0, "achieved": 0, "paused": 0, "let_go": 0, "last_update": None}
    rows = _goals_by_status.all(mentee_id=mentee_id)
    for status, count, last in rows:
        counts[status] = count
        if isinstance(last, str):  # SQLite returns MAX() of a timestamp as text
            last = datetime.datetime.fromisoformat(last)
        if last is not None and (counts["last_update"] is None or last > counts["last_update"]):
            counts["last_update"] = last
    return counts
