"""Meetings end to end in a real browser at a 390x844 phone viewport.

The mentee proposes a meeting, the mentor accepts it; once its time has passed (moved into
the past in the database: a meeting in the future cannot be logged) the mentor logs it as
held with a summary, an action item that becomes a step of one of the mentee's goals, a
private note for supervision and the next meeting. The mentee reads the summary and the
action items, never the private note, and adds a reflection with a helpfulness rating,
which the mentor then sees; a coordinator then finds, among the matches gone quiet, a match that
has never met and not this one. Every meeting page on the way is checked with axe-core, for
sideways scrolling, tap targets and console errors.
"""
import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.flows import database_of, expect_path, main_text, nav, pair, sign_in

pytestmark = pytest.mark.browser

MENTEE = "mentee@example.org"
MENTOR = "mentor@example.org"
MEETING_PATH = r"/meetings/\d+"
TIMEZONE = "America/New_York"  # both people's time zone (the default)
GOAL = "Find a steadier place to live"
SUMMARY = "Ada led the conversation about housing and named two options she wants to look into."
ACTION_STEP = "Call the housing office on Monday"
ACTION_MENTOR = "Send Ada the list of evening meetings"
PRIVATE_NOTE = "Supervision only: worried the current flat is not safe; raise with Cora."
REFLECTION = "It helped to say the housing worry out loud."


def local_today():
    return datetime.datetime.now(ZoneInfo(TIMEZONE)).date()


def assert_private_note_absent(page):
    html = page.content()
    for fragment in (PRIVATE_NOTE, "worried the current flat", "Private note for supervision"):
        assert fragment not in html, f"the mentee can read {fragment!r} on {page.url}"


