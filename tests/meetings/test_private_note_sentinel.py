"""The mentor's private meeting note is never visible to the mentee (DESIGN.md "who sees what").

A sentinel sentence goes into private notes through the real forms. Then every GET route in
`app.url_map` is crawled as mentee A (with the ids of every object in the database, her meetings
among them, her feed token, and as an htmx fragment too), following the links the pages show; and
the same for mentee B and mentor B. The sentinel must appear nowhere: no page, fragment, .ics
download, calendar feed, export or home page. Mentor A and the coordinator do see it, and each
coordinator read of private notes is audited.
"""
import datetime
import html
import logging
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from werkzeug.routing.converters import AnyConverter

from app.audit import AuditEvent
from app.auth.models import Invitation, User
from app.goals.models import Goal, GoalStep
from app.journal.models import JournalEntry, JournalPrompt, JournalReply
from app.matches.models import Match
from app.meetings import ics
from app.meetings.models import CalendarFeed, Meeting
from app.timeutil import utc_to_local
from tests.meetings.conftest import audit_rows, log_form, make_meeting, meeting_path, now, unfolded

SENTINEL = "Zebra quartz sentinel 7731 says the private worry is about relapse."
MARKER = "quartz sentinel"  # a piece of the sentence, in case only part of it leaks (no digits: tokens have them)
SENTINEL_B = "Okapi basalt sentinel 4419 is the private note of mentor B."

# Where the crawl takes the values of each integer URL argument: every row of that model.
ID_SOURCES = {
    "meeting_id": Meeting, "match_id": Match, "goal_id": Goal, "step_id": GoalStep, "person_id": User,
    "mentee_id": User, "entry_id": JournalEntry, "reply_id": JournalReply, "prompt_id": JournalPrompt,
    "invitation_id": Invitation,
}
SKIPPED = {"static"}
MAX_FETCHES = 1500


def local_day(days_from_now):
    """A date in New York (everyone's time zone here), counted from today there."""
    return utc_to_local(now(), "America/New_York").date() + datetime.timedelta(days=days_from_now)


@pytest.fixture
def notes(personas, login_as):
    """Meetings of match A with the sentinel in their private notes, written through the real forms:
    a held session (summary, action items, one a goal step, a progress note, the next meeting), a missed
    one, a session logged after the fact; the mentee's reflection; a proposal; and mentor B's own note."""
    goal = Goal.create(mentee=personas.mentee_a, title="Sleep before midnight", created_by=personas.mentee_a)
    GoalStep.create(goal=goal, title="No phone in bed", position=0)
    held = make_meeting(personas.match_a, days=-3, status="scheduled")
    missed = make_meeting(personas.match_a, days=-2, status="scheduled")
    make_meeting(personas.match_a, days=5, status="proposed", proposed_by=personas.mentee_a)
    mentor = login_as("mentor_a")

    response = mentor.post(f"/meetings/{held.id}/log", data=log_form(
        local_day(-3), "10:00", "11:00", action_items=[("Try the wind-down routine", "mentee", goal.id),
                                                      ("Bring the sleep leaflet", "mentor", 0)],
        goals=[str(goal.id)], progress_note="Ada is keeping a sleep diary.", topics=["mental_health"],
        summary="You spoke about your evenings and what helps you settle.", private_note=SENTINEL,
        next_date=local_day(7).isoformat(), next_time="10:00", next_place="Central Library"))
    assert response.status_code == 303
    assert mentor.post(f"/meetings/{missed.id}/log", data=log_form(
        local_day(-2), outcome="missed", missed_reason="Bus did not come", private_note=SENTINEL)).status_code == 303
    after_the_fact = mentor.post("/meetings/log", data=log_form(
        local_day(-1), "09:00", "09:30", match=str(personas.match_a.id), summary="A quick chat at the group.",
        private_note=SENTINEL))
    assert after_the_fact.status_code == 303
    assert login_as("mentee_a").post(f"/meetings/{held.id}/reflection", data={
        "reflection": "The routine idea felt doable.", "helpfulness": "5"}).status_code == 303

    other = make_meeting(personas.match_b, days=-2, status="scheduled")
    assert login_as("mentor_b").post(f"/meetings/{other.id}/log", data=log_form(
        local_day(-2), summary="Bea's summary", private_note=SENTINEL_B)).status_code == 303

    for name in ("mentee_a", "mentor_a", "mentee_b", "mentor_b"):
        assert login_as(name).post("/meetings/calendar/reset").status_code == 303
    assert Meeting.select().where(Meeting.private_note == SENTINEL).count() == 3
    return {"held": held.id, "missed": missed.id, "after": meeting_path(after_the_fact), "other": other.id}


