"""Calendar feeds and .ics files: a private feed URL per person (reset makes the old one stop working),
feeds that parse with the icalendar package and round-trip local times across daylight-saving changes,
and a per-meeting .ics whose UID stays while its SEQUENCE grows."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.auth.models import User
from app.matches.models import Match
from app.meetings import ics
from app.meetings.models import CalendarFeed
from tests.meetings.conftest import (
    aware, audit_rows, feed_url_of, make_meeting, meeting_path, parse_calendar, propose_form, utc,
)

NOW = aware(2026, 3, 1, 12, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def make_feed(client):
    response = client.post("/meetings/calendar/reset")
    assert response.status_code == 303
    return feed_url_of(client.get("/meetings/calendar").text)


def starts(events):
    return sorted(event.decoded("dtstart") for event in events)


def test_a_person_makes_a_private_feed_url_on_the_calendar_page(frozen, personas, login_as):
    mentee = login_as("mentee_a")
    first = mentee.get("/meetings/calendar").text
    assert 'id="calendar-link"' not in first
    assert "Make my calendar link" in first

    url = make_feed(mentee)

    assert re.fullmatch(r"/meetings/feed/\d+-[0-9a-f]{40}\.ics", url)
    assert [e.subject_id for e in audit_rows("calendar.create")] == [personas.mentee_a.id]
    assert make_feed(login_as("mentor_a")) != url


def test_the_feed_parses_and_lists_upcoming_meetings_with_their_utc_start(frozen, personas, login_as):
    proposed = make_meeting(personas.match_a, utc(2026, 3, 3, 14, 0), status="proposed", proposed_by=personas.mentee_a)
    scheduled = make_meeting(personas.match_a, utc(2026, 3, 10, 13, 30), status="scheduled", duration_minutes=45,
                             format="video", video_link="https://meet.example.org/ada-abe")
    make_meeting(personas.match_a, utc(2026, 3, 4, 14, 0), status="cancelled")
    make_meeting(personas.match_a, utc(2026, 2, 20, 14, 0), status="held")
    make_meeting(personas.match_b, utc(2026, 3, 5, 14, 0), status="scheduled")
    url = make_feed(login_as("mentee_a"))

    response = login_as("anonymous").get(url)

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar, events = parse_calendar(response.data)
    assert str(calendar["version"]) == "2.0"
    assert starts(events) == [aware(2026, 3, 3, 14, 0), aware(2026, 3, 10, 13, 30)]
    by_start = {event.decoded("dtstart"): event for event in events}
    video = by_start[aware(2026, 3, 10, 13, 30)]
    assert video.decoded("dtend") == aware(2026, 3, 10, 14, 15)
    assert str(video["summary"]) == "Mentoring meeting with Abe Mentor"
    assert str(video["location"]) == "https://meet.example.org/ada-abe"
    assert str(video["status"]) == "CONFIRMED"
    assert str(by_start[aware(2026, 3, 3, 14, 0)]["status"]) == "TENTATIVE"
    assert str(video["uid"]) == f"{scheduled.ical_uid}@tandem"
    assert str(by_start[aware(2026, 3, 3, 14, 0)]["uid"]) == f"{proposed.ical_uid}@tandem"


def test_local_times_round_trip_across_daylight_saving_changes_in_two_time_zones(frozen, personas, login_as):
    """New York springs forward on Sunday 8 March 2026, Berlin on Sunday 29 March."""
    User.update(timezone="Europe/Berlin").where(User.id == personas.mentee_a.id).execute()
    mentor, mentee = login_as("mentor_a"), login_as("mentee_a")
    new_york = {meeting_path(mentor.post("/meetings/new", data=propose_form(day, "09:00", mentee=str(personas.match_a.id))))
                for day in ("2026-03-07", "2026-03-09")}
    berlin = {meeting_path(mentee.post("/meetings/new", data=propose_form(day, "09:00")))
              for day in ("2026-03-28", "2026-03-30")}
    assert len(new_york | berlin) == 4

    for client, zone, own, others, other_times in (
        (mentor, "America/New_York", new_york, berlin, {(3, 28, 4, 0), (3, 30, 3, 0)}),
        (mentee, "Europe/Berlin", berlin, new_york, {(3, 7, 15, 0), (3, 9, 14, 0)}),
    ):
        _, events = parse_calendar(login_as("anonymous").get(make_feed(client)).data)
        local = {int(str(e["url"]).rsplit("/", 1)[1]): e.decoded("dtstart").astimezone(ZoneInfo(zone)) for e in events}
        assert set(local) == own | others
        assert {(t.hour, t.minute) for i, t in local.items() if i in own} == {(9, 0)}
        assert {(t.month, t.day, t.hour, t.minute) for i, t in local.items() if i in others} == other_times
        assert all(e.decoded("dtstart").utcoffset() == datetime.timedelta(0) for e in events)


def test_after_a_reset_the_old_feed_url_is_404_and_the_new_one_works(frozen, personas, login_as):
    make_meeting(personas.match_a, utc(2026, 3, 3, 14, 0), status="scheduled")
    mentee = login_as("mentee_a")
    old = make_feed(mentee)
    assert login_as("anonymous").get(old).status_code == 200

    new = make_feed(mentee)

    assert new != old
    assert login_as("anonymous").get(old).status_code == 404
    assert login_as("anonymous").get(new).status_code == 200
    assert len(parse_calendar(login_as("anonymous").get(new).data)[1]) == 1
    assert [e.subject_id for e in audit_rows("calendar.reset")] == [personas.mentee_a.id]


def test_a_forged_feed_token_is_404(frozen, app, personas, login_as):
    url = make_feed(login_as("mentee_a"))
    mentor_url = make_feed(login_as("mentor_a"))
    feed_id, signature = re.search(r"/feed/(\d+)-([0-9a-f]{40})\.ics", url).groups()
    mentor_id, mentor_signature = re.search(r"/feed/(\d+)-([0-9a-f]{40})\.ics", mentor_url).groups()
    flipped = ("0" if signature[-1] != "0" else "1")
    secret_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-secret-key-that-is-long-enough-9876543210"
    try:
        signed_elsewhere = ics.feed_token(CalendarFeed.get_by_id(int(feed_id)))  # right shape, wrong key
    finally:
        app.config["SECRET_KEY"] = secret_key

    forged = [
        f"{feed_id}-{signature[:-1]}{flipped}",
        f"{feed_id}-{mentor_signature}",
        f"{mentor_id}-{signature}",
        f"{feed_id}-{signature[:39]}",
        f"{int(feed_id) + 100}-{signature}",
        signed_elsewhere,
        "not-a-real-token",
        signature,
    ]
    anonymous = login_as("anonymous")
    for token in forged:
        assert anonymous.get(f"/meetings/feed/{token}.ics").status_code == 404, token
    assert anonymous.get(url).status_code == 200


def test_a_deactivated_persons_feed_stops_working(frozen, personas, login_as):
    url = make_feed(login_as("mentee_a"))
    User.update(active=False).where(User.id == personas.mentee_a.id).execute()

    assert login_as("anonymous").get(url).status_code == 404


def test_a_closed_match_drops_out_of_the_mentors_feed(frozen, personas, login_as):
    make_meeting(personas.match_a, utc(2026, 3, 3, 14, 0), status="scheduled")
    url = make_feed(login_as("mentor_a"))
    assert len(parse_calendar(login_as("anonymous").get(url).data)[1]) == 1

    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()

    assert parse_calendar(login_as("anonymous").get(url).data)[1] == []


def test_the_meeting_ics_keeps_its_uid_and_grows_its_sequence_with_each_change(frozen, personas, login_as):
    mentee, mentor = login_as("mentee_a"), login_as("mentor_a")
    meeting_id = meeting_path(mentee.post("/meetings/new", data=propose_form("2026-03-12", "18:00")))

    def download(client):
        response = client.get(f"/meetings/{meeting_id}/meeting.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        assert response.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting_id}.ics"'
        _, events = parse_calendar(response.data)
        assert len(events) == 1
        event = events[0]
        return str(event["uid"]), int(event["sequence"]), str(event["status"]), event.decoded("dtstart")

    seen = [download(mentee)]
    mentor.post(f"/meetings/{meeting_id}/accept")
    seen.append(download(mentee))
    mentor.post(f"/meetings/{meeting_id}/reschedule", data={
        "date": "2026-03-13", "time": "18:30", "duration": "60", "reason": "Late shift"})
    seen.append(download(mentor))
    mentee.post(f"/meetings/{meeting_id}/cancel", data={"reason": "Moving house that week"})
    seen.append(download(mentee))

    uids, sequences, statuses, times = zip(*seen)
    assert len(set(uids)) == 1 and uids[0].endswith("@tandem")
    assert list(sequences) == sorted(set(sequences)) and len(set(sequences)) == 4
    assert list(statuses) == ["TENTATIVE", "CONFIRMED", "TENTATIVE", "CANCELLED"]
    assert times[0] == aware(2026, 3, 12, 22, 0)  # 18:00 EDT (after 8 March)
    assert times[2] == aware(2026, 3, 13, 22, 30)


def test_the_feed_and_ics_say_who_and_where_but_nothing_from_the_session(frozen, personas, login_as):
    meeting = make_meeting(personas.match_a, utc(2026, 3, 3, 14, 0), status="scheduled", place="Riverside cafe",
                           agenda="Talk about the housing letter", summary="Summary text", private_note="Private text")
    mentee = login_as("mentee_a")

    body = mentee.get(f"/meetings/{meeting.id}/meeting.ics").data + login_as("anonymous").get(make_feed(mentee)).data

    _, events = parse_calendar(mentee.get(f"/meetings/{meeting.id}/meeting.ics").data)
    assert str(events[0]["location"]) == "Riverside cafe"
    for text in (b"Summary text", b"Private text", b"housing letter"):
        assert text not in body
