"""Every goals route x every persona, against mentee A's goal: who gets what.

Mentee A and her active mentor work on her goals; mentee B, mentor B and the
coordinator get 404 (coordinators see per-match counts only, on the match page);
anonymous visitors are sent to sign in. Each persona gets a goal of its own to try
(a fresh one), so what one persona does cannot hide what another may do. A goals
route missing from the tables fails the test that compares them with app.url_map.
"""
import pytest
from flask import url_for

from app.goals.models import Goal, GoalStep, GoalUpdate
from tests.conftest import PERSONA_NAMES
from tests.goals.conftest import HX, make_goal, steps_in_order

LOGIN = "sign in"  # a plain request is redirected to /login
HX_LOGIN = "sign in (htmx)"  # an htmx request gets 401 with HX-Redirect to /login
SENTINEL = "Sentinel-matrix-goal-5521"

ORDER = ("mentee_a", "mentor_a", "mentee_b", "mentor_b", "coordinator", "anonymous")

# Plain requests (no HX-Request header).
# (endpoint, method, status argument):              mentee_a mentor_a mentee_b mentor_b coordinator anonymous
EXPECTED = {
    ("goals.overview", "GET", None):                    (200, 200, 200, 200, 404, LOGIN),
    ("goals.past_goals", "GET", None):                  (200, 404, 200, 404, 404, LOGIN),
    ("goals.mentee_goals", "GET", None):                (302, 200, 404, 404, 404, LOGIN),
    ("goals.new_goal", "GET", None):                    (200, 200, 200, 404, 404, LOGIN),
    ("goals.new_goal", "POST", None):                   (303, 303, 303, 404, 404, LOGIN),
    ("goals.show_goal", "GET", None):                   (200, 200, 404, 404, 404, LOGIN),
    ("goals.edit_goal", "GET", None):                   (200, 200, 404, 404, 404, LOGIN),
    ("goals.edit_goal", "POST", None):                  (303, 303, 404, 404, 404, LOGIN),
    ("goals.add_note", "POST", None):                   (303, 303, 404, 404, 404, LOGIN),
    ("goals.change_status", "GET", "active"):           (200, 200, 404, 404, 404, LOGIN),
    ("goals.change_status", "GET", "achieved"):         (200, 200, 404, 404, 404, LOGIN),
    ("goals.change_status", "GET", "paused"):           (200, 200, 404, 404, 404, LOGIN),
    ("goals.change_status", "GET", "let_go"):           (200, 200, 404, 404, 404, LOGIN),
    ("goals.change_status", "POST", "active"):          (303, 303, 404, 404, 404, LOGIN),
    ("goals.change_status", "POST", "achieved"):        (303, 303, 404, 404, 404, LOGIN),
    ("goals.change_status", "POST", "paused"):          (303, 303, 404, 404, 404, LOGIN),
    ("goals.change_status", "POST", "let_go"):          (303, 303, 404, 404, 404, LOGIN),
    ("goals.add_step", "POST", None):                   (303, 303, 404, 404, 404, LOGIN),
    ("goals.toggle_step", "POST", None):                (303, 303, 404, 404, 404, LOGIN),
    ("goals.rename_step", "GET", None):                 (200, 200, 404, 404, 404, LOGIN),
    ("goals.rename_step", "POST", None):                (303, 303, 404, 404, 404, LOGIN),
    ("goals.move_step", "POST", None):                  (303, 303, 404, 404, 404, LOGIN),
    ("goals.delete_step", "GET", None):                 (200, 200, 404, 404, 404, LOGIN),
    ("goals.delete_step", "POST", None):                (303, 303, 404, 404, 404, LOGIN),
}

