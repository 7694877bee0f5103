"""Scheduling: either person in an active match proposes; the other accepts, suggests another time or
cancels; times are entered in the viewer's own zone and stored in UTC; every change is audited."""
import datetime
import html

import pytest
import time_machine

from app.matches.models import Match
from app.meetings.models import Meeting
from tests.conftest import make_user
from tests.meetings.conftest import aware, audit_rows, make_meeting, meeting_path, propose_form, reload, utc, when_shown

# Early June 2026 in New York (EDT): July is summer time, December is winter time.
NOW = aware(2026, 6, 1, 16, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def only_meeting():
    meetings = list(Meeting.select())
    assert len(meetings) == 1, meetings
    return meetings[0]


@pytest.mark.parametrize("day, utc_hour", [("2026-07-14", 13), ("2026-12-15", 14)], ids=["july-edt", "december-est"])
def test_a_new_york_time_is_stored_in_utc_on_either_side_of_daylight_saving(frozen, personas, login_as, day, utc_hour):
    mentee = login_as("mentee_a")

    response = mentee.post("/meetings/new", data=propose_form(day, "09:00"))

    assert response.status_code == 303
    meeting = only_meeting()
    assert meeting.starts_at == datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(utc_hour, 0))
    assert meeting.status == "proposed"
    assert meeting.proposed_by_id == personas.mentee_a.id
    assert meeting.match_id == personas.match_a.id
    assert meeting.place == "Central Library, 2nd floor"


def test_the_meeting_page_shows_the_time_in_the_viewers_own_zone(frozen, personas, login_as):
    personas.mentor_a.timezone = "Europe/Berlin"
    personas.mentor_a.save()
    login_as("mentee_a").post("/meetings/new", data=propose_form("2026-07-14", "09:00"))
    meeting = only_meeting()

    mentee_page = login_as("mentee_a").get(f"/meetings/{meeting.id}").text
    mentor_page = login_as("mentor_a").get(f"/meetings/{meeting.id}").text

    assert when_shown(mentee_page) == "Tuesday, July 14, 2026, 9:00 AM"
    assert when_shown(mentor_page) == "Tuesday, July 14, 2026, 3:00 PM"


def test_a_mentor_proposes_a_meeting_with_the_mentee_he_chooses(frozen, personas, login_as):
    mentor = login_as("mentor_a")

    response = mentor.post("/meetings/new", data=propose_form("2026-06-10", "18:30", mentee=str(personas.match_a.id),
                                                              format="phone", place=""))

    assert response.status_code == 303
    meeting = only_meeting()
    assert (meeting.match_id, meeting.proposed_by_id, meeting.format) == (personas.match_a.id, personas.mentor_a.id, "phone")
    assert meeting.starts_at == utc(2026, 6, 10, 22, 30)


def test_a_time_that_does_not_exist_when_the_clocks_spring_forward_is_refused(frozen, personas, login_as):
    response = login_as("mentee_a").post("/meetings/new", data=propose_form("2027-03-14", "02:30"))

    assert response.status_code == 422
    assert "doesn't exist on that day because the clocks change" in html.unescape(response.text)
    assert Meeting.select().count() == 0


def test_a_time_in_the_past_is_refused(frozen, personas, login_as):
    # 11:00 in New York on 1 June is 15:00 UTC, an hour before "now".
    response = login_as("mentee_a").post("/meetings/new", data=propose_form("2026-06-01", "11:00"))

    assert response.status_code == 422
    assert "Choose a time in the future." in html.unescape(response.text)
    assert Meeting.select().count() == 0


@pytest.mark.parametrize("fields, message", [
    ({"format": "in_person", "place": ""}, "Say where you'll meet."),
    ({"format": "video", "place": "", "video_link": ""}, "Add the video link, so you can both join."),
    ({"format": "video", "place": "", "video_link": "meet.example.org/ada"}, "Paste the full link, starting with https://"),
    ({"format": "video", "place": "", "video_link": "javascript:alert(1)"}, "Paste the full link, starting with https://"),
], ids=["in-person-without-place", "video-without-link", "video-link-without-scheme", "video-link-script"])
def test_in_person_needs_a_place_and_video_needs_a_link(frozen, personas, login_as, fields, message):
    response = login_as("mentee_a").post("/meetings/new", data=propose_form("2026-06-10", **fields))

    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert Meeting.select().count() == 0


def test_a_video_meeting_keeps_its_link_and_drops_the_place(frozen, personas, login_as):
    login_as("mentee_a").post("/meetings/new", data=propose_form(
        "2026-06-10", format="video", place="Somewhere", video_link="https://meet.example.org/ada-abe"))

    meeting = only_meeting()
    assert (meeting.format, meeting.video_link, meeting.place) == ("video", "https://meet.example.org/ada-abe", "")


