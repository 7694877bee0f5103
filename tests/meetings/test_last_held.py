"""Each match's last held meeting is kept on the match by database triggers (migration 0013): after
any meeting added, logged, moved, moved to another match or deleted, made through models, bulk
statements or raw SQL, it equals a fresh look at the meetings, and the quiet lists read it."""
import html
import re

import pytest
import time_machine
from peewee import fn

from app.cli import migration_runner
from app.db import database
from app.matches.models import Match
from app.meetings.models import Meeting
from tests.meetings.conftest import aware, log_form, make_meeting, utc

NOW = aware(2026, 6, 20, 16, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _kept():
    return {match.id: match.last_held for match in Match.select(Match.id, Match.last_held)}


def _fresh():
    """The latest start among each match's held meetings, worked out from the meetings themselves."""
    held = dict(Meeting.select(Meeting.match, fn.MAX(Meeting.starts_at)).where(Meeting.status == "held")
                .group_by(Meeting.match).tuples())
    return {match.id: _as_datetime(held.get(match.id)) for match in Match.select(Match.id)}


def _as_datetime(value):
    # SQLite gives MAX() of a timestamp back as text.
    return Meeting.starts_at.python_value(value) if value is not None else None


def test_the_time_follows_every_meeting_change(app, personas):
    match_a, match_b = personas.match_a, personas.match_b
    planned = make_meeting(match_a, utc(2026, 5, 4, 10, 0), status="scheduled")
    held = make_meeting(match_a, utc(2026, 4, 6, 10, 0), status="held")
    steps = [
        lambda: Meeting.update(status="held").where(Meeting.id == planned.id).execute(),  # logged as held
        lambda: Meeting.update(starts_at=utc(2026, 5, 1, 9, 0)).where(Meeting.id == planned.id).execute(),
        lambda: Meeting.update(starts_at=utc(2026, 3, 1, 9, 0)).where(Meeting.id == planned.id).execute(),
        lambda: Meeting.update(status="missed").where(Meeting.id == held.id).execute(),  # corrected
        lambda: Meeting.update(match=match_b).where(Meeting.id == planned.id).execute(),  # moved across
        lambda: Meeting.update(status="cancelled", match=match_a).where(Meeting.id == planned.id).execute(),
        lambda: Meeting.update(status="held").where(Meeting.id == held.id).execute(),
        lambda: Meeting.update(place="Library").where(Meeting.id == held.id).execute(),  # not its time
        lambda: Meeting.insert_many([
            {"match": match_b, "starts_at": utc(2026, 2, day, 10, 0), "status": "held", "ical_uid": f"bulk-{day}"}
            for day in (2, 9, 16)]).execute(),
        lambda: database.execute_sql(  # a bulk load naming only some columns
            "INSERT INTO meeting (match_id, starts_at, duration_minutes, format, place, video_link, agenda, "
            "status, change_reason, missed_reason, topics, topics_other, summary, private_note, "
            "mentee_reflection, ical_uid, sequence, created, updated) VALUES ({0}, {0}, 60, 'in_person', '', "
            "'', '', 'held', '', '', '', '', '', '', '', 'raw', 0, {0}, {0})".format(database.param),
            (match_b.id, utc(2026, 6, 1, 10, 0), utc(2026, 6, 1, 10, 0), utc(2026, 6, 1, 10, 0))),
        lambda: Meeting.delete().where(Meeting.ical_uid == "raw").execute(),
        lambda: Meeting.delete().where(Meeting.id == held.id).execute(),
    ]
    assert _kept() == _fresh() == {match_a.id: utc(2026, 4, 6, 10, 0), match_b.id: None}
    for number, step in enumerate(steps):
        step()
        assert _kept() == _fresh(), f"after step {number}"
    assert _kept() == {match_a.id: None, match_b.id: utc(2026, 2, 16, 10, 0)}


def test_saving_a_match_loaded_before_a_meeting_keeps_the_time(app, personas):
    """A match's save writes only what it changed, so a time read with the match is never written back."""
    loaded = Match.get_by_id(personas.match_a.id)
    assert loaded.last_held is None
    make_meeting(personas.match_a, utc(2026, 4, 6, 10, 0), status="held")
    loaded.status = "paused"
    loaded.save()
    assert Match.get_by_id(personas.match_a.id).last_held == utc(2026, 4, 6, 10, 0)


def test_logging_a_meeting_takes_the_match_off_the_quiet_list(frozen, personas, login_as):
    """Through the pages: the coordinator's quiet list and the mentor's home follow a session log."""
    Match.update(started=utc(2026, 1, 5)).execute()
    meeting = make_meeting(personas.match_a, utc(2026, 6, 19, 14, 0), status="scheduled")  # yesterday, 10:00
    coordinator, mentor = login_as("coordinator"), login_as("mentor_a")
    quiet_link = f'href="/meetings/matches/{personas.match_a.id}"'
    assert quiet_link in coordinator.get("/meetings/quiet").text
    assert "No meeting with Ada Mentee for 14 days or more" in html.unescape(mentor.get("/home").text)

    response = mentor.post(f"/meetings/{meeting.id}/log", data=log_form("2026-06-19"))

    assert response.status_code == 303
    assert Match.get_by_id(personas.match_a.id).last_held == utc(2026, 6, 19, 14, 0)
    assert quiet_link not in coordinator.get("/meetings/quiet").text
    assert "No meeting with" not in mentor.get("/home").text


def test_migrating_down_and_up_again_works_the_time_out_from_the_meetings(app, personas):
    make_meeting(personas.match_a, utc(2026, 4, 6, 10, 0), status="held")
    runner = migration_runner()
    runner.down(target="0012_meeting_match_indexes")
    assert "last_held" not in {column.name for column in database.get_columns("match")}
    database.execute_sql("UPDATE meeting SET status = 'missed'")  # no trigger now
    make_meeting(personas.match_b, utc(2026, 5, 4, 10, 0), status="held")
    runner.up()
    assert _kept() == _fresh() == {personas.match_a.id: None, personas.match_b.id: utc(2026, 5, 4, 10, 0)}
    make_meeting(personas.match_a, utc(2026, 6, 1, 10, 0), status="held")
    assert _kept()[personas.match_a.id] == utc(2026, 6, 1, 10, 0)


def test_the_quiet_list_reads_no_meetings(frozen, personas, login_as, query_counter):
    """The list's one statement reads the matches alone, however many meetings they have had."""
    for day in range(1, 11):
        make_meeting(personas.match_a, utc(2026, 3, day, 10, 0), status="held")
    coordinator = login_as("coordinator")
    with query_counter() as statements:
        page = coordinator.get("/meetings/quiet").text
    assert "Last met Mar 10, 2026" in html.unescape(page)
    listing = [sql for sql in statements.queries if re.search(r'FROM "match"', sql)]
    assert listing and not any(re.search(r'(FROM|JOIN) "meeting"', sql) for sql in listing)