# htmx requests (HX-Request: true): step actions and notes answer with their fragment (200).
# (endpoint, method, status argument):              mentee_a mentor_a mentee_b mentor_b coordinator anonymous
EXPECTED_HTMX = {
    ("goals.overview", "GET", None):                    (200, 200, 200, 200, 404, HX_LOGIN),
    ("goals.past_goals", "GET", None):                  (200, 404, 200, 404, 404, HX_LOGIN),
    ("goals.mentee_goals", "GET", None):                (302, 200, 404, 404, 404, HX_LOGIN),
    ("goals.new_goal", "GET", None):                    (200, 200, 200, 404, 404, HX_LOGIN),
    ("goals.new_goal", "POST", None):                   (303, 303, 303, 404, 404, HX_LOGIN),
    ("goals.show_goal", "GET", None):                   (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.edit_goal", "GET", None):                   (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.edit_goal", "POST", None):                  (303, 303, 404, 404, 404, HX_LOGIN),
    ("goals.add_note", "POST", None):                   (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "GET", "active"):           (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "GET", "achieved"):         (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "GET", "paused"):           (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "GET", "let_go"):           (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "POST", "active"):          (303, 303, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "POST", "achieved"):        (303, 303, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "POST", "paused"):          (303, 303, 404, 404, 404, HX_LOGIN),
    ("goals.change_status", "POST", "let_go"):          (303, 303, 404, 404, 404, HX_LOGIN),
    ("goals.add_step", "POST", None):                   (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.toggle_step", "POST", None):                (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.rename_step", "GET", None):                 (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.rename_step", "POST", None):                (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.move_step", "POST", None):                  (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.delete_step", "GET", None):                 (200, 200, 404, 404, 404, HX_LOGIN),
    ("goals.delete_step", "POST", None):                (200, 200, 404, 404, 404, HX_LOGIN),
}

# What a POST sends: a valid form, so an allowed persona's request really does the thing.
POST_DATA = {
    "goals.new_goal": {"title": SENTINEL + " new", "area": "work_study"},  # plus mentee: mentee A's id
    "goals.edit_goal": {"title": SENTINEL + " edited", "area": "housing"},
    "goals.add_note": {"body": SENTINEL + " note"},
    "goals.change_status": {"note": SENTINEL + " what helped"},
    "goals.add_step": {"title": SENTINEL + " new step"},
    "goals.toggle_step": {"done": "1"},
    "goals.rename_step": {"edit-title": SENTINEL + " renamed step"},
    "goals.move_step": {"direction": "up"},
    "goals.delete_step": {},
}


def goal_rule_keys(app):
    keys = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("goals."):
            continue
        choices = sorted(rule._converters["status"].items) if "status" in rule.arguments else [None]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.update((rule.endpoint, method, choice) for choice in choices)
    return keys


def test_the_tables_name_every_goals_route_and_method(app):
    routes = goal_rule_keys(app)

    assert routes, "no goals routes found"
    assert sorted(routes - set(EXPECTED), key=str) == [], "goals routes missing from EXPECTED"
    assert sorted(set(EXPECTED) - routes, key=str) == [], "EXPECTED names routes that no longer exist"
    assert set(EXPECTED_HTMX) == set(EXPECTED)
    assert tuple(PERSONA_NAMES) == ORDER


def make_sample(personas):
    """A fresh goal of mentee A with two steps; the request targets the second step."""
    goal = make_goal(personas.mentee_a, title=SENTINEL, why=SENTINEL + " why",
                     steps=[SENTINEL + " first step", SENTINEL + " second step"])
    return goal, steps_in_order(goal)[1]


def url_of(app, key, goal, step, personas):
    endpoint, method, status = key
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    samples = {"goal_id": goal.id, "step_id": step.id, "mentee_id": personas.mentee_a.id, "status": status}
    unknown = set(rule.arguments) - set(samples)
    assert not unknown, f"{endpoint} takes {unknown}: give the matrix a sample value for it"
    values = {name: samples[name] for name in rule.arguments}
    if endpoint == "goals.new_goal" and method == "GET":
        values["mentee"] = personas.mentee_a.id
    with app.test_request_context():
        return url_for(endpoint, **values)


def snapshot(goal):
    """Everything a refused request must leave as it was."""
    fresh = Goal.get_by_id(goal.id)
    return (
        (fresh.title, fresh.why, fresh.area, fresh.status, fresh.status_note, fresh.target_date),
        [(s.id, s.title, s.position, s.done_at) for s in GoalStep.select().where(GoalStep.goal == goal)
         .order_by(GoalStep.id)],
        GoalUpdate.select().where(GoalUpdate.goal == goal).count(),
        Goal.select().where(Goal.mentee == goal.mentee_id).count(),
    )


def outcome(response, htmx):
    """The status, or LOGIN / HX_LOGIN when an anonymous visitor is sent to sign in."""
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return LOGIN
    if response.status_code == 401 and response.headers.get("HX-Redirect", "").startswith("/login"):
        return HX_LOGIN
    return response.status_code


def try_as_everyone(app, personas, login_as, key, htmx):
    """Each persona's outcome, checking on the way that refusals change and reveal nothing."""
    endpoint, method, _ = key
    outcomes = {}
    for name in ORDER:
        goal, step = make_sample(personas)
        url = url_of(app, key, goal, step, personas)
        before = snapshot(goal)
        client = login_as(name)
        headers = HX if htmx else {}
        if method == "GET":
            response = client.get(url, headers=headers)
        else:
            data = dict(POST_DATA[endpoint])
            if endpoint == "goals.new_goal":
                data["mentee"] = str(personas.mentee_a.id)
            response = client.post(url, data=data, headers=headers)
        outcomes[name] = outcome(response, htmx)
        if name not in ("mentee_a", "mentor_a"):
            assert SENTINEL not in response.text, f"{name} saw mentee A's goal at {method} {url}"
            assert snapshot(goal) == before, f"{name} changed mentee A's goal with {method} {url}"
    return tuple(outcomes[name] for name in ORDER)


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda key: "-".join(filter(None, key)))
def test_each_persona_gets_what_the_tables_say_from_a_goals_route(app, personas, login_as, key):
    plain = try_as_everyone(app, personas, login_as, key, htmx=False)
    htmx = try_as_everyone(app, personas, login_as, key, htmx=True)

    assert {"plain": plain, "htmx": htmx} == {"plain": EXPECTED[key], "htmx": EXPECTED_HTMX[key]}


