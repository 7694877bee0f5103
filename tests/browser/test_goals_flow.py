"""Goals end to end in a real browser at a 390x844 phone viewport, with and without JavaScript.

A mentee sets a goal with three steps, ticks one and moves another up; the mentor sees the
change and adds a progress note; the mentee marks the goal achieved with a line on what
helped and is congratulated. With JavaScript the step actions and the note are swapped in
place by htmx and every page is checked with axe-core; without JavaScript each action is a
plain form post (axe needs script, so only the scroll, tap-target and console checks run).
"""
import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.checks import assert_no_horizontal_scroll, assert_no_page_problems, assert_tap_targets, check_page
from tests.browser.flows import (
    database_of,
    expect_path,
    main_text,
    mark_document,
    nav,
    pair,
    sign_in,
    still_same_document,
)

pytestmark = pytest.mark.browser

MENTEE = "mentee@example.org"
MENTOR = "mentor@example.org"
GOAL_PATH = r"/goals/\d+"
STEPS = ["Find the meeting times online", "Go to one meeting", "Tell Milo how it went"]


def checked(page):
    """The page checks; axe-core only where script runs."""
    if page.context.tandem_javascript:
        check_page(page)
    else:
        assert_no_horizontal_scroll(page)
        assert_tap_targets(page)
        assert_no_page_problems(page)


def step_titles(page):
    return page.locator("#goal-steps .step__title")