def test_the_other_person_sees_the_proposal_on_their_home_page_and_accepts_it(frozen, personas, login_as):
    login_as("mentee_a").post("/meetings/new", data=propose_form("2026-06-10", "17:00"))
    meeting = only_meeting()
    mentor = login_as("mentor_a")

    home = mentor.get("/home").text
    assert f'href="/meetings/{meeting.id}"' in home
    assert "Waiting for your answer" in home
    assert f'action="/meetings/{meeting.id}/accept"' in mentor.get(f"/meetings/{meeting.id}").text

    response = mentor.post(f"/meetings/{meeting.id}/accept")

    assert response.status_code == 303
    assert reload(meeting).status == "scheduled"
    assert "Waiting for your answer" not in mentor.get("/home").text
    [event] = audit_rows("meeting.accept")
    assert (event.actor_id, event.object_id, event.subject_id) == (personas.mentor_a.id, meeting.id, personas.mentee_a.id)


def test_the_mentor_proposal_shows_on_the_mentee_home_page(frozen, personas, login_as):
    login_as("mentor_a").post("/meetings/new", data=propose_form("2026-06-10", mentee=str(personas.match_a.id)))
    meeting = only_meeting()

    home = login_as("mentee_a").get("/home").text

    assert f'href="/meetings/{meeting.id}"' in home
    assert "Waiting for your answer" in home
    assert "Waiting for your answer" not in login_as("mentee_b").get("/home").text


def test_the_proposer_cannot_accept_their_own_proposal(frozen, personas, login_as):
    mentee = login_as("mentee_a")
    mentee.post("/meetings/new", data=propose_form("2026-06-10"))
    meeting = only_meeting()
    assert "/accept" not in mentee.get(f"/meetings/{meeting.id}").text

    response = mentee.post(f"/meetings/{meeting.id}/accept")

    assert response.status_code == 303
    assert reload(meeting).status == "proposed"
    assert audit_rows("meeting.accept") == []


def test_suggesting_another_time_makes_it_a_proposal_from_the_person_who_moved_it(frozen, personas, login_as):
    mentee, mentor = login_as("mentee_a"), login_as("mentor_a")
    mentee.post("/meetings/new", data=propose_form("2026-06-10", "17:00"))
    meeting = only_meeting()
    mentor.post(f"/meetings/{meeting.id}/accept")

    response = mentor.post(f"/meetings/{meeting.id}/reschedule", data={
        "date": "2026-06-11", "time": "18:00", "duration": "45", "reason": "I have a clinic appointment then."})

    assert response.status_code == 303
    moved = reload(meeting)
    assert (moved.status, moved.proposed_by_id) == ("proposed", personas.mentor_a.id)
    assert (moved.starts_at, moved.duration_minutes) == (utc(2026, 6, 11, 22, 0), 45)
    assert moved.change_reason == "I have a clinic appointment then."
    assert "I have a clinic appointment then." in mentee.get(f"/meetings/{meeting.id}").text
    # Now the mover waits and the other person accepts.
    mentor.post(f"/meetings/{meeting.id}/accept")
    assert reload(meeting).status == "proposed"
    mentee.post(f"/meetings/{meeting.id}/accept")
    assert reload(meeting).status == "scheduled"


def test_suggesting_another_time_needs_a_reason(frozen, personas, login_as):
    meeting = make_meeting(personas.match_a, utc(2026, 6, 10, 21, 0), status="scheduled")

    response = login_as("mentee_a").post(f"/meetings/{meeting.id}/reschedule", data={
        "date": "2026-06-11", "time": "18:00", "duration": "60", "reason": "  "})

    assert response.status_code == 422
    assert "Give a short reason." in html.unescape(response.text)
    assert reload(meeting).starts_at == utc(2026, 6, 10, 21, 0)
    assert reload(meeting).status == "scheduled"


def test_suggesting_a_time_in_the_past_or_in_the_clock_change_gap_is_refused(frozen, personas, login_as):
    meeting = make_meeting(personas.match_a, utc(2026, 6, 10, 21, 0), status="scheduled")
    mentee = login_as("mentee_a")

    past = mentee.post(f"/meetings/{meeting.id}/reschedule", data={
        "date": "2026-05-30", "time": "18:00", "duration": "60", "reason": "Sooner suits me"})
    gap = mentee.post(f"/meetings/{meeting.id}/reschedule", data={
        "date": "2027-03-14", "time": "02:15", "duration": "60", "reason": "Early start"})

    assert (past.status_code, gap.status_code) == (422, 422)
    assert "Choose a time in the future." in html.unescape(past.text)
    assert "because the clocks change" in html.unescape(gap.text)
    assert reload(meeting).starts_at == utc(2026, 6, 10, 21, 0)


