"""Progress notes: either person adds a dated note; the goal's timeline shows notes and step changes."""
import datetime
import re

import pytest
import time_machine

from app.goals.models import GoalUpdate
from tests.goals.conftest import HX, audit_events, make_goal, reload, timeline_rows


def timeline_section(html):
    return re.search(r'<section class="card" id="timeline".*?</section>', html, re.S).group(0)


@pytest.mark.parametrize("author", ["mentee_a", "mentor_a"])
def test_a_progress_note_lands_on_the_timeline_with_its_author_and_date(personas, login_as, author):
    goal = make_goal(personas.mentee_a)

    with time_machine.travel(datetime.datetime(2027, 3, 9, 18, 0), tick=False):
        client = login_as(author)
        response = client.post(f"/goals/{goal.id}/updates",
                               data={"body": "Went to one meeting. The second clashed with work."})
        page = client.get(f"/goals/{goal.id}").text

    assert response.status_code == 303
    assert response.headers["Location"] == f"/goals/{goal.id}#timeline"
    [note] = timeline_rows(goal, "note")
    assert (note.author_id, note.body) == (personas.by_name(author).id, "Went to one meeting. The second clashed with work.")
    assert note.created == datetime.datetime(2027, 3, 9, 18, 0)
    assert reload(goal).last_activity == datetime.datetime(2027, 3, 9, 18, 0)
    timeline = timeline_section(page)
    assert "Progress note added." in page
    assert "Went to one meeting. The second clashed with work." in timeline
    # Stored in UTC, shown in the viewer's zone (New York: 18:00 UTC is 1 PM).
    assert re.search(rf"3/9/27, 1:00.PM · {personas.by_name(author).name}", timeline)


@pytest.mark.parametrize("author", ["mentee_a", "mentor_a"])
def test_a_progress_note_with_htmx_returns_only_the_new_timeline(personas, login_as, author):
    goal = make_goal(personas.mentee_a)

    response = login_as(author).post(f"/goals/{goal.id}/updates", data={"body": "Called the clinic."}, headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section class="card" id="timeline"')
    assert "Called the clinic." in response.text
    assert personas.by_name(author).name in response.text
    assert "Progress note added." in response.text
    assert '<textarea' in response.text and "Called the clinic.</textarea>" not in response.text
    assert [row.body for row in timeline_rows(goal, "note")] == ["Called the clinic."]


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_an_empty_note_is_refused_and_nothing_is_added(personas, login_as, headers):
    goal = make_goal(personas.mentee_a)

    response = login_as("mentee_a").post(f"/goals/{goal.id}/updates", data={"body": "  "}, headers=headers)

    assert response.status_code == 422
    assert "Write a few words first." in response.text
    assert ("<html" in response.text) == (not headers)
    assert GoalUpdate.select().count() == 0
    assert audit_events("goal.note") == []


def test_mentee_and_mentor_see_each_others_notes_and_step_changes_newest_first(personas, login_as):
    goal = make_goal(personas.mentee_a)
    mentee, mentor = login_as("mentee_a"), login_as("mentor_a")

    mentee.post(f"/goals/{goal.id}/steps", data={"title": "Ask about the evening group"})
    mentor.post(f"/goals/{goal.id}/updates", data={"body": "Proud of you for asking."})
    mentee.post(f"/goals/{goal.id}/updates", data={"body": "Thanks, it felt good."})

    for client in (mentee, mentor):
        timeline = timeline_section(client.get(f"/goals/{goal.id}").text)
        items = re.findall(r"· ([A-Za-z ]+)</span>\s*<p[^>]*>([^<]+)</p>", timeline)
        assert items == [
            ("Ada Mentee", "Thanks, it felt good."),
            ("Abe Mentor", "Proud of you for asking."),
            ("Ada Mentee", "Added the step “Ask about the evening group”."),
        ]


def test_note_text_is_escaped(personas, login_as):
    goal = make_goal(personas.mentee_a)
    client = login_as("mentor_a")
    client.post(f"/goals/{goal.id}/updates", data={"body": "<script>alert(1)</script>"})

    page = client.get(f"/goals/{goal.id}").text

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _notes_shown(html):
    return re.findall(r"<p class=\"prewrap\">Note (\d+)</p>", html)


@pytest.mark.parametrize("reader", ["mentee_a", "mentor_a"])
def test_a_long_timeline_shows_the_newest_twenty_and_pages_back(personas, login_as, reader):
    goal = make_goal(personas.mentee_a)
    start = datetime.datetime(2026, 1, 1, 9, 0)
    for number in range(1, 46):
        GoalUpdate.create(goal=goal, author=personas.mentee_a, kind="note", body=f"Note {number}",
                          created=start + datetime.timedelta(hours=number))
    client = login_as(reader)

    first = client.get(f"/goals/{goal.id}").text
    assert _notes_shown(first) == [str(n) for n in range(45, 25, -1)]
    assert f'href="/goals/{goal.id}?page=2#timeline"' in first
    assert "Show older updates" in first

    fragment = client.get(f"/goals/{goal.id}?page=2", headers=HX).text  # htmx: the next part only
    assert "<html" not in fragment and 'id="goal-steps"' not in fragment
    assert _notes_shown(fragment) == [str(n) for n in range(25, 5, -1)]
    assert f"/goals/{goal.id}?page=3" in fragment

    last = client.get(f"/goals/{goal.id}?page=3").text  # without JavaScript: the whole page, older part
    assert _notes_shown(last) == [str(n) for n in range(5, 0, -1)]
    assert "Show older updates" not in last
    assert "Newest updates" in last
