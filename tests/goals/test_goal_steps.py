"""Steps of a goal: add, rename, tick, untick, move and delete, with and without htmx.

Every action is tried as a plain form post (303 back to the goal) and as an htmx
request (the steps fragment alone, showing the new state).
"""
import datetime
import re

import pytest

from app.goals.models import GoalStep
from tests.goals.conftest import (
    HX,
    audit_events,
    make_goal,
    reload,
    step_positions,
    step_titles,
    steps_in_order,
    timeline_rows,
)

VIA = ["plain", "htmx"]


def post(client, url, via, **data):
    return client.post(url, data=data, headers=HX if via == "htmx" else {})


def steps_html(client, response, via, goal):
    """The steps section showing the state after the action, checking the answer's shape on the way."""
    if via == "plain":
        assert response.status_code == 303, response.text
        assert response.headers["Location"] == f"/goals/{goal.id}#goal-steps"
        page = client.get(f"/goals/{goal.id}").text
        return re.search(r'<section class="card" id="goal-steps".*?</section>', page, re.S).group(0)
    assert response.status_code == 200, response.text
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section class="card" id="goal-steps"')
    assert "HX-Request" in response.headers["Vary"]
    return response.text


def titles_shown(html):
    return re.findall(r'<span class="step__title">([^<]*)</span>', html)


def progress_shown(html):
    return re.search(r"\d+ of \d+ steps? done", html).group(0)


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("actor", ["mentee_a", "mentor_a"])
def test_added_steps_go_to_the_end_at_positions_zero_to_n_minus_one(personas, login_as, actor, via):
    goal = make_goal(personas.mentee_a)
    client = login_as(actor)

    for title in ["Find a meeting near work", "Go to the first one", "Go to a second one"]:
        response = post(client, f"/goals/{goal.id}/steps", via, title=title)

    html = steps_html(client, response, via, goal)
    assert step_titles(goal) == ["Find a meeting near work", "Go to the first one", "Go to a second one"]
    assert step_positions(goal) == [0, 1, 2]
    assert titles_shown(html) == step_titles(goal)
    assert progress_shown(html) == "0 of 3 steps done"
    assert {step.created_by_id for step in steps_in_order(goal)} == {personas.by_name(actor).id}
    added = timeline_rows(goal, "step_added")
    assert [(row.author_id, row.body) for row in added] == [
        (personas.by_name(actor).id, title) for title in step_titles(goal)]
    assert [event.object_id for event in audit_events("goal.step_add")] == [s.id for s in steps_in_order(goal)]


def test_a_step_may_have_a_due_date(personas, login_as):
    goal = make_goal(personas.mentee_a)
    client = login_as("mentee_a")
    client.post(f"/goals/{goal.id}/steps", data={"title": "Call the clinic", "due_date": "2027-02-01"})
    client.post(f"/goals/{goal.id}/steps", data={"title": "Book a check-up", "due_date": ""})

    assert [step.due_date for step in steps_in_order(goal)] == [datetime.date(2027, 2, 1), None]
    assert "due Feb 1, 2027" in client.get(f"/goals/{goal.id}").text


@pytest.mark.parametrize("via", VIA)
def test_a_step_without_a_title_is_refused_with_a_hint(personas, login_as, via):
    goal = make_goal(personas.mentee_a, steps=["Existing step"])
    response = post(login_as("mentee_a"), f"/goals/{goal.id}/steps", via, title="  ", due_date="2027-02-01")

    assert response.status_code == 422
    assert "Describe the step." in response.text
    assert ("<html" in response.text) == (via == "plain")
    assert step_titles(goal) == ["Existing step"]


