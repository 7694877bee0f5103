"""Every goal and step change goes to the audit trail: who, what, which object, whose goal; never the text."""
import pytest

from app.goals.models import Goal, GoalStep
from tests.goals.conftest import HX, audit_events, make_goal, steps_in_order

SECRET = "Sentinel-private-words-4411"


@pytest.mark.parametrize("actor", ["mentee_a", "mentor_a"])
def test_every_goal_and_step_change_writes_an_audit_event(personas, login_as, actor):
    client = login_as(actor)
    person = personas.by_name(actor)
    mentee_field = {"mentee": str(personas.mentee_a.id)}

    client.post("/goals/new", data={"title": SECRET, "why": SECRET, "area": "money", **mentee_field})
    goal = Goal.get()
    client.post(f"/goals/{goal.id}/edit", data={"title": SECRET + " edited", "why": SECRET, "area": "money"})
    client.post(f"/goals/{goal.id}/steps", data={"title": SECRET + " one"})
    client.post(f"/goals/{goal.id}/steps", data={"title": SECRET + " two"}, headers=HX)
    one, two = steps_in_order(goal)
    client.post(f"/goals/{goal.id}/steps/{one.id}/edit", data={"edit-title": SECRET + " renamed"})
    client.post(f"/goals/{goal.id}/steps/{one.id}/toggle", data={"done": "1"}, headers=HX)
    client.post(f"/goals/{goal.id}/steps/{one.id}/toggle", data={"done": "0"})
    client.post(f"/goals/{goal.id}/steps/{two.id}/move", data={"direction": "up"}, headers=HX)
    client.post(f"/goals/{goal.id}/steps/{one.id}/delete")
    client.post(f"/goals/{goal.id}/updates", data={"body": SECRET}, headers=HX)
    client.post(f"/goals/{goal.id}/status/paused", data={"note": SECRET})
    client.post(f"/goals/{goal.id}/status/active", data={"note": ""})
    client.post(f"/goals/{goal.id}/status/achieved", data={"note": SECRET})

    events = [event for event in audit_events() if event.action.startswith("goal.")
              and event.action not in ("goal.read", "goal.list_read")]
    assert [(event.action, event.object_type, event.object_id, event.detail) for event in events] == [
        ("goal.create", "goal", goal.id, ""),
        ("goal.update", "goal", goal.id, ""),
        ("goal.step_add", "goalstep", one.id, ""),
        ("goal.step_add", "goalstep", two.id, ""),
        ("goal.step_update", "goalstep", one.id, ""),
        ("goal.step_tick", "goalstep", one.id, ""),
        ("goal.step_untick", "goalstep", one.id, ""),
        ("goal.step_move", "goalstep", two.id, "up"),
        ("goal.step_delete", "goalstep", one.id, ""),
        ("goal.note", "goal", goal.id, ""),
        ("goal.status", "goal", goal.id, "paused"),
        ("goal.status", "goal", goal.id, "active"),
        ("goal.status", "goal", goal.id, "achieved"),
    ]
    assert {(event.actor_id, event.subject_id) for event in events} == {(person.id, personas.mentee_a.id)}
    assert all(SECRET not in event.detail for event in audit_events())


def test_a_refused_change_writes_no_change_event_but_a_denial(personas, login_as):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic"])
    step = steps_in_order(goal)[0]
    client = login_as("mentor_b")

    client.post(f"/goals/{goal.id}/steps/{step.id}/toggle", data={"done": "1"})
    client.post(f"/goals/{goal.id}/edit", data={"title": "Taken over", "area": "other"})

    assert [event.action for event in audit_events()] == ["access.denied", "access.denied"]
    assert {event.actor_id for event in audit_events()} == {personas.mentor_b.id}
    assert GoalStep.get_by_id(step.id).done_at is None


def test_mentor_reading_a_mentees_goals_is_audited_and_the_mentee_reading_their_own_is_not(personas, login_as):
    goal = make_goal(personas.mentee_a)

    login_as("mentee_a").get(f"/goals/{goal.id}")
    assert audit_events() == []

    mentor = login_as("mentor_a")
    mentor.get(f"/goals/{goal.id}")
    mentor.get(f"/goals/mentees/{personas.mentee_a.id}")

    assert [(event.action, event.actor_id, event.subject_id, event.object_id) for event in audit_events()] == [
        ("goal.read", personas.mentor_a.id, personas.mentee_a.id, goal.id),
        ("goal.list_read", personas.mentor_a.id, personas.mentee_a.id, None),
    ]
