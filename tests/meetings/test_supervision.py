"""Coordinators supervise: per match, meetings held and missed, hours met, the last held meeting and
average helpfulness; every session log with its private note (each read audited); and the matches
that have not met in the last 14 days."""
import html
import re

import pytest
import time_machine

from app.matches.models import Match
from tests.conftest import make_user
from tests.meetings.conftest import aware, audit_rows, make_meeting, utc

NOW = aware(2026, 6, 20, 16, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def history(frozen, personas):
    """Match A: three held meetings (60 + 90 + 60 minutes, rated 4 and 5), two missed, one cancelled,
    one coming up. Match B: one held meeting of two hours, rated 1."""
    a = personas.match_a
    make_meeting(a, utc(2026, 5, 20, 14, 0), status="held", helpfulness=4, private_note="Note one")
    make_meeting(a, utc(2026, 5, 27, 14, 0), status="held", actual_start=utc(2026, 5, 27, 14, 0),
                 actual_end=utc(2026, 5, 27, 15, 30), helpfulness=5)
    make_meeting(a, utc(2026, 6, 8, 14, 0), status="held", private_note="Note three")
    make_meeting(a, utc(2026, 6, 1, 14, 0), status="missed", missed_reason="Sick")
    make_meeting(a, utc(2026, 6, 15, 14, 0), status="missed")
    make_meeting(a, utc(2026, 6, 10, 14, 0), status="cancelled")
    make_meeting(a, utc(2026, 6, 25, 14, 0), status="scheduled")
    make_meeting(personas.match_b, utc(2026, 6, 18, 14, 0), status="held", duration_minutes=120, helpfulness=1)


def figures(page):
    """The "dt: dd" pairs of a page's details lists."""
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page)}


@pytest.mark.parametrize("path", ["/matches/{id}", "/meetings/matches/{id}"])
def test_the_coordinator_sees_the_meeting_figures_of_a_match(history, personas, login_as, path):
    page = login_as("coordinator").get(path.format(id=personas.match_a.id))

    assert page.status_code == 200
    shown = figures(page.text)
    assert shown["Held"] == "3"
    assert shown["Missed"] == "2"
    assert shown["Hours met"] == "3.5"
    assert shown["Last held"] == "Jun 8, 2026"
    assert shown["Average helpfulness"] == "4.5 out of 5"


def test_a_match_that_has_not_met_shows_empty_figures(frozen, personas, login_as):
    shown = figures(login_as("coordinator").get(f"/matches/{personas.match_b.id}").text)

    assert (shown["Held"], shown["Missed"], shown["Hours met"]) == ("0", "0", "0.0")
    assert (shown["Last held"], shown["Average helpfulness"]) == ("Never", "No ratings yet")


def test_the_supervision_page_shows_each_session_log_with_its_private_note(history, personas, login_as):
    page = login_as("coordinator").get(f"/meetings/matches/{personas.match_a.id}").text

    assert "Note one" in page and "Note three" in page
    assert "Sick" in page
    assert page.count('<article class="card" id="meeting-') == 7


def test_every_read_of_private_notes_by_a_coordinator_is_audited(history, personas, login_as):
    coordinator = login_as("coordinator")

    coordinator.get(f"/meetings/matches/{personas.match_a.id}")
    coordinator.get(f"/meetings/matches/{personas.match_a.id}")

    events = audit_rows("meeting.private_notes_read")
    assert len(events) == 2
    for event in events:
        assert (event.actor_id, event.subject_id) == (personas.coordinator.id, personas.mentee_a.id)
        assert (event.object_type, event.object_id) == ("match", personas.match_a.id)
        assert "Note one" not in event.detail  # ids only, never the notes themselves


def test_the_coordinator_opening_a_meeting_goes_to_its_supervision_entry(history, personas, login_as):
    meeting = make_meeting(personas.match_a, days=-1, status="held", private_note="Bring up at supervision")

    response = login_as("coordinator").get(f"/meetings/{meeting.id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/matches/{personas.match_a.id}#meeting-{meeting.id}")


def test_the_quiet_list_shows_active_matches_with_no_held_meeting_in_fourteen_days(frozen, personas, login_as):
    Match.update(started=utc(2026, 1, 5)).execute()
    make_meeting(personas.match_a, utc(2026, 6, 1, 14, 0), status="held")   # 19 days ago
    make_meeting(personas.match_a, utc(2026, 6, 15, 14, 0), status="missed")
    make_meeting(personas.match_b, utc(2026, 6, 12, 14, 0), status="held")  # 8 days ago
    never_met = Match.create(mentor=make_user("mentor.c@example.org", "Cy Mentor", "mentor"),
                             mentee=make_user("mentee.c@example.org", "Cal Mentee", "mentee"), started=utc(2026, 5, 1))
    brand_new = Match.create(mentor=make_user("mentor.d@example.org", "Di Mentor", "mentor"),
                             mentee=make_user("mentee.d@example.org", "Dot Mentee", "mentee"), started=utc(2026, 6, 18))
    closed = Match.create(mentor=make_user("mentor.e@example.org", "Ed Mentor", "mentor"),
                          mentee=make_user("mentee.e@example.org", "Eve Mentee", "mentee"), started=utc(2026, 1, 1),
                          status="closed")

    page = html.unescape(login_as("coordinator").get("/meetings/quiet").text)

    listed = set(int(i) for i in re.findall(r'href="/meetings/matches/(\d+)"', page))
    assert listed == {personas.match_a.id, never_met.id}
    assert {brand_new.id, closed.id, personas.match_b.id}.isdisjoint(listed)
    assert "Last met Jun 1, 2026" in page
    assert "No meeting held yet" in page
    assert "no held meeting in the last 14 days" in page


def test_the_quiet_list_puts_the_longest_quiet_first_a_page_at_a_time(frozen, personas, login_as, monkeypatch):
    from app.meetings import supervision_views

    monkeypatch.setattr(supervision_views, "QUIET_PER_PAGE", 2)
    Match.update(started=utc(2026, 1, 5)).execute()
    make_meeting(personas.match_a, utc(2026, 6, 1, 14, 0), status="held")  # quiet since June 1
    make_meeting(personas.match_a, utc(2026, 3, 1, 14, 0), status="held")
    # Match B never met: quiet since it started, January 5.
    since_may = Match.create(mentor=make_user("mentor.c@example.org", "Cy Mentor", "mentor"),
                             mentee=make_user("mentee.c@example.org", "Cal Mentee", "mentee"), started=utc(2026, 5, 1))
    coordinator = login_as("coordinator")

    def listed(number):
        page = coordinator.get(f"/meetings/quiet?page={number}").text
        return [int(i) for i in re.findall(r'href="/meetings/matches/(\d+)"', page)], page

    first, first_page = listed(1)
    second, second_page = listed(2)
    beyond, beyond_page = listed(3)

    assert first == [personas.match_b.id, since_may.id]
    assert 'href="/meetings/quiet?page=2" rel="next"' in first_page and 'rel="prev"' not in first_page
    assert second == [personas.match_a.id]
    assert 'href="/meetings/quiet?page=1" rel="prev"' in second_page and 'rel="next"' not in second_page
    assert "Last met Jun 1, 2026" in html.unescape(second_page)
    assert beyond == [] and "No more matches here." in beyond_page
