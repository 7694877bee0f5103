"""Logging a session: held or missed, actual times, topics, goals discussed with step ticks and a
progress note, summary, action items (goal steps or standalone), a private note and the next meeting;
sessions never scheduled; edits keep a history; only the mentor of the active match logs."""
import datetime
import html

import pytest
import time_machine

from app.goals.models import Goal, GoalStep, GoalUpdate
from app.matches.models import Match
from app.meetings.models import ActionItem, Meeting, MeetingGoal
from tests.meetings.conftest import aware, audit_rows, log_form, make_meeting, meeting_path, reload, utc

# Wednesday 10 June 2026, 12:00 in New York (EDT, UTC-4).
NOW = aware(2026, 6, 10, 16, 0)
YESTERDAY = datetime.date(2026, 6, 9)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def due(frozen, personas):
    """Yesterday's 10:00 (New York) meeting of match A, scheduled and not yet logged."""
    return make_meeting(personas.match_a, utc(2026, 6, 9, 14, 0), status="scheduled")


@pytest.fixture
def goals(personas):
    """Two of Ada's goals (the first with two open steps) and one she did not talk about."""
    job = Goal.create(mentee=personas.mentee_a, title="Get back to work", created_by=personas.mentee_a)
    call = GoalStep.create(goal=job, title="Call the bakery", position=0)
    cv = GoalStep.create(goal=job, title="Update my CV", position=1)
    walk = Goal.create(mentee=personas.mentee_a, title="Walk three times a week", created_by=personas.mentee_a)
    other = Goal.create(mentee=personas.mentee_a, title="Sleep before midnight", created_by=personas.mentee_a)
    return {"job": job, "call": call, "cv": cv, "walk": walk, "other": other}


def full_log(goals, **fields):
    form = log_form(
        YESTERDAY, "10:05", "11:10",
        action_items=[("Ask about the early shift", "mentee", goals["job"].id),
                      ("Send the list of food banks", "mentor", 0)],
        format="phone", topics=["goals", "work"], topics_other="getting back on my feet",
        goals=[str(goals["job"].id), str(goals["walk"].id)], steps_done=[str(goals["call"].id)],
        progress_note="Ada called the bakery herself and has an interview.",
        summary="You called the bakery yourself. In your words: 'I did it scared.'",
        private_note="Some worry about sleep; raise in supervision.",
        next_date="2026-06-16", next_time="10:00", next_duration="45", next_format="video",
        next_place="https://meet.example.org/ada-abe",
    )
    form.update(fields)
    return form


def test_the_mentor_logs_a_held_session_with_everything_in_one_form(due, goals, personas, login_as):
    response = login_as("mentor_a").post(f"/meetings/{due.id}/log", data=full_log(goals))

    assert response.status_code == 303
    assert meeting_path(response) == due.id
    meeting = reload(due)
    assert (meeting.status, meeting.format) == ("held", "phone")
    assert (meeting.actual_start, meeting.actual_end) == (utc(2026, 6, 9, 14, 5), utc(2026, 6, 9, 15, 10))
    assert meeting.minutes_met == 65
    assert meeting.topic_keys == ["goals", "work"]
    assert meeting.topics_other == "getting back on my feet"
    assert meeting.summary == "You called the bakery yourself. In your words: 'I did it scared.'"
    assert meeting.private_note == "Some worry about sleep; raise in supervision."
    assert (meeting.logged_by_id, meeting.logged_at) == (personas.mentor_a.id, utc(2026, 6, 10, 16, 0))


def test_goals_discussed_are_linked_and_get_the_progress_note_and_step_ticks(due, goals, personas, login_as):
    login_as("mentor_a").post(f"/meetings/{due.id}/log", data=full_log(goals))

    discussed = {link.goal_id for link in MeetingGoal.select().where(MeetingGoal.meeting == due)}
    assert discussed == {goals["job"].id, goals["walk"].id}
    notes = {(u.goal_id, u.author_id) for u in GoalUpdate.select().where(
        (GoalUpdate.kind == "note") & (GoalUpdate.body == "Ada called the bakery herself and has an interview."))}
    assert notes == {(goals["job"].id, personas.mentor_a.id), (goals["walk"].id, personas.mentor_a.id)}
    assert GoalStep.get_by_id(goals["call"].id).done_at == utc(2026, 6, 10, 16, 0)
    assert GoalStep.get_by_id(goals["cv"].id).done_at is None