@pytest.mark.parametrize("action", ["pause", "close"])
def test_after_the_match_is_paused_or_closed_every_goal_url_of_the_mentee_is_404_for_the_mentor(
        app, personas, login_as, action):
    mentor = login_as("mentor_a")
    goal, step = make_sample(personas)
    assert mentor.get(f"/goals/{goal.id}").status_code == 200
    response = login_as("coordinator").post(f"/matches/{personas.match_a.id}/{action}",
                                            data={"reason": "Taking a break."})
    assert response.status_code == 303

    for key in EXPECTED:
        endpoint, method, _ = key
        if endpoint in ("goals.overview", "goals.past_goals"):
            continue  # the mentor's own pages, not mentee A's
        for htmx in (False, True):
            goal, step = make_sample(personas)
            before = snapshot(goal)
            url = url_of(app, key, goal, step, personas)
            headers = HX if htmx else {}
            if method == "GET":
                response = mentor.get(url, headers=headers)
            else:
                data = dict(POST_DATA[endpoint], mentee=str(personas.mentee_a.id))
                response = mentor.post(url, data=data, headers=headers)
            assert response.status_code == 404, (method, url, htmx)
            assert SENTINEL not in response.text
            assert snapshot(goal) == before, (method, url)

    overview = mentor.get("/goals")
    assert overview.status_code == 200
    assert SENTINEL not in overview.text
    assert SENTINEL not in mentor.get("/home").text
    assert mentor.get(f"/goals/new?mentee={personas.mentee_a.id}").status_code == 404