def test_a_meeting_is_proposed_accepted_logged_and_reflected_on(live_server, new_context):
    mentee, mentor, _match = pair(live_server)
    with database_of(live_server):
        from app.goals import service as goals

        goal = goals.create_goal(mentee, mentee, GOAL, "Somewhere quiet to recover.", "housing", None)
    proposed_day = local_today() + datetime.timedelta(days=3)
    next_day = local_today() + datetime.timedelta(days=10)

    # The mentee proposes a meeting.
    page = new_context().new_page()
    sign_in(page, MENTEE)
    nav(page, "Meetings")
    expect_path(page, "/meetings")
    check_page(page)
    page.get_by_role("link", name="Propose a meeting").first.click()
    expect_path(page, "/meetings/new")
    check_page(page)
    page.get_by_label("Date").fill(proposed_day.isoformat())
    page.get_by_label("Start time").fill("15:30")
    page.get_by_label("Length").select_option(label="45 minutes")
    page.get_by_role("group", name="How you'll meet").get_by_label("In person").check()
    page.get_by_label("Place (for in person)").fill("Central Library, second floor")
    page.get_by_label("What you'd like to talk about (optional)").fill("Housing, and the weekend.")
    page.get_by_role("button", name="Propose meeting").click()
    meeting_path = expect_path(page, MEETING_PATH)
    meeting_id = int(meeting_path.rsplit("/", 1)[1])
    main = main_text(page)
    assert "Meeting proposed." in main and "Waiting for Milo Mentor to accept." in main
    assert "Central Library, second floor" in main and "45 minutes" in main
    check_page(page)

    # The mentor finds it waiting for an answer and accepts it.
    mentor_page = new_context().new_page()
    sign_in(mentor_page, MENTOR)
    nav(mentor_page, "Meetings")
    expect_path(mentor_page, "/meetings")
    row = mentor_page.get_by_role("region", name="Coming up").locator(".item")
    expect(row).to_contain_text("Waiting for your answer")
    check_page(mentor_page)
    row.get_by_role("link").click()
    expect_path(mentor_page, meeting_path)
    check_page(mentor_page)
    mentor_page.get_by_role("button", name="Accept").click()
    expect_path(mentor_page, meeting_path)
    assert "Meeting accepted." in main_text(mentor_page)
    expect(mentor_page.locator("article .badge")).to_have_text("Scheduled")
    expect(mentor_page.get_by_role("link", name="Log this session")).to_have_count(0)
    check_page(mentor_page)

    # The meeting's time passes (yesterday afternoon).
    with database_of(live_server):
        from app.meetings.models import Meeting
        from app.timeutil import local_to_utc

        past = local_to_utc(local_today() - datetime.timedelta(days=1), datetime.time(15, 30), TIMEZONE)
        assert Meeting.update(starts_at=past).where(Meeting.id == meeting_id).execute() == 1

    # The mentor logs it from the home page's "needs attention".
    nav(mentor_page, "Home")
    attention = mentor_page.get_by_role("region", name="Needs attention")
    attention.get_by_role("link", name="Log the meeting of").click()
    expect_path(mentor_page, f"/meetings/{meeting_id}/log")
    check_page(mentor_page)
    log = mentor_page.locator("form.log-form")
    expect(log.get_by_role("radio", name="Yes, we met")).to_be_checked()
    expect(log.get_by_label("Started")).to_have_value("15:30")
    expect(log.get_by_label("Ended")).to_have_value("16:15")
    log.get_by_role("checkbox", name="Recovery and staying well").check()
    log.get_by_role("checkbox", name="Housing").check()
    log.get_by_role("group", name="Goals you talked about").get_by_label(GOAL).check()
    log.get_by_label("Summary for your mentee").fill(SUMMARY)
    log.get_by_label("Private note for supervision").fill(PRIVATE_NOTE)
    first_item, second_item = log.locator(".action-item").nth(0), log.locator(".action-item").nth(1)
    first_item.get_by_label("Action item").fill(ACTION_STEP)
    first_item.get_by_label("Who does it").select_option(label="Mentee")
    first_item.get_by_label("Make it a step of").select_option(label=GOAL)
    second_item.get_by_label("Action item").fill(ACTION_MENTOR)
    second_item.get_by_label("Who does it").select_option(label="Mentor")
    log.get_by_label("Next meeting: date (optional)").fill(next_day.isoformat())
    log.get_by_label("Next meeting: start time").fill("16:00")
    log.get_by_role("group", name="Next meeting: how").get_by_label("In person").check()
    log.get_by_label("Next meeting: place or link").fill("Central Library, second floor")
    log.get_by_role("button", name="Save the session log").click()
    expect_path(mentor_page, meeting_path)
    main = main_text(mentor_page)
    assert "The session is logged. The next meeting is scheduled." in main
    summary = mentor_page.get_by_role("region", name="Summary")
    expect(summary).to_contain_text(SUMMARY)
    expect(summary).to_contain_text(f"Goals talked about: {GOAL}")
    expect(summary.locator(".item")).to_have_count(2)
    expect(summary.locator(".item").filter(has_text=ACTION_STEP)).to_contain_text("Added as a goal step")
    expect(mentor_page.get_by_role("region", name="Private note for supervision")).to_contain_text(PRIVATE_NOTE)
    check_page(mentor_page)

    with database_of(live_server):
        from app.goals.models import GoalStep
        from app.meetings.models import ActionItem

        item = ActionItem.get((ActionItem.meeting == meeting_id) & (ActionItem.title == ACTION_STEP))
        assert item.step is not None and item.step.goal_id == goal.id and item.step.title == ACTION_STEP
        assert [s.title for s in GoalStep.select().where(GoalStep.goal == goal.id)] == [ACTION_STEP]
        follow_up = Meeting.get((Meeting.match == _match.id) & (Meeting.id != meeting_id))
        assert follow_up.status == "scheduled"
        assert follow_up.starts_at == local_to_utc(next_day, datetime.time(16, 0), TIMEZONE)

    # The mentee sees the summary and the action items, never the private note.
    page.goto("/home")
    meetings = page.get_by_role("region", name="Your meetings")
    expect(meetings).to_contain_text("add your reflection")
    expect(meetings.locator(".item")).to_have_count(1)  # the next meeting
    assert_private_note_absent(page)
    check_page(page)
    meetings.get_by_role("link", name="Summary of").click()
    expect_path(page, meeting_path)
    summary = page.get_by_role("region", name="Summary")
    expect(summary).to_contain_text(SUMMARY)
    expect(summary).to_contain_text(ACTION_STEP)
    expect(summary).to_contain_text(ACTION_MENTOR)
    expect(page.get_by_role("link", name="Log this session")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the session log")).to_have_count(0)
    assert_private_note_absent(page)
    check_page(page)

    # ... adds a reflection with a helpfulness rating ...
    reflection = page.get_by_role("region", name="Your reflection")
    reflection.get_by_label("Your reflection (optional)").fill(REFLECTION)
    reflection.get_by_role("radio", name="4", exact=True).check()
    reflection.get_by_role("button", name="Save reflection").click()
    expect_path(page, meeting_path)
    assert "Thank you. Your reflection is saved." in main_text(page)
    expect(page.get_by_label("Your reflection (optional)")).to_have_value(REFLECTION)
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    assert_private_note_absent(page)
    check_page(page)

    # ... and finds the action item among the goal's steps.
    summary = page.get_by_role("region", name="Summary")
    summary.get_by_role("link", name=GOAL).click()
    expect_path(page, f"/goals/{goal.id}")
    expect(page.locator("#goal-steps .step__title")).to_have_text([ACTION_STEP])
    page.goto("/meetings")
    assert_private_note_absent(page)
    check_page(page)

    # The mentor sees the reflection and the rating.
    mentor_page.reload()
    mentee_side = mentor_page.get_by_role("region", name="Reflection from Ada Mentee")
    expect(mentee_side).to_contain_text(REFLECTION)
    expect(mentee_side).to_contain_text("Helpfulness: 4 out of 5")
    check_page(mentor_page)

    # A coordinator finds the matches gone quiet: not this one, which has just met, but a match
    # made a month ago that has never met.
    _quiet_mentee, _quiet_mentor, quiet = pair(live_server, ("bea@example.org", "Bea Mentee"),
                                               ("max@example.org", "Max Mentor"))
    with database_of(live_server):
        from app.matches.models import Match

        Match.update(started=quiet.started - datetime.timedelta(days=30)).where(Match.id == quiet.id).execute()
    live_server.make_user("coord@example.org", "Cora Coordinator", "coordinator")
    coordinator_page = new_context().new_page()
    sign_in(coordinator_page, "coord@example.org")
    coordinator_page.get_by_role("link", name="Matches without a recent meeting").click()
    expect_path(coordinator_page, "/meetings/quiet")
    listed = coordinator_page.locator("main .item__title")
    expect(listed).to_have_text(["Max Mentor with Bea Mentee"])
    expect(coordinator_page.locator("main .item__meta")).to_have_text(["No meeting held yet"])
    check_page(coordinator_page)