def test_an_action_item_becomes_a_goal_step_and_another_stands_alone(due, goals, personas, login_as):
    login_as("mentor_a").post(f"/meetings/{due.id}/log", data=full_log(goals))

    items = list(ActionItem.select().where(ActionItem.meeting == due).order_by(ActionItem.position))
    assert [(i.title, i.owner) for i in items] == [("Ask about the early shift", "mentee"),
                                                   ("Send the list of food banks", "mentor")]
    step = GoalStep.get_by_id(items[0].step_id)
    assert (step.goal_id, step.title, step.created_by_id) == (goals["job"].id, "Ask about the early shift", personas.mentor_a.id)
    assert items[1].step_id is None
    assert GoalStep.select().where(GoalStep.title == "Send the list of food banks").count() == 0


def test_the_next_meeting_is_scheduled_in_the_same_flow(due, goals, personas, login_as):
    mentor = login_as("mentor_a")
    response = mentor.post(f"/meetings/{due.id}/log", data=full_log(goals))

    follow_up = Meeting.get((Meeting.id != due.id))
    assert (follow_up.match_id, follow_up.status, follow_up.proposed_by_id) == (personas.match_a.id, "scheduled", personas.mentor_a.id)
    assert (follow_up.starts_at, follow_up.duration_minutes) == (utc(2026, 6, 16, 14, 0), 45)
    assert (follow_up.format, follow_up.video_link, follow_up.place) == ("video", "https://meet.example.org/ada-abe", "")
    assert [e.object_id for e in audit_rows("meeting.schedule")] == [follow_up.id]
    assert [e.object_id for e in audit_rows("meeting.log")] == [due.id]
    assert "The next meeting is scheduled." in html.unescape(mentor.get(response.headers["Location"]).text)


def test_the_next_meeting_must_be_in_the_future(due, goals, personas, login_as):
    response = login_as("mentor_a").post(f"/meetings/{due.id}/log", data=full_log(goals, next_date="2026-06-08"))

    assert response.status_code == 422
    assert "Choose a time in the future for the next meeting." in html.unescape(response.text)
    assert reload(due).status == "scheduled"
    assert Meeting.select().count() == 1


def test_the_next_meetings_video_link_must_be_a_web_link(due, goals, personas, login_as):
    response = login_as("mentor_a").post(f"/meetings/{due.id}/log", data=full_log(goals, next_place="javascript:alert(1)"))

    assert response.status_code == 422
    assert "Paste the full link, starting with https://" in html.unescape(response.text)
    assert Meeting.select().count() == 1


def test_a_missed_meeting_is_logged_with_its_reason_and_no_step_ticks(due, goals, personas, login_as):
    form = full_log(goals, outcome="missed", missed_reason="Ada was unwell and texted to say so.", next_date="")

    response = login_as("mentor_a").post(f"/meetings/{due.id}/log", data=form)

    assert response.status_code == 303
    meeting = reload(due)
    assert (meeting.status, meeting.missed_reason) == ("missed", "Ada was unwell and texted to say so.")
    assert (meeting.actual_start, meeting.actual_end, meeting.topics) == (None, None, "")
    assert meeting.minutes_met == 0
    assert GoalStep.get_by_id(goals["call"].id).done_at is None
    assert [e.detail for e in audit_rows("meeting.log")] == ["missed"]
    assert "Ada was unwell and texted to say so." in html.unescape(login_as("mentee_a").get(f"/meetings/{due.id}").text)


def test_a_session_never_scheduled_is_logged_after_the_fact(frozen, goals, personas, login_as):
    mentor = login_as("mentor_a")
    page = mentor.get("/meetings/log")
    assert page.status_code == 200
    assert "With Ada Mentee" in page.text

    form = log_form("2026-06-07", "15:00", "15:45", summary="We met by chance at the park and talked for a while.",
                    match=str(personas.match_a.id), goals=[str(goals["walk"].id)])
    response = mentor.post("/meetings/log", data=form)

    assert response.status_code == 303
    meeting = Meeting.get_by_id(meeting_path(response))
    assert (meeting.match_id, meeting.status, meeting.proposed_by_id) == (personas.match_a.id, "held", personas.mentor_a.id)
    assert (meeting.starts_at, meeting.duration_minutes) == (utc(2026, 6, 7, 19, 0), 45)
    assert meeting.summary == "We met by chance at the park and talked for a while."
    assert [link.goal_id for link in MeetingGoal.select().where(MeetingGoal.meeting == meeting)] == [goals["walk"].id]
    assert [e.object_id for e in audit_rows("meeting.log")] == [meeting.id]


def test_a_session_after_the_fact_cannot_be_in_the_future(frozen, personas, login_as):
    response = login_as("mentor_a").post("/meetings/log", data=log_form(
        "2026-06-11", match=str(personas.match_a.id), summary="Not yet"))

    assert response.status_code == 422
    assert "You can log a meeting once it has started." in html.unescape(response.text)
    assert Meeting.select().count() == 0