def argument_values(rule, feed_tokens):
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)
        elif name == "token":
            values[name] = feed_tokens if rule.endpoint == "meetings.calendar_feed" else ["not-a-real-token"]
        elif name in ID_SOURCES:
            model = ID_SOURCES[name]
            values[name] = [row.id for row in model.select(model.id)] or [1]
        else:
            raise AssertionError(f"{rule.rule} takes {name}: add where its values come from to ID_SOURCES")
    return values


def seed_urls(app):
    """A URL for every GET rule and every combination of argument values."""
    feed_tokens = [ics.feed_token(feed) for feed in CalendarFeed.select()]
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED or "GET" not in rule.methods:
            continue
        values = argument_values(rule, feed_tokens)
        combinations = [{}]
        for name, options in values.items():
            combinations = [dict(c, **{name: option}) for c in combinations for option in options]
        for arguments in combinations:
            urls.append(rule.build(arguments, append_unknown=False)[1])
    return urls


def links_in(body, base):
    for href in re.findall(r'(?:href|hx-get)="([^"]+)"', body):
        url = urlparse(urljoin("http://localhost" + base, href.replace("&amp;", "&")))
        if url.netloc == "localhost" and not url.path.startswith("/static/"):
            yield url.path + (f"?{url.query}" if url.query else "")


def crawl(app, client):
    """Fetch every seeded URL (as a page and as an htmx fragment) and every link the pages show.

    Returns {url: response text} for all that answered.
    """
    queue = deque(seed_urls(app))
    seen, bodies = set(queue), {}
    while queue:
        assert len(bodies) < MAX_FETCHES, "the crawl did not end"
        url = queue.popleft()
        response = client.get(url)
        bodies[url] = readable(response)
        if response.status_code == 200 and response.mimetype == "text/html":
            # The same URL asked by htmx may answer with a fragment of its own.
            bodies[f"{url} (fragment)"] = readable(client.get(url, headers={"HX-Request": "true"}))
            for link in links_in(bodies[url], url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return bodies


def readable(response):
    """The body as text (iCalendar lines unfolded, HTML entities both kept and decoded) and the headers."""
    raw = unfolded(response.get_data(as_text=True))
    return f"{response.status_code}\n{raw}\n{html.unescape(raw)}\n{response.headers}"


def leaks(bodies, *phrases):
    return sorted(url for url, text in bodies.items() if any(p.lower() in text.lower() for p in phrases))


def test_the_mentee_never_sees_the_private_note_anywhere(app, notes, personas, login_as, caplog):
    caplog.set_level(logging.INFO)
    bodies = crawl(app, login_as("mentee_a"))

    assert leaks(bodies, SENTINEL, MARKER, SENTINEL_B, "basalt sentinel") == []
    # The crawl did reach her meetings, their .ics files, her feed and her home page.
    reached = {url.split(" ")[0] for url in bodies}
    for meeting_id in (notes["held"], notes["missed"], notes["after"]):
        assert f"/meetings/{meeting_id}" in reached
        assert f"/meetings/{meeting_id}/meeting.ics" in reached
    assert "You spoke about your evenings" in bodies[f"/meetings/{notes['held']}"]
    assert "/home" in reached
    assert any(url.startswith("/meetings/feed/") for url in reached)
    assert "BEGIN:VCALENDAR" in bodies[f"/meetings/{notes['held']}/meeting.ics"]
    assert SENTINEL not in caplog.text


@pytest.mark.parametrize("name", ["mentee_b", "mentor_b"])
def test_the_other_pair_never_sees_match_a_private_notes(app, notes, login_as, name):
    bodies = crawl(app, login_as(name))

    assert leaks(bodies, SENTINEL, MARKER) == []
    if name == "mentor_b":  # his own note, as a check that the crawl can find a note at all
        assert leaks(bodies, SENTINEL_B)


def test_the_mentor_sees_his_private_notes(notes, login_as):
    mentor = login_as("mentor_a")

    for key in ("held", "missed", "after"):
        page = mentor.get(f"/meetings/{notes[key]}/log").text
        assert SENTINEL in page
    assert SENTINEL in mentor.get(f"/meetings/{notes['held']}").text
    assert SENTINEL not in mentor.get(f"/meetings/{notes['held']}/meeting.ics").get_data(as_text=True)


def test_the_coordinator_sees_the_private_notes_and_each_read_is_audited(notes, personas, login_as):
    coordinator = login_as("coordinator")

    for expected in (1, 2, 3):
        page = coordinator.get(f"/meetings/matches/{personas.match_a.id}").text
        assert page.count(SENTINEL) == 3
        events = audit_rows("meeting.private_notes_read")
        assert len(events) == expected
        assert (events[-1].actor_id, events[-1].subject_id, events[-1].object_id) == (
            personas.coordinator.id, personas.mentee_a.id, personas.match_a.id)


def test_the_private_note_is_kept_out_of_the_audit_trail(notes):
    assert AuditEvent.select().where(AuditEvent.detail.contains(MARKER)).count() == 0