def test_renaming_starts_from_a_form_holding_the_step(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=[("Call the clinic", datetime.date(2027, 2, 1))])
    step = steps_in_order(goal)[0]
    client = login_as("mentee_a")

    page = client.get(f"/goals/{goal.id}/steps/{step.id}/edit")
    assert page.status_code == 200
    assert "<html" in page.text
    assert 'name="edit-title"' in page.text and 'value="Call the clinic"' in page.text
    assert 'value="2027-02-01"' in page.text

    fragment = client.get(f"/goals/{goal.id}/steps/{step.id}/edit", headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert f'hx-post="/goals/{goal.id}/steps/{step.id}/edit"' in fragment.text
    assert 'value="Call the clinic"' in fragment.text


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("actor", ["mentee_a", "mentor_a"])
def test_renaming_a_step_changes_its_title_and_due_date(personas, login_as, actor, via):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic", "Book a check-up"])
    step = steps_in_order(goal)[0]
    client = login_as(actor)

    response = post(client, f"/goals/{goal.id}/steps/{step.id}/edit", via,
                    **{"edit-title": "Call the clinic on Monday", "edit-due_date": "2027-02-01"})

    html = steps_html(client, response, via, goal)
    step = reload(step)
    assert (step.title, step.due_date, step.position) == ("Call the clinic on Monday", datetime.date(2027, 2, 1), 0)
    assert titles_shown(html) == ["Call the clinic on Monday", "Book a check-up"]
    [renamed] = timeline_rows(goal, "step_renamed")
    assert (renamed.author_id, renamed.body) == (personas.by_name(actor).id, "Call the clinic on Monday")
    [event] = audit_events("goal.step_update")
    assert (event.actor_id, event.object_id) == (personas.by_name(actor).id, step.id)


@pytest.mark.parametrize("via", VIA)
def test_renaming_to_nothing_is_refused_and_keeps_the_step(personas, login_as, via):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic"])
    step = steps_in_order(goal)[0]

    response = post(login_as("mentee_a"), f"/goals/{goal.id}/steps/{step.id}/edit", via, **{"edit-title": ""})

    assert response.status_code == 422
    assert "Describe the step." in response.text
    assert ("<html" in response.text) == (via == "plain")
    assert reload(step).title == "Call the clinic"
    assert timeline_rows(goal, "step_renamed") == []


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("actor", ["mentee_a", "mentor_a"])
def test_ticking_and_unticking_a_step_shows_progress_and_is_on_the_timeline(personas, login_as, actor, via):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic", "Book a check-up"])
    step = steps_in_order(goal)[0]
    client = login_as(actor)
    url = f"/goals/{goal.id}/steps/{step.id}/toggle"

    html = steps_html(client, post(client, url, via, done="1"), via, goal)
    assert reload(step).done_at is not None
    assert reload(step).done_by_id == personas.by_name(actor).id
    assert progress_shown(html) == "1 of 2 steps done"
    assert 'aria-pressed="true"' in html
    assert 'Done: mark “Call the clinic” as not done' in html

    html = steps_html(client, post(client, url, via, done="0"), via, goal)
    assert reload(step).done_at is None
    assert reload(step).done_by_id is None
    assert progress_shown(html) == "0 of 2 steps done"
    assert 'aria-pressed="true"' not in html

    rows = [(row.kind, row.author_id, row.body) for row in timeline_rows(goal) if row.kind.startswith("step_")]
    assert rows == [("step_done", personas.by_name(actor).id, "Call the clinic"),
                    ("step_undone", personas.by_name(actor).id, "Call the clinic")]
    assert [event.action for event in audit_events() if event.action.startswith("goal.step")] == [
        "goal.step_tick", "goal.step_untick"]
    page = client.get(f"/goals/{goal.id}").text
    assert "Finished the step “Call the clinic”." in page
    assert "Marked “Call the clinic” as not done." in page


def test_ticking_a_step_that_is_already_done_changes_nothing(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=[("Call the clinic", None, True)])
    step = steps_in_order(goal)[0]
    done_at = step.done_at

    response = login_as("mentor_a").post(f"/goals/{goal.id}/steps/{step.id}/toggle", data={"done": "1"})

    assert response.status_code == 303
    assert reload(step).done_at == done_at
    assert timeline_rows(goal, "step_done") == []
    assert audit_events("goal.step_tick") == []


@pytest.mark.parametrize("via", VIA)
def test_moving_steps_down_and_up_changes_their_order(personas, login_as, via):
    goal = make_goal(personas.mentee_a, steps=["A", "B", "C"])
    a, b, c = steps_in_order(goal)
    client = login_as("mentee_a")

    html = steps_html(client, post(client, f"/goals/{goal.id}/steps/{a.id}/move", via, direction="down"), via, goal)
    assert step_titles(goal) == ["B", "A", "C"]
    assert titles_shown(html) == ["B", "A", "C"]

    html = steps_html(client, post(client, f"/goals/{goal.id}/steps/{c.id}/move", via, direction="up"), via, goal)
    assert step_titles(goal) == ["B", "C", "A"]
    assert titles_shown(html) == ["B", "C", "A"]
    assert step_positions(goal) == [0, 1, 2]
    assert [row.body for row in timeline_rows(goal, "step_moved")] == ["A", "C"]
    assert [(event.object_id, event.detail) for event in audit_events("goal.step_move")] == [
        (a.id, "down"), (c.id, "up")]


@pytest.mark.parametrize("via", VIA)
def test_moving_the_first_step_up_or_the_last_step_down_changes_nothing(personas, login_as, via):
    goal = make_goal(personas.mentee_a, steps=["A", "B", "C"])
    a, b, c = steps_in_order(goal)
    client = login_as("mentee_a")

    html = steps_html(client, post(client, f"/goals/{goal.id}/steps/{a.id}/move", via, direction="up"), via, goal)
    assert titles_shown(html) == ["A", "B", "C"]
    html = steps_html(client, post(client, f"/goals/{goal.id}/steps/{c.id}/move", via, direction="down"), via, goal)
    assert titles_shown(html) == ["A", "B", "C"]

    assert step_titles(goal) == ["A", "B", "C"]
    assert step_positions(goal) == [0, 1, 2]
    assert timeline_rows(goal, "step_moved") == []
    assert audit_events("goal.step_move") == []


def test_the_first_step_has_no_working_up_button_and_the_last_no_down_button(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=["A", "B"])
    page = login_as("mentee_a").get(f"/goals/{goal.id}").text

    disabled = re.findall(r'<button type="submit" name="direction" value="(?:up|down)" class="icon-button" disabled>\s*'
                          r'<span aria-hidden="true">.</span>'
                          r'<span class="visually-hidden">([^<]+)</span>', page)
    assert disabled == ["Move up: A", "Move down: B"]


def test_a_move_in_no_known_direction_changes_nothing(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=["A", "B"])
    a = steps_in_order(goal)[0]

    response = login_as("mentee_a").post(f"/goals/{goal.id}/steps/{a.id}/move", data={"direction": "sideways"})

    assert response.status_code == 303
    assert step_titles(goal) == ["A", "B"]


def test_deleting_a_step_asks_first(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic", "Book a check-up"])
    step = steps_in_order(goal)[0]

    page = login_as("mentee_a").get(f"/goals/{goal.id}/steps/{step.id}/delete")

    assert page.status_code == 200
    assert "Delete this step?" in page.text
    assert "Call the clinic" in page.text
    assert '<form method="post" class="button-row">' in page.text
    assert step_titles(goal) == ["Call the clinic", "Book a check-up"]


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("actor", ["mentee_a", "mentor_a"])
def test_deleting_a_step_removes_it_and_renumbers_the_rest(personas, login_as, actor, via):
    goal = make_goal(personas.mentee_a, steps=["A", "B", "C", "D"])
    b = steps_in_order(goal)[1]
    client = login_as(actor)

    html = steps_html(client, post(client, f"/goals/{goal.id}/steps/{b.id}/delete", via), via, goal)

    assert step_titles(goal) == ["A", "C", "D"]
    assert step_positions(goal) == [0, 1, 2]
    assert titles_shown(html) == ["A", "C", "D"]
    assert progress_shown(html) == "0 of 3 steps done"
    [removed] = timeline_rows(goal, "step_removed")
    assert (removed.author_id, removed.body) == (personas.by_name(actor).id, "B")
    [event] = audit_events("goal.step_delete")
    assert (event.actor_id, event.object_id, event.subject_id) == (
        personas.by_name(actor).id, b.id, personas.mentee_a.id)


def test_a_step_is_only_reached_through_its_own_goal(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=["Mine"])
    other = make_goal(personas.mentee_a, title="Another goal", steps=["Other step"])
    other_step = steps_in_order(other)[0]
    client = login_as("mentee_a")
    base = f"/goals/{goal.id}/steps/{other_step.id}"

    assert client.post(f"{base}/toggle", data={"done": "1"}).status_code == 404
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 404
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/edit", data={"edit-title": "Hijacked"}).status_code == 404
    assert client.get(f"{base}/delete").status_code == 404
    assert client.post(f"{base}/delete").status_code == 404
    other_step = reload(other_step)
    assert (other_step.title, other_step.done_at) == ("Other step", None)
    assert GoalStep.select().count() == 2


def test_progress_is_steps_done_out_of_all_steps(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=[("A", None, True), "B", "C"])
    single = make_goal(personas.mentee_a, title="One-step goal", steps=[("Only", None, True)])
    empty = make_goal(personas.mentee_a, title="A goal with no steps yet")
    client = login_as("mentee_a")

    page = client.get(f"/goals/{goal.id}").text
    assert "1 of 3 steps done" in page
    assert '<progress max="3" value="1"' in page
    assert "1 of 1 step done" in client.get(f"/goals/{single.id}").text
    assert "No steps yet" in client.get(f"/goals/{empty.id}").text
    overview = client.get("/goals").text
    assert "1 of 3 steps done" in overview and "1 of 1 step done" in overview