def steps_in_database(live_server, goal_id):
    with database_of(live_server):
        from app.goals.models import GoalStep

        return [(s.title, s.position, s.done_at is not None)
                for s in GoalStep.select().where(GoalStep.goal == goal_id).order_by(GoalStep.position)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_goal_is_set_worked_on_together_and_achieved(live_server, new_context, javascript):
    mentee, _mentor, _match = pair(live_server)
    target = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    note = "Ada found two meetings near work and went to one on Tuesday."
    helped = "Going with a friend the first time."

    page = new_context(java_script_enabled=javascript).new_page()
    sign_in(page, MENTEE)
    nav(page, "Goals")
    expect_path(page, "/goals")
    checked(page)

    # A new goal, gently shaped by the hints.
    page.get_by_role("link", name="Set your first goal").click()
    expect_path(page, "/goals/new")
    checked(page)
    page.get_by_label("Goal", exact=True).fill("Go to a recovery meeting every week")
    page.get_by_label("Why it matters to you").fill("Meetings keep me steady.")
    page.get_by_label("Area of life").select_option(label="Recovery")
    page.get_by_label("Target date (optional)").fill(target)
    page.get_by_role("button", name="Add goal").click()
    goal_path = expect_path(page, GOAL_PATH)
    goal_id = int(goal_path.rsplit("/", 1)[1])
    assert "Goal added." in main_text(page)
    expect(page.locator("#goal-steps")).to_contain_text("No steps yet")
    checked(page)

    # Three steps, added in place.
    mark_document(page)
    steps = page.locator("#goal-steps")
    for count, title in enumerate(STEPS, start=1):
        steps.get_by_label("New step").fill(title)
        steps.get_by_role("button", name="Add step").click()
        expect(step_titles(page)).to_have_count(count)
    expect(step_titles(page)).to_have_text(STEPS)
    expect(steps.get_by_label("New step")).to_have_value("")
    expect(steps).to_contain_text("0 of 3 steps done")

    # Tick the first step.
    steps.get_by_role("button", name=f"Mark “{STEPS[0]}” as done").click()
    done_button = steps.get_by_role("button", name=f"Done: mark “{STEPS[0]}” as not done")
    expect(done_button).to_have_attribute("aria-pressed", "true")
    expect(steps).to_contain_text("1 of 3 steps done")

    # Move the last step up, past the second.
    steps.get_by_role("button", name=f"Move up: {STEPS[2]}").click()
    reordered = [STEPS[0], STEPS[2], STEPS[1]]
    expect(step_titles(page)).to_have_text(reordered)
    expect(steps.get_by_role("button", name=f"Move up: {STEPS[0]}")).to_be_disabled()
    expect(steps.get_by_role("button", name=f"Move down: {STEPS[1]}")).to_be_disabled()
    assert steps_in_database(live_server, goal_id) == [
        (STEPS[0], 0, True), (STEPS[2], 1, False), (STEPS[1], 2, False)]
    still_same_document(page)
    checked(page)
    page.reload()
    expect(step_titles(page)).to_have_text(reordered)

    # The mentor sees the change and adds a progress note.
    mentor_page = new_context(java_script_enabled=javascript).new_page()
    sign_in(mentor_page, MENTOR)
    nav(mentor_page, "Goals")
    expect_path(mentor_page, "/goals")
    checked(mentor_page)
    mentor_page.get_by_role("link", name="Goals of Ada Mentee").click()
    expect_path(mentor_page, f"/goals/mentees/{mentee.id}")
    card = mentor_page.locator(".goal-card")
    expect(card).to_contain_text("1 of 3 steps done")
    expect(card).to_contain_text(f"Next step: {STEPS[2]}")
    checked(mentor_page)
    card.get_by_role("link", name="Go to a recovery meeting every week").click()
    expect_path(mentor_page, goal_path)
    expect(step_titles(mentor_page)).to_have_text(reordered)
    expect(mentor_page.locator("#goal-steps")).to_contain_text("1 of 3 steps done")
    timeline = mentor_page.locator("#timeline")
    expect(timeline).to_contain_text(f"Finished the step “{STEPS[0]}”.")
    expect(timeline).to_contain_text(f"Moved the step “{STEPS[2]}”.")
    checked(mentor_page)
    mark_document(mentor_page)
    timeline.get_by_label("Progress note").fill(note)
    timeline.get_by_role("button", name="Add progress note").click()
    timeline = mentor_page.locator("#timeline")
    expect(mentor_page.locator("main")).to_contain_text("Progress note added.")
    expect(timeline.locator(".timeline__item--note")).to_contain_text(note)
    expect(timeline.locator(".timeline__item--note")).to_contain_text("Milo Mentor")
    still_same_document(mentor_page)
    checked(mentor_page)

    # The mentee sees the note, then marks the goal achieved and is congratulated.
    page.reload()
    expect(page.locator("#timeline .timeline__item--note")).to_contain_text(note)
    page.get_by_role("link", name="Mark achieved").click()
    expect_path(page, f"/goals/{goal_id}/status/achieved")
    checked(page)
    page.get_by_role("button", name="Mark achieved").click()
    expect(page.locator(".field__error")).to_contain_text("Write a line about what helped.")
    checked(page)
    page.get_by_label("What helped you get there?").fill(helped)
    page.get_by_role("button", name="Mark achieved").click()
    expect_path(page, goal_path)
    expect(page.locator(".flash--celebrate")).to_contain_text("You did it!")
    celebration = page.locator(".celebrate")
    expect(celebration).to_contain_text("Achieved on")
    expect(celebration).to_contain_text(f"What helped: {helped}")
    expect(page.get_by_role("link", name="Mark achieved")).to_have_count(0)
    checked(page)
    nav(page, "Goals")
    expect(page.locator("main")).to_contain_text("No goals yet.")
    page.get_by_role("link", name="Achieved and let-go goals").click()
    expect_path(page, "/goals/past")
    expect(page.locator(".goal-card")).to_contain_text("Achieved")
    expect(page.locator(".goal-card")).to_contain_text(helped)
    checked(page)

    # The mentor sees it among the achieved goals.
    mentor_page.goto(f"/goals/mentees/{mentee.id}")
    expect(mentor_page.locator("main")).to_contain_text("Achieved and let go")
    expect(mentor_page.locator(".goal-card")).to_contain_text("Achieved")
    checked(mentor_page)