def test_either_person_cancels_with_a_reason(frozen, personas, login_as):
    meeting = make_meeting(personas.match_a, utc(2026, 6, 10, 21, 0), status="scheduled")
    mentee = login_as("mentee_a")

    refused = mentee.post(f"/meetings/{meeting.id}/cancel", data={"reason": ""})
    assert refused.status_code == 422
    assert "Give a short reason." in html.unescape(refused.text)
    assert reload(meeting).status == "scheduled"

    response = mentee.post(f"/meetings/{meeting.id}/cancel", data={"reason": "My shift changed."})

    assert response.status_code == 303
    cancelled = reload(meeting)
    assert (cancelled.status, cancelled.change_reason) == ("cancelled", "My shift changed.")
    assert "My shift changed." in login_as("mentor_a").get(f"/meetings/{meeting.id}").text
    # A cancelled meeting cannot be moved or cancelled again.
    assert login_as("mentor_a").get(f"/meetings/{meeting.id}/reschedule").status_code == 404
    assert mentee.post(f"/meetings/{meeting.id}/cancel", data={"reason": "again"}).status_code == 404


def test_every_change_to_a_meeting_is_audited_with_who_did_it(frozen, personas, login_as):
    mentee, mentor = login_as("mentee_a"), login_as("mentor_a")
    meeting_id = meeting_path(mentee.post("/meetings/new", data=propose_form("2026-06-10")))
    mentor.post(f"/meetings/{meeting_id}/accept")
    mentor.post(f"/meetings/{meeting_id}/reschedule", data={
        "date": "2026-06-12", "time": "10:00", "duration": "60", "reason": "Work"})
    mentee.post(f"/meetings/{meeting_id}/cancel", data={"reason": "Feeling unwell"})

    events = [(e.action, e.actor_id, e.object_type, e.object_id, e.subject_id)
              for e in audit_rows() if e.action.startswith("meeting.")]
    a, m, s = personas.mentee_a.id, personas.mentor_a.id, personas.mentee_a.id
    assert events == [
        ("meeting.propose", a, "meeting", meeting_id, s),
        ("meeting.accept", m, "meeting", meeting_id, s),
        ("meeting.reschedule", m, "meeting", meeting_id, s),
        ("meeting.cancel", a, "meeting", meeting_id, s),
    ]
    # The reasons are the people's own words: they stay out of the audit trail.
    assert not any("Feeling unwell" in e.detail for e in audit_rows())


def test_a_mentor_proposing_for_someone_elses_match_gets_404(frozen, personas, login_as):
    response = login_as("mentor_a").post("/meetings/new", data=propose_form("2026-06-10", mentee=str(personas.match_b.id)))

    assert response.status_code == 404
    assert Meeting.select().count() == 0


def test_a_mentor_proposing_for_a_match_that_is_no_longer_active_gets_404(frozen, personas, login_as):
    Match.update(status="closed", ended=utc(2026, 5, 1)).where(Match.id == personas.match_a.id).execute()
    # He still has another, active match, so the form itself is open to him.
    other = make_user("mentee.c@example.org", "Cal Mentee", "mentee")
    Match.create(mentor=personas.mentor_a, mentee=other)

    response = login_as("mentor_a").post("/meetings/new", data=propose_form("2026-06-10", mentee=str(personas.match_a.id)))

    assert response.status_code == 404
    assert Meeting.select().count() == 0


def test_nobody_outside_the_match_can_accept_move_or_cancel_its_meetings(frozen, personas, login_as):
    meeting = make_meeting(personas.match_a, utc(2026, 6, 10, 21, 0), status="proposed", proposed_by=personas.mentee_a)

    for name in ("mentee_b", "mentor_b", "coordinator"):
        client = login_as(name)
        assert client.post(f"/meetings/{meeting.id}/accept").status_code == 404
        assert client.post(f"/meetings/{meeting.id}/reschedule", data={
            "date": "2026-06-12", "time": "10:00", "duration": "60", "reason": "x"}).status_code == 404
        assert client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "x"}).status_code == 404

    unchanged = reload(meeting)
    assert (unchanged.status, unchanged.starts_at) == ("proposed", utc(2026, 6, 10, 21, 0))


def test_a_mentee_without_an_active_match_is_sent_back_from_the_propose_form(frozen, personas, login_as):
    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()

    response = login_as("mentee_a").post("/meetings/new", data=propose_form("2026-06-10"))

    assert response.status_code == 302
    assert Meeting.select().count() == 0
