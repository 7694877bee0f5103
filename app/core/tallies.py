"""Head counts for the coordinator's dashboard, kept by the database itself.

Counting active people by role and matches by status reads every person and every
match, so the dashboard would slow down as the program grows over the years (most
matches end up closed, and stay). Triggers (migration 0007) keep one row per count
up to date on every insert, change and delete of a person or a match, whatever code
or bulk load makes it; the dashboard reads a handful of rows however big the program.
"""
from peewee import CharField, IntegerField

from app.db import BaseModel
from app.prepared import PreparedQuery

ACTIVE_PEOPLE = "people."  # + role: active people with that role
MATCHES = "matches."  # + status: matches with that status


class Tally(BaseModel):
    """One kept count. Never written by the app: only the triggers of migration 0007 change it."""

    name = CharField(max_length=40, primary_key=True)
    total = IntegerField(default=0)


_all_tallies = PreparedQuery(lambda: Tally.select(Tally.name, Tally.total).tuples())


def dashboard_counts():
    """({role: active people}, {status: matches}), read from the kept tallies."""
    people, matches = {}, {}
    for name, total in _all_tallies.all():
        if name.startswith(ACTIVE_PEOPLE):
            people[name[len(ACTIVE_PEOPLE):]] = total
        elif name.startswith(MATCHES):
            matches[name[len(MATCHES):]] = total
    return people, matches
