"""Creating and editing goals, as the mentee and as their active mentor."""
import datetime
import html
import re

import pytest

from app.goals.models import AREAS, Goal
from tests.goals.conftest import audit_events, make_goal, reload, timeline_rows

XSS = "<img src=x onerror=alert(1)>"


def goal_form(**fields):
    data = {"title": "Go to two recovery meetings a week", "why": "They keep me steady.", "area": "recovery",
            "target_date": ""}
    data.update(fields)
    return data


def for_mentee(personas, data):
    """A mentor names the mentee in the form; for a mentee the page puts their own id there."""
    data = dict(data)
    data["mentee"] = str(personas.mentee_a.id)
    return data


@pytest.mark.parametrize("author", ["mentee_a", "mentor_a"])
def test_mentee_or_active_mentor_creates_a_goal_for_the_mentee(personas, login_as, author):
    client = login_as(author)
    response = client.post("/goals/new", data=for_mentee(personas, goal_form(target_date="2027-03-31")))

    goal = Goal.get()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/goals/{goal.id}"
    assert goal.mentee_id == personas.mentee_a.id
    assert (goal.title, goal.why, goal.area, goal.status) == (
        "Go to two recovery meetings a week", "They keep me steady.", "recovery", "active")
    assert goal.target_date == datetime.date(2027, 3, 31)
    assert goal.created_by_id == personas.by_name(author).id


@pytest.mark.parametrize("author", ["mentee_a", "mentor_a"])
def test_who_created_a_goal_is_on_its_timeline_and_in_the_audit_trail(personas, login_as, author):
    client = login_as(author)
    client.post("/goals/new", data=for_mentee(personas, goal_form()))

    goal = Goal.get()
    [created] = timeline_rows(goal)
    assert (created.kind, created.author_id) == ("created", personas.by_name(author).id)
    [event] = audit_events("goal.create")
    assert (event.actor_id, event.subject_id, event.object_type, event.object_id) == (
        personas.by_name(author).id, personas.mentee_a.id, "goal", goal.id)
    page = client.get(f"/goals/{goal.id}").text
    assert "Set this goal." in page
    assert personas.by_name(author).name in page


def test_new_goal_form_offers_every_area_and_gentle_smart_hints(personas, login_as):
    page = login_as("mentee_a").get("/goals/new").text

    options = re.findall(r'<option(?: selected)? value="([a-z_]+)">([^<]+)', page)
    assert options == [(key, str(label)) for key, label in AREAS.items()]
    assert "Specific: what exactly will you do?" in page
    assert "Time-bound: by when?" in page
    assert "Example:" in page
    assert 'name="target_date"' in page


def test_target_date_is_optional(personas, login_as):
    response = login_as("mentee_a").post("/goals/new", data=goal_form(target_date=""))

    assert response.status_code == 303
    assert Goal.get().target_date is None


def test_goal_without_a_title_is_shown_again_with_what_was_typed(personas, login_as):
    response = login_as("mentee_a").post("/goals/new", data=goal_form(title="   ", why="Because of my daughter."))

    assert response.status_code == 422
    assert "Give the goal a short name." in response.text
    assert "Because of my daughter." in response.text
    assert Goal.select().count() == 0


def test_mentor_goal_form_keeps_the_mentee_after_a_mistake(personas, login_as):
    client = login_as("mentor_a")
    response = client.post("/goals/new", data=for_mentee(personas, goal_form(title="")))

    assert response.status_code == 422
    assert f'name="mentee" value="{personas.mentee_a.id}"' in response.text
    assert "New goal for Ada Mentee" in response.text


def test_an_area_outside_the_choices_is_refused(personas, login_as):
    response = login_as("mentee_a").post("/goals/new", data=goal_form(area="astrology"))

    assert response.status_code == 422
    assert Goal.select().count() == 0


def test_an_impossible_target_date_is_refused_and_the_text_kept(personas, login_as):
    response = login_as("mentee_a").post("/goals/new", data=goal_form(target_date="2027-02-30"))

    assert response.status_code == 422
    assert "Go to two recovery meetings a week" in response.text
    assert Goal.select().count() == 0


def test_mentee_posting_another_mentees_id_creates_the_goal_for_themselves_only(personas, login_as):
    client = login_as("mentee_b")
    response = client.post("/goals/new", data=goal_form(mentee=str(personas.mentee_a.id)))

    assert response.status_code == 303
    goal = Goal.get()
    assert goal.mentee_id == personas.mentee_b.id
    assert Goal.select().where(Goal.mentee == personas.mentee_a).count() == 0