def test_a_session_after_the_fact_is_only_for_the_mentors_own_active_match(frozen, personas, login_as):
    response = login_as("mentor_a").post("/meetings/log", data=log_form(
        "2026-06-07", match=str(personas.match_b.id), summary="Not my mentee"))

    assert response.status_code == 404
    assert Meeting.select().count() == 0


def test_a_meeting_in_the_future_cannot_be_logged(frozen, personas, login_as):
    upcoming = make_meeting(personas.match_a, utc(2026, 6, 12, 14, 0), status="scheduled")
    mentor = login_as("mentor_a")

    page = mentor.get(f"/meetings/{upcoming.id}/log")
    assert page.status_code in (302, 303)
    assert page.headers["Location"].endswith(f"/meetings/{upcoming.id}")
    assert "hasn't started yet" in html.unescape(mentor.get(page.headers["Location"]).text)

    response = mentor.post(f"/meetings/{upcoming.id}/log", data=log_form(YESTERDAY, summary="Too early"))

    assert response.status_code == 303
    meeting = reload(upcoming)
    assert (meeting.status, meeting.summary, meeting.logged_at) == ("scheduled", "", None)
    assert audit_rows("meeting.log") == []


def test_end_time_before_start_time_is_refused(due, personas, login_as):
    response = login_as("mentor_a").post(f"/meetings/{due.id}/log", data=log_form(YESTERDAY, "11:00", "10:00"))

    assert response.status_code == 422
    assert "The end time must be after the start time." in html.unescape(response.text)
    assert reload(due).status == "scheduled"


def test_editing_a_logged_session_keeps_a_history_of_who_changed_it(due, goals, personas, login_as):
    mentor = login_as("mentor_a")
    mentor.post(f"/meetings/{due.id}/log", data=full_log(goals, next_date=""))
    form_page = mentor.get(f"/meetings/{due.id}/log").text
    assert "Edit the session log" in form_page
    assert "Some worry about sleep; raise in supervision." in html.unescape(form_page)

    with time_machine.travel(aware(2026, 6, 11, 9, 30), tick=False):
        response = login_as("mentor_a").post(f"/meetings/{due.id}/log", data=full_log(
            goals, next_date="", summary="You called the bakery yourself, and you have an interview on Friday.",
            steps_done=[], **{"action_items-0-title": "Buy interview shoes", "action_items-0-goal": "0",
                                "action_items-1-title": "", "action_items-2-title": ""}))

    assert response.status_code == 303
    meeting = reload(due)
    assert meeting.summary == "You called the bakery yourself, and you have an interview on Friday."
    assert meeting.logged_at == utc(2026, 6, 10, 16, 0)  # first logged; the edit is in the history
    history = [(e.action, e.actor_id, e.object_id, e.created) for e in audit_rows()
               if e.action in ("meeting.log", "meeting.log_update")]
    assert history == [("meeting.log", personas.mentor_a.id, due.id, utc(2026, 6, 10, 16, 0)),
                       ("meeting.log_update", personas.mentor_a.id, due.id, utc(2026, 6, 11, 9, 30))]
    # The item that became a goal step stays; the standalone one is replaced.
    titles = [i.title for i in ActionItem.select().where(ActionItem.meeting == due).order_by(ActionItem.position)]
    assert titles == ["Ask about the early shift", "Buy interview shoes"]


@pytest.mark.parametrize("name", ["mentee_a", "mentee_b", "mentor_b", "coordinator"])
def test_only_the_mentor_of_the_match_can_log_its_session(due, personas, login_as, name):
    client = login_as(name)

    assert client.get(f"/meetings/{due.id}/log").status_code == 404
    assert client.post(f"/meetings/{due.id}/log", data=log_form(YESTERDAY, summary="Not mine")).status_code == 404
    assert reload(due).status == "scheduled"


def test_a_mentee_cannot_log_a_session_after_the_fact(frozen, personas, login_as):
    client = login_as("mentee_a")

    assert client.get("/meetings/log").status_code == 404
    assert client.post("/meetings/log", data=log_form("2026-06-07", match=str(personas.match_a.id))).status_code == 404
    assert Meeting.select().count() == 0


def test_a_mentor_cannot_log_once_the_match_is_closed(due, personas, login_as):
    Match.update(status="closed", ended=utc(2026, 6, 10, 12, 0)).where(Match.id == personas.match_a.id).execute()
    client = login_as("mentor_a")

    assert client.get(f"/meetings/{due.id}/log").status_code == 404
    assert client.post(f"/meetings/{due.id}/log", data=log_form(YESTERDAY, summary="Too late")).status_code == 404
    assert reload(due).status == "scheduled"
