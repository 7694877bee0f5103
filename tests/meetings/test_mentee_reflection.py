"""The mentee's side of a held meeting: she reads the summary and action items, adds her own
reflection and says how helpful it was (1-5); her mentor reads both."""
import html

import pytest

from app.meetings.models import ActionItem
from tests.meetings.conftest import audit_rows, make_meeting, reload


@pytest.fixture
def held(personas):
    meeting = make_meeting(personas.match_a, days=-2, status="held",
                           summary="You named three people you can call when things get hard.")
    ActionItem.create(meeting=meeting, title="Write the three numbers on a card", owner="mentee", position=0)
    ActionItem.create(meeting=meeting, title="Find the Tuesday group's address", owner="mentor", position=1)
    return meeting


def test_the_mentee_sees_the_summary_and_action_items_of_a_held_meeting(held, login_as):
    page = html.unescape(login_as("mentee_a").get(f"/meetings/{held.id}").text)

    assert "You named three people you can call when things get hard." in page
    assert "Write the three numbers on a card" in page
    assert "Find the Tuesday group's address" in page
    assert 'name="reflection"' in page


def test_the_mentee_home_links_to_her_last_meeting_and_asks_for_a_reflection(held, login_as):
    page = login_as("mentee_a").get("/home").text

    assert f'href="/meetings/{held.id}"' in page
    assert "add your reflection" in page


def test_the_mentee_home_shows_her_latest_held_meeting_beside_the_coming_ones(personas, login_as):
    older = make_meeting(personas.match_a, days=-20, status="held")
    latest = make_meeting(personas.match_a, days=-5, status="held")
    missed = make_meeting(personas.match_a, days=-1, status="missed")
    coming = [make_meeting(personas.match_a, days=days, status="scheduled") for days in (9, 2, 5)]

    page = login_as("mentee_a").get("/home").text

    assert f'href="/meetings/{latest.id}">Summary of' in page
    for meeting in (older, missed):
        assert f'href="/meetings/{meeting.id}"' not in page
    # The coming meetings, soonest first.
    positions = [page.index(f'href="/meetings/{meeting.id}"') for meeting in (coming[1], coming[2], coming[0])]
    assert positions == sorted(positions)


def test_the_mentee_adds_a_reflection_and_rating_and_her_mentor_sees_both(held, personas, login_as):
    response = login_as("mentee_a").post(f"/meetings/{held.id}/reflection", data={
        "reflection": "It helped to say the names out loud.", "helpfulness": "4"})

    assert response.status_code == 303
    meeting = reload(held)
    assert (meeting.mentee_reflection, meeting.helpfulness) == ("It helped to say the names out loud.", 4)
    mentor_page = login_as("mentor_a").get(f"/meetings/{held.id}").text
    assert "It helped to say the names out loud." in mentor_page
    assert "Helpfulness: 4 out of 5" in mentor_page
    [event] = audit_rows("meeting.reflection")
    assert (event.actor_id, event.object_id, event.subject_id) == (personas.mentee_a.id, held.id, personas.mentee_a.id)
    assert "add your reflection" not in login_as("mentee_a").get("/home").text


@pytest.mark.parametrize("rating", ["0", "6", "lots"])
def test_helpfulness_is_a_number_from_one_to_five(held, login_as, rating):
    response = login_as("mentee_a").post(f"/meetings/{held.id}/reflection", data={
        "reflection": "Fine.", "helpfulness": rating})

    assert response.status_code == 422
    assert (reload(held).mentee_reflection, reload(held).helpfulness) == ("", None)


def test_a_mentee_cannot_reflect_on_someone_elses_meeting(held, login_as):
    response = login_as("mentee_b").post(f"/meetings/{held.id}/reflection", data={
        "reflection": "Not mine", "helpfulness": "1"})

    assert response.status_code == 404
    assert (reload(held).mentee_reflection, reload(held).helpfulness) == ("", None)


def test_a_mentee_cannot_reflect_on_a_meeting_that_was_not_held(personas, login_as):
    planned = make_meeting(personas.match_a, days=2, status="scheduled")

    response = login_as("mentee_a").post(f"/meetings/{planned.id}/reflection", data={"reflection": "Early", "helpfulness": "5"})

    assert response.status_code == 404
    assert reload(planned).mentee_reflection == ""


def test_the_mentor_cannot_write_the_mentees_reflection(held, login_as):
    response = login_as("mentor_a").post(f"/meetings/{held.id}/reflection", data={
        "reflection": "She loved it", "helpfulness": "5"})

    assert response.status_code == 404
    assert reload(held).helpfulness is None


def test_a_meeting_that_is_not_held_shows_no_summary(personas, login_as):
    missed = make_meeting(personas.match_a, days=-2, status="missed", missed_reason="Bus strike",
                          summary="Draft summary that was never about a meeting")

    page = login_as("mentee_a").get(f"/meetings/{missed.id}").text

    assert "Bus strike" in page
    assert "Draft summary that was never about a meeting" not in page
    assert 'name="reflection"' not in page
