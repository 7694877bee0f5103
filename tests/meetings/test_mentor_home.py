"""The mentor's home page: upcoming meetings, and what needs attention (meetings waiting to be
logged, mentees not met for MEETING_ATTENTION_DAYS)."""
import datetime
import html
import re

from app.matches.models import Match
from app.timeutil import utc_to_local
from tests.conftest import signed_in_client
from tests.meetings.conftest import log_form, make_meeting, now


def attention_section(page):
    found = re.search(r'<section[^>]*aria-labelledby="attention-heading".*?</section>', page, re.S)
    return html.unescape(found.group(0)) if found else ""


def upcoming_section(page):
    found = re.search(r'<section[^>]*aria-labelledby="meetings-heading".*?</section>', page, re.S)
    assert found, "no upcoming meetings section"
    return found.group(0)


def start_match(match, days_ago):
    Match.update(started=now() - datetime.timedelta(days=days_ago)).where(Match.id == match.id).execute()


def test_mentor_home_lists_upcoming_meetings_of_his_own_matches_only(personas, login_as):
    scheduled = make_meeting(personas.match_a, days=2, status="scheduled")
    proposed = make_meeting(personas.match_a, days=4, status="proposed", proposed_by=personas.mentee_a)
    cancelled = make_meeting(personas.match_a, days=5, status="cancelled")
    held = make_meeting(personas.match_a, days=-3, status="held")
    someone_elses = make_meeting(personas.match_b, days=2, status="scheduled")

    section = upcoming_section(login_as("mentor_a").get("/home").text)

    assert f'href="/meetings/{scheduled.id}"' in section
    assert f'href="/meetings/{proposed.id}"' in section
    for meeting in (cancelled, held, someone_elses):
        assert f'href="/meetings/{meeting.id}"' not in section
    assert section.index(f"/meetings/{scheduled.id}") < section.index(f"/meetings/{proposed.id}")
    assert "With Ada Mentee" in section


def test_a_past_meeting_not_yet_logged_needs_attention_until_it_is_logged(personas, login_as):
    start_match(personas.match_a, days_ago=30)
    make_meeting(personas.match_a, days=-2, status="held")  # met recently: no "not met" line
    waiting = make_meeting(personas.match_a, now() - datetime.timedelta(days=1), status="scheduled")
    mentor = login_as("mentor_a")

    section = attention_section(mentor.get("/home").text)
    assert f'href="/meetings/{waiting.id}/log"' in section
    assert "Log the meeting of" in section and "with Ada Mentee" in section

    local = utc_to_local(waiting.starts_at, "America/New_York")
    logged = mentor.post(f"/meetings/{waiting.id}/log", data=log_form(local.date(), local.strftime("%H:%M"), "",
                                                                       summary="We went over the week."))
    assert logged.status_code == 303
    assert attention_section(mentor.get("/home").text) == ""


def test_many_meetings_left_unlogged_do_not_hide_the_coming_ones(personas, login_as):
    start_match(personas.match_a, days_ago=200)
    unlogged = [make_meeting(personas.match_a, days=-100 + day, status="scheduled") for day in range(30)]
    coming = make_meeting(personas.match_a, days=2, status="scheduled")

    page = login_as("mentor_a").get("/home").text

    assert f'href="/meetings/{coming.id}"' in upcoming_section(page)
    attention = attention_section(page)
    logged_links = re.findall(r'href="/meetings/(\d+)/log"', attention)
    assert logged_links == [str(meeting.id) for meeting in unlogged[:20]]  # the oldest twenty, oldest first


def test_a_meeting_running_late_is_both_coming_and_waiting_to_be_logged(personas, login_as):
    start_match(personas.match_a, days_ago=30)
    late = make_meeting(personas.match_a, now() - datetime.timedelta(minutes=30), status="scheduled")

    page = login_as("mentor_a").get("/home").text

    assert upcoming_section(page).count(f'href="/meetings/{late.id}"') == 1
    assert attention_section(page).count(f'href="/meetings/{late.id}/log"') == 1


def test_a_mentee_not_met_for_fourteen_days_needs_attention(personas, login_as):
    start_match(personas.match_a, days_ago=60)
    start_match(personas.match_b, days_ago=60)
    make_meeting(personas.match_a, days=-20, status="held")
    make_meeting(personas.match_a, days=-3, status="missed")  # a missed meeting is not a meeting held
    make_meeting(personas.match_b, days=-10, status="held")

    mentor_a = attention_section(login_as("mentor_a").get("/home").text)
    mentor_b = attention_section(login_as("mentor_b").get("/home").text)

    assert "No meeting with Ada Mentee for 14 days or more" in mentor_a
    assert f'href="/meetings/new?match={personas.match_a.id}"' in mentor_a
    assert "Last met" in mentor_a
    assert mentor_b == ""


def test_a_new_match_is_not_overdue_before_the_attention_days_have_passed(personas, login_as):
    start_match(personas.match_a, days_ago=3)
    start_match(personas.match_b, days_ago=15)

    assert attention_section(login_as("mentor_a").get("/home").text) == ""
    assert "No meeting with Bea Mentee for 14 days or more" in attention_section(login_as("mentor_b").get("/home").text)


def test_the_attention_days_are_a_setting(app_factory, personas):
    start_match(personas.match_a, days_ago=60)
    make_meeting(personas.match_a, days=-10, status="held")
    default_app = app_factory()
    weekly_app = app_factory(MEETING_ATTENTION_DAYS=7)

    default_home = attention_section(signed_in_client(default_app, personas.mentor_a).get("/home").text)
    weekly_home = attention_section(signed_in_client(weekly_app, personas.mentor_a).get("/home").text)

    assert default_home == ""
    assert "No meeting with Ada Mentee for 7 days or more" in weekly_home


def test_a_paused_match_does_not_need_attention(personas, login_as):
    start_match(personas.match_a, days_ago=60)
    Match.update(status="paused").where(Match.id == personas.match_a.id).execute()

    assert attention_section(login_as("mentor_a").get("/home").text) == ""