@pytest.mark.parametrize("mentee", ["mentee_b", "mentor_b", "coordinator"])
def test_mentor_naming_someone_they_do_not_actively_support_gets_404(personas, login_as, mentee):
    client = login_as("mentor_a")
    mentee_id = personas.by_name(mentee).id

    assert client.get(f"/goals/new?mentee={mentee_id}").status_code == 404
    assert client.post("/goals/new", data=goal_form(mentee=str(mentee_id))).status_code == 404
    assert Goal.select().count() == 0


def test_mentor_whose_match_is_paused_cannot_create_goals_for_that_mentee(personas, login_as):
    personas.match_a.status = "paused"
    personas.match_a.save()

    response = login_as("mentor_a").post("/goals/new", data=goal_form(mentee=str(personas.mentee_a.id)))

    assert response.status_code == 404
    assert Goal.select().count() == 0


def test_mentor_must_name_a_mentee(personas, login_as):
    client = login_as("mentor_a")

    assert client.get("/goals/new").status_code == 404
    assert client.post("/goals/new", data=goal_form(mentee="not-a-number")).status_code == 404
    assert Goal.select().count() == 0


@pytest.mark.parametrize("editor", ["mentee_a", "mentor_a"])
def test_mentee_or_active_mentor_edits_a_goal(personas, login_as, editor):
    goal = make_goal(personas.mentee_a, title="Get fit", why="", area="other")
    client = login_as(editor)

    form = client.get(f"/goals/{goal.id}/edit")
    assert form.status_code == 200
    assert 'value="Get fit"' in form.text

    response = client.post(f"/goals/{goal.id}/edit", data=goal_form(
        title="Walk for 20 minutes, three times a week", why="More energy for my kids.",
        area="physical_health", target_date="2027-01-15"))

    assert response.status_code == 303
    assert response.headers["Location"] == f"/goals/{goal.id}"
    goal = reload(goal)
    assert (goal.title, goal.why, goal.area, goal.target_date) == (
        "Walk for 20 minutes, three times a week", "More energy for my kids.", "physical_health",
        datetime.date(2027, 1, 15))
    assert goal.created_by_id == personas.mentee_a.id


@pytest.mark.parametrize("editor", ["mentee_a", "mentor_a"])
def test_who_changed_a_goal_is_on_its_timeline_and_in_the_audit_trail(personas, login_as, editor):
    goal = make_goal(personas.mentee_a, title="Get fit")
    login_as(editor).post(f"/goals/{goal.id}/edit", data=goal_form(title="Walk every day"))

    [edited] = timeline_rows(goal, "edited")
    assert edited.author_id == personas.by_name(editor).id
    [event] = audit_events("goal.update")
    assert (event.actor_id, event.subject_id, event.object_id) == (
        personas.by_name(editor).id, personas.mentee_a.id, goal.id)


def test_editing_without_a_title_keeps_what_was_typed_and_changes_nothing(personas, login_as):
    goal = make_goal(personas.mentee_a, title="Get fit", why="Old reason")
    response = login_as("mentee_a").post(f"/goals/{goal.id}/edit", data=goal_form(title="", why="A new reason"))

    assert response.status_code == 422
    assert "Give the goal a short name." in response.text
    assert "A new reason" in response.text
    assert (reload(goal).title, reload(goal).why) == ("Get fit", "Old reason")
    assert timeline_rows(goal, "edited") == []
    assert audit_events("goal.update") == []


def test_the_target_date_can_be_cleared(personas, login_as):
    goal = make_goal(personas.mentee_a, target_date=datetime.date(2027, 5, 1))
    login_as("mentee_a").post(f"/goals/{goal.id}/edit", data=goal_form(target_date=""))

    assert reload(goal).target_date is None


def test_editing_cannot_hand_a_goal_to_another_mentee(personas, login_as):
    goal = make_goal(personas.mentee_a)
    login_as("mentor_a").post(f"/goals/{goal.id}/edit",
                              data=goal_form(mentee=str(personas.mentee_b.id), status="achieved"))

    goal = reload(goal)
    assert goal.mentee_id == personas.mentee_a.id
    assert goal.status == "active"


def test_goal_text_comes_back_escaped(personas, login_as):
    client = login_as("mentee_a")
    client.post("/goals/new", data=goal_form(title=XSS, why=XSS))
    page = client.get(f"/goals/{Goal.get().id}").text

    assert XSS not in page
    assert html.escape(XSS, quote=False) in page
