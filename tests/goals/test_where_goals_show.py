"""Where goals show: the mentee's home, the mentor's overview and mentee pages, the coordinator's match page."""
import datetime
import re

import pytest
import time_machine

from app.db import utcnow
from app.goals.models import Goal
from app.matches.models import Match
from tests.conftest import make_user
from tests.conftest import signed_in_client
from tests.goals.conftest import days_from_today, make_goal


def section(html, heading_id):
    return re.search(rf'<section class="card" aria-labelledby="{heading_id}">.*?</section>', html, re.S).group(0)


def item_titles(html):
    return re.findall(r'<a class="item__title" href="[^"]+">([^<]+)</a>', html)


def card_titles(html):
    return re.findall(r'<a class="goal-card__title" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def mentee_c(personas):
    """A second mentee of mentor A."""
    mentee = make_user("mentee.c@example.org", "Cal Mentee", "mentee")
    Match.create(mentor=personas.mentor_a, mentee=mentee)
    return mentee


def test_mentee_home_shows_active_goals_with_progress_and_the_next_step_due(personas, login_as):
    due = days_from_today(personas.mentee_a, 2)
    make_goal(personas.mentee_a, title="Find steady housing",
              steps=[("Gather documents", None, True), ("Call the housing office", due), "Visit two flats"])
    make_goal(personas.mentee_a, title="Reached goal", status="achieved")
    make_goal(personas.mentee_a, title="Released goal", status="let_go")
    make_goal(personas.mentee_b, title="Bea's goal")

    goals = section(login_as("mentee_a").get("/home").text, "goals-heading")

    assert card_titles(goals) == ["Find steady housing"]
    assert "1 of 3 steps done" in goals
    next_step = re.search(r'<p class="goal-card__next">(.*?)</p>', goals, re.S).group(1)
    assert "Next step: Call the housing office" in next_step
    assert f"due {due:%b} {due.day}, {due.year}" in next_step


def test_mentee_home_invites_a_first_goal_when_there_is_none(personas, login_as):
    goals = section(login_as("mentee_a").get("/home").text, "goals-heading")

    assert "No active goals yet." in goals
    assert 'href="/goals/new"' in goals


def test_mentee_goals_page_lists_active_and_paused_goals_soonest_target_first(personas, login_as):
    make_goal(personas.mentee_a, title="Later", target_date=datetime.date(2027, 9, 1))
    make_goal(personas.mentee_a, title="Sooner", target_date=datetime.date(2027, 2, 1))
    make_goal(personas.mentee_a, title="Someday")
    make_goal(personas.mentee_a, title="Resting", status="paused")
    make_goal(personas.mentee_a, title="Reached", status="achieved")

    titles = card_titles(login_as("mentee_a").get("/goals").text)

    assert titles[:2] == ["Sooner", "Later"]
    assert sorted(titles[2:]) == ["Resting", "Someday"]


def test_mentor_overview_lists_open_steps_due_this_week_across_their_mentees(personas, login_as, mentee_c):
    mentor = personas.mentor_a
    day = lambda n: days_from_today(mentor, n)  # noqa: E731
    make_goal(personas.mentee_a, title="Ada's goal", steps=[
        ("Overdue step", day(-2)), ("Due in three days", day(3)), ("Due on the last day of the week", day(6)),
        ("Due in a week", day(7)), ("Due next month", day(30)), ("Done step", day(1), True), "Step with no date"])
    make_goal(personas.mentee_a, title="Achieved goal", status="achieved", steps=[("Step of an achieved goal", day(1))])
    make_goal(personas.mentee_a, title="Paused goal", status="paused", steps=[("Step of a paused goal", day(1))])
    make_goal(mentee_c, title="Cal's goal", steps=[("Cal's step due today", day(0))])
    make_goal(personas.mentee_b, title="Bea's goal", steps=[("Bea's step due today", day(0))])

    page = login_as("mentor_a").get("/goals")
    due = section(page.text, "due-heading")

    assert page.status_code == 200
    assert item_titles(due) == ["Overdue step", "Cal&#39;s step due today", "Due in three days",
                                "Due on the last day of the week"]
    assert due.count("Overdue</span>") == 1
    assert "Ada Mentee · Ada&#39;s goal" in due and "Cal Mentee · Cal&#39;s goal" in due
    assert "Bea" not in page.text


def test_mentor_overview_lists_active_goals_without_an_update_for_fourteen_days(personas, login_as, mentee_c):
    now = utcnow()
    make_goal(personas.mentee_a, title="Quiet goal", last_activity=now - datetime.timedelta(days=15))
    make_goal(mentee_c, title="Long quiet goal", last_activity=now - datetime.timedelta(days=40))
    make_goal(personas.mentee_a, title="Recent goal", last_activity=now - datetime.timedelta(days=13))
    make_goal(personas.mentee_a, title="Quiet achieved goal", status="achieved",
              last_activity=now - datetime.timedelta(days=30))
    make_goal(personas.mentee_a, title="Quiet paused goal", status="paused",
              last_activity=now - datetime.timedelta(days=30))
    make_goal(personas.mentee_b, title="Bea's quiet goal", last_activity=now - datetime.timedelta(days=30))

    page = login_as("mentor_a").get("/goals").text
    stale = section(page, "stale-heading")

    assert "Goals without an update for 14 days" in stale
    assert item_titles(stale) == ["Long quiet goal", "Quiet goal"]
    assert "Cal Mentee · last update" in stale
    assert "Bea" not in page


def test_a_goal_goes_quiet_after_fourteen_days_and_an_update_brings_it_back(app, personas):
    start = datetime.datetime(2027, 5, 3, 14, 0)
    with time_machine.travel(start, tick=False):
        mentee = signed_in_client(app, personas.mentee_a)
        mentee.post("/goals/new", data={"title": "Cook at home twice a week", "area": "physical_health"})
    goal = Goal.get()

    with time_machine.travel(start + datetime.timedelta(days=13, hours=23), tick=False):
        mentor = signed_in_client(app, personas.mentor_a)
        assert item_titles(section(mentor.get("/goals").text, "stale-heading")) == []

    with time_machine.travel(start + datetime.timedelta(days=14, hours=1), tick=False):
        mentor = signed_in_client(app, personas.mentor_a)
        assert item_titles(section(mentor.get("/goals").text, "stale-heading")) == ["Cook at home twice a week"]
        assert "1 goal without an update for two weeks." in mentor.get("/home").text
        signed_in_client(app, personas.mentee_a).post(f"/goals/{goal.id}/updates",
                                                        data={"body": "Cooked once this week."})
        assert item_titles(section(mentor.get("/goals").text, "stale-heading")) == []


def test_mentor_home_counts_steps_due_this_week_and_quiet_goals(personas, login_as):
    make_goal(personas.mentee_a, title="Ada's goal",
              steps=[("Soon", days_from_today(personas.mentor_a, 1)), ("Also soon", days_from_today(personas.mentor_a, 2))],
              last_activity=utcnow() - datetime.timedelta(days=20))
    make_goal(personas.mentee_b, steps=[("Not mine", days_from_today(personas.mentor_b, 1))])

    goals = section(login_as("mentor_a").get("/home").text, "goals-heading")

    assert "2 steps due this week." in goals
    assert "1 goal without an update for two weeks." in goals


def test_mentor_overview_links_to_each_active_mentees_goals(personas, login_as, mentee_c):
    page = section(login_as("mentor_a").get("/goals").text, "mentees-heading")

    assert item_titles(page) == ["Goals of Ada Mentee", "Goals of Cal Mentee"]
    assert f'href="/goals/new?mentee={mentee_c.id}"' in page


def test_mentor_sees_a_mentees_current_and_past_goals(personas, login_as):
    make_goal(personas.mentee_a, title="Current goal", steps=[("Done", None, True), "Open"])
    make_goal(personas.mentee_a, title="Resting goal", status="paused")
    make_goal(personas.mentee_a, title="Reached goal", status="achieved", status_note="Meetings helped.")
    make_goal(personas.mentee_a, title="Released goal", status="let_go")
    make_goal(personas.mentee_b, title="Bea's goal")

    page = login_as("mentor_a").get(f"/goals/mentees/{personas.mentee_a.id}")

    assert page.status_code == 200
    current, past = page.text.split("<h2>Achieved and let go</h2>")
    assert sorted(card_titles(current)) == ["Current goal", "Resting goal"]
    assert sorted(card_titles(past)) == ["Reached goal", "Released goal"]
    assert "1 of 2 steps done" in current
    assert "Meetings helped." in past
    assert f'href="/goals/new?mentee={personas.mentee_a.id}"' in page.text
    assert "Bea" not in page.text


SENTINELS = {
    "title": "Sentinel-goal-title-7731",
    "why": "Sentinel-why-text-7732",
    "step": "Sentinel-step-title-7733",
    "note": "Sentinel-progress-note-7734",
    "status_note": "Sentinel-what-helped-7735",
}


def test_coordinator_sees_goal_counts_and_last_update_on_the_match_but_no_goal_text(personas, login_as):
    first = make_goal(personas.mentee_a, title=SENTINELS["title"], why=SENTINELS["why"],
                      steps=[SENTINELS["step"]], last_activity=datetime.datetime(2027, 1, 5, 12, 0))
    make_goal(personas.mentee_a, title="Second active goal", last_activity=datetime.datetime(2027, 2, 3, 12, 0))
    make_goal(personas.mentee_a, title="Reached goal", status="achieved", status_note=SENTINELS["status_note"],
              last_activity=datetime.datetime(2027, 1, 20, 12, 0))
    make_goal(personas.mentee_a, title="Released goal", status="let_go", last_activity=datetime.datetime(2026, 12, 1))
    make_goal(personas.mentee_a, title="Third let-go goal", status="let_go", last_activity=datetime.datetime(2026, 12, 2))
    make_goal(personas.mentee_b, title="Bea's goal", last_activity=datetime.datetime(2027, 6, 1, 12, 0))
    login_as("mentee_a").post(f"/goals/{first.id}/updates", data={"body": SENTINELS["note"]})
    Goal.update(last_activity=datetime.datetime(2027, 1, 5, 12, 0)).where(Goal.id == first.id).execute()
    coordinator = login_as("coordinator")

    page = coordinator.get(f"/matches/{personas.match_a.id}")

    assert page.status_code == 200
    goals = section(page.text, "goals-heading")
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", goals))
    assert counts == {"Active": "2", "Achieved": "1", "Paused": "0", "Let go": "2", "Last update": "Feb 3, 2027"}
    empty = section(coordinator.get(f"/matches/{personas.match_b.id}").text, "goals-heading")
    assert "<dt>Active</dt><dd>1</dd>" in empty and "Jun 1, 2027" in empty
    for url in [f"/matches/{personas.match_a.id}", "/matches", "/home", f"/people/{personas.mentee_a.id}",
                f"/audit?person={personas.mentee_a.id}", "/audit"]:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        for name, sentinel in SENTINELS.items():
            assert sentinel not in response.text, (url, name)
        for title in ("Second active goal", "Reached goal", "Released goal"):
            assert title not in response.text, (url, title)


def test_a_match_without_goals_says_so(personas, login_as):
    goals = section(login_as("coordinator").get(f"/matches/{personas.match_a.id}").text, "goals-heading")

    assert "<dt>Active</dt><dd>0</dd>" in goals
    assert "<dt>Last update</dt><dd>None yet</dd>" in goals
