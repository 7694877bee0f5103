"""Meeting lists reach meetings through the viewer's matches, whatever SQLite's planner knows.

A program's SQLite file has no planner statistics (nothing runs ANALYZE), and SQLite then takes an
index on a column alone for selective. With indexes on a meeting's status and on its time alone, it
read every held, missed or cancelled meeting of the whole program for one mentee's past meetings, or
walked all meetings in time order (bench/REPORT.md): pages that grow with the program, not with the
person. The plans of every statement these pages send are checked here, with no statistics and with
statistics of a program where the viewer's meetings are a few among many.
"""
import re

import pytest

from app.db import database, is_sqlite
from tests.conftest import count_queries, sqlite_plan
from tests.meetings.test_meetings_queries import PAGES, add_meetings


def meeting_plan_problems(statements, own_matches_only=True):
    """Plan lines of statements on meetings that read meetings other than through a match's index:
    a whole scan, or an index that does not start with the match (an OR may use the match's index
    once per branch). On a mentee's or a mentor's page (`own_matches_only`), also any read of matches
    by status alone: that starts from every active match of the program, not the viewer's."""
    problems = []
    for sql, params in statements:
        meeting_aliases = set(re.findall(r'"meeting" AS "(\w+)"', sql))
        other_aliases = set(re.findall(r'"(?!meeting")\w+" AS "(\w+)"', sql))
        meeting_only = meeting_aliases - other_aliases
        for line in sqlite_plan(sql, params):
            index = re.search(r"USING (?:COVERING )?INDEX (meeting_\w+)", line)
            whole_scan = re.match(r"SCAN (\w+)", line)
            whole_scan = whole_scan and whole_scan.group(1) in meeting_only
            by_status = own_matches_only and re.search(r"INDEX match_\w+ \(status=\?\)", line)
            if whole_scan or by_status or (index and not index.group(1).startswith("meeting_match_id")):
                problems.append(f"{line}\n    in {sql}")
    return problems


def other_programs_meetings(count):
    """`count` matches of other people, each with six meetings in every state: the program around
    the viewer, bulk inserted."""
    import datetime
    import uuid

    from app.auth.models import User
    from app.matches.models import Match
    from app.meetings.models import Meeting
    from tests.conftest import password_hash
    from tests.meetings.conftest import now

    base = now().replace(second=0, microsecond=0)
    with database.atomic():
        people = [{"email": f"other.{role}{number}@example.org", "name": f"Other {role} {number}", "role": role,
                   "password_hash": password_hash()} for number in range(count) for role in ("mentee", "mentor")]
        for chunk in range(0, len(people), 100):
            User.insert_many(people[chunk:chunk + 100]).execute()
        ids = {user.email: user.id for user in User.select(User.id, User.email).where(User.email.startswith("other."))}
        Match.insert_many([{"mentee": ids[f"other.mentee{n}@example.org"],
                            "mentor": ids[f"other.mentor{n}@example.org"], "status": "active", "started": base}
                           for n in range(count)]).execute()
        matches = [match.id for match in Match.select(Match.id).where(Match.mentee.in_(list(ids.values())))]
        rows = [{"match": match_id, "status": status, "ical_uid": uuid.uuid4().hex, "created": base, "updated": base,
                 "starts_at": base + datetime.timedelta(days=index * 7 - 20, hours=match_id % 9)}
                for match_id in matches
                for index, status in enumerate(("held", "missed", "cancelled", "scheduled", "proposed", "held"))]
        for chunk in range(0, len(rows), 100):
            Meeting.insert_many(rows[chunk:chunk + 100]).execute()


# The coordinator's quiet list reads the time of each match's last held meeting from the match itself
# (migration 0013), no meetings at all (tests/meetings/test_last_held.py).
READING_MEETINGS = [(persona, path) for persona, path in PAGES if path != "/meetings/quiet"]


@pytest.fixture
def sqlite_only(app):
    if not is_sqlite():
        pytest.skip("this checks SQLite's query planner; PostgreSQL keeps its own statistics")


@pytest.mark.parametrize("statistics", [False, True], ids=["no statistics", "statistics"])
@pytest.mark.parametrize("persona, path", READING_MEETINGS, ids=[f"{p}:{u}" for p, u in READING_MEETINGS])
def test_meeting_pages_read_meetings_through_the_match(sqlite_only, personas, login_as, persona, path, statistics):
    add_meetings(personas, 12)
    other_programs_meetings(300)
    if statistics:
        database.execute_sql("ANALYZE")
    url = path.format(match_id=personas.match_a.id)
    client = login_as(persona)
    assert client.get(url).status_code == 200

    with count_queries() as counter:
        assert client.get(url).status_code == 200
    statements = counter.statements

    assert any('"meeting"' in sql for sql, _params in statements)
    assert meeting_plan_problems(statements, own_matches_only=persona != "coordinator") == []


def test_the_check_catches_the_old_indexes_on_status_alone_and_time_alone(sqlite_only, personas, login_as):
    """The old schema's two indexes, put back: the mentee's past meetings go through them."""
    add_meetings(personas, 12)
    database.execute_sql('CREATE INDEX "meeting_status" ON "meeting" ("status")')
    database.execute_sql('CREATE INDEX "meeting_starts_at" ON "meeting" ("starts_at")')
    client = login_as("mentee_a")
    client.get("/meetings")

    with count_queries() as counter:
        assert client.get("/meetings").status_code == 200

    problems = meeting_plan_problems(counter.statements)
    assert problems and any("meeting_status" in problem or "meeting_starts_at" in problem for problem in problems)
