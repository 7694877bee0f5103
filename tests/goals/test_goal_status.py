"""A goal's status: achieved (with what helped, celebrated), let go (kindly), paused and active again."""
import datetime
import re

import pytest
import time_machine

from app.goals.models import Goal
from tests.goals.conftest import audit_events, make_goal, reload, timeline_rows

NOW = datetime.datetime(2027, 4, 12, 15, 30)


def main_text(html):
    """The visible words of the page body, without markup."""
    return re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])


def test_marking_achieved_asks_what_helped(personas, login_as):
    goal = make_goal(personas.mentee_a)
    page = login_as("mentee_a").get(f"/goals/{goal.id}/status/achieved")

    assert page.status_code == 200
    assert "What helped you get there?" in page.text
    assert reload(goal).status == "active"


@pytest.mark.parametrize("note", ["", "   "])
def test_achieved_without_a_line_on_what_helped_is_refused(personas, login_as, note):
    goal = make_goal(personas.mentee_a)
    response = login_as("mentee_a").post(f"/goals/{goal.id}/status/achieved", data={"note": note})

    assert response.status_code == 422
    assert "Write a line about what helped." in response.text
    goal = reload(goal)
    assert (goal.status, goal.achieved_at) == ("active", None)
    assert audit_events("goal.status") == []


@pytest.mark.parametrize("actor", ["mentee_a", "mentor_a"])
def test_achieving_a_goal_records_when_and_what_helped_and_celebrates_kindly(personas, login_as, actor):
    goal = make_goal(personas.mentee_a)

    with time_machine.travel(NOW, tick=False):
        client = login_as(actor)
        response = client.post(f"/goals/{goal.id}/status/achieved",
                               data={"note": "Going with my sister made it easier."})
        page = client.get(response.headers["Location"]).text

    assert response.status_code == 303
    assert response.headers["Location"] == f"/goals/{goal.id}"
    goal = reload(goal)
    assert (goal.status, goal.status_note) == ("achieved", "Going with my sister made it easier.")
    assert goal.achieved_at == NOW
    assert '<p class="flash flash--celebrate">You did it! Reaching a goal takes courage and persistence.' in page
    assert "Achieved on Apr 12, 2027" in page
    assert "What helped: Going with my sister made it easier." in page
    [row] = timeline_rows(goal, "status")
    assert row.author_id == personas.by_name(actor).id
    [event] = audit_events("goal.status")
    assert (event.actor_id, event.subject_id, event.object_id, event.detail) == (
        personas.by_name(actor).id, personas.mentee_a.id, goal.id, "achieved")


def test_the_timeline_names_the_new_status_in_words(personas, login_as):
    goal = make_goal(personas.mentee_a)
    client = login_as("mentee_a")
    client.post(f"/goals/{goal.id}/status/let_go", data={"note": "I moved away from the gym."})

    page = client.get(f"/goals/{goal.id}").text

    assert "Changed the status: Let go" in page
    assert "I moved away from the gym." in page
    assert "let_go" not in main_text(page)


def test_letting_go_is_worded_kindly_and_never_as_failure(personas, login_as):
    goal = make_goal(personas.mentee_a)
    client = login_as("mentee_a")

    ask = client.get(f"/goals/{goal.id}/status/let_go")
    assert ask.status_code == 200
    assert "that is okay" in ask.text
    response = client.post(f"/goals/{goal.id}/status/let_go", data={"note": ""})
    after = client.get(response.headers["Location"]).text
    past = client.get("/goals/past").text

    assert response.status_code == 303
    assert "Letting go of a goal is a choice." in after
    for page in (ask.text, after, past):
        assert "fail" not in main_text(page).lower()


def test_letting_go_takes_an_optional_note(personas, login_as):
    quiet = make_goal(personas.mentee_a, title="Run a marathon")
    noted = make_goal(personas.mentee_a, title="Learn Spanish")
    client = login_as("mentor_a")

    assert client.post(f"/goals/{quiet.id}/status/let_go", data={}).status_code == 303
    assert client.post(f"/goals/{noted.id}/status/let_go",
                       data={"note": "Other things matter more this year."}).status_code == 303

    assert (reload(quiet).status, reload(quiet).status_note) == ("let_go", "")
    assert (reload(noted).status, reload(noted).status_note) == ("let_go", "Other things matter more this year.")
    assert reload(noted).achieved_at is None


def test_a_goal_can_be_paused_and_made_active_again(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic"])
    client = login_as("mentee_a")

    response = client.post(f"/goals/{goal.id}/status/paused", data={"note": ""})
    assert response.status_code == 303
    assert reload(goal).status == "paused"
    paused_page = client.get(f"/goals/{goal.id}").text
    assert "The goal is paused. Pick it up again whenever you are ready." in paused_page
    assert "Work on it again" in paused_page
    assert "Mark achieved" not in paused_page

    response = client.post(f"/goals/{goal.id}/status/active", data={"note": ""})
    assert response.status_code == 303
    assert reload(goal).status == "active"
    assert "The goal is active again." in client.get(f"/goals/{goal.id}").text
    assert [event.detail for event in audit_events("goal.status")] == ["paused", "active"]


def test_an_achieved_goal_made_active_again_forgets_when_it_was_achieved(personas, login_as):
    goal = make_goal(personas.mentee_a)
    client = login_as("mentee_a")
    client.post(f"/goals/{goal.id}/status/achieved", data={"note": "Support."})
    client.post(f"/goals/{goal.id}/status/active", data={"note": ""})

    assert (reload(goal).status, reload(goal).achieved_at) == ("active", None)


def test_achieved_and_let_go_goals_are_kept_to_look_back_on(personas, login_as):
    make_goal(personas.mentee_a, title="Reached goal", status="achieved", status_note="My mentor's calls.",
              achieved_at=datetime.datetime(2027, 1, 2, 10, 0))
    make_goal(personas.mentee_a, title="Released goal", status="let_go")
    make_goal(personas.mentee_a, title="Current goal")
    make_goal(personas.mentee_a, title="Resting goal", status="paused")
    make_goal(personas.mentee_b, title="Someone else's reached goal", status="achieved")
    client = login_as("mentee_a")

    past = client.get("/goals/past")
    current = client.get("/goals").text

    assert past.status_code == 200
    assert "Reached goal" in past.text and "Released goal" in past.text
    assert "My mentor&#39;s calls." in past.text
    assert "Current goal" not in past.text and "Resting goal" not in past.text
    assert "Someone else" not in past.text
    assert "Current goal" in current and "Resting goal" in current
    assert "Reached goal" not in current and "Released goal" not in current


def test_a_status_post_for_the_status_a_goal_already_has_records_nothing(personas, login_as):
    goal = make_goal(personas.mentee_a, status="paused")
    login_as("mentee_a").post(f"/goals/{goal.id}/status/paused", data={"note": ""})

    assert timeline_rows(goal, "status") == []
    assert audit_events("goal.status") == []
    assert Goal.get_by_id(goal.id).status == "paused"
