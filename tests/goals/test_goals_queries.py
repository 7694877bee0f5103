"""Goal pages send as many SQL statements with 40 goals of 10 steps as with 2 goals of 2 steps."""
import datetime

import pytest

from app.db import database, utcnow
from app.goals.models import Goal, GoalStep, GoalUpdate
from tests.conftest import count_queries
from tests.goals.conftest import days_from_today, make_goal

PAGES = {
    "mentee goals page": ("mentee_a", lambda personas, goal: "/goals"),
    "mentee past goals page": ("mentee_a", lambda personas, goal: "/goals/past"),
    "goal page": ("mentee_a", lambda personas, goal: f"/goals/{goal.id}"),
    "goal page seen by the mentor": ("mentor_a", lambda personas, goal: f"/goals/{goal.id}"),
    "mentor overview": ("mentor_a", lambda personas, goal: "/goals"),
    "mentor's mentee goals page": ("mentor_a", lambda personas, goal: f"/goals/mentees/{personas.mentee_a.id}"),
    "mentee home": ("mentee_a", lambda personas, goal: "/home"),
    "mentor home": ("mentor_a", lambda personas, goal: "/home"),
}


def few_goals(personas):
    """2 goals of 2 steps: one step due this week, one goal quiet for weeks, one achieved."""
    due = days_from_today(personas.mentor_a, 2)
    first = make_goal(personas.mentee_a, title="Goal 1", steps=[("Step 1.1", due, True), ("Step 1.2", due)],
                      last_activity=utcnow() - datetime.timedelta(days=20), created_by=personas.mentor_a)
    make_goal(personas.mentee_a, title="Goal 2", status="achieved", steps=["Step 2.1", ("Step 2.2", due)])
    GoalUpdate.create(goal=first, author=personas.mentor_a, kind="note", body="A first note.")
    return first


def add_many_goals(personas, goal, total=40, steps_each=10):
    """Bulk-insert goals up to `total`, each with `steps_each` steps, and fill `goal` up to `steps_each` steps."""
    mentee, mentor = personas.mentee_a, personas.mentor_a
    due = days_from_today(mentor, 3)
    now = utcnow()
    statuses = ["active", "active", "paused", "achieved", "let_go"]
    with database.atomic():
        existing = Goal.select().where(Goal.mentee == mentee).count()
        Goal.insert_many([
            {"mentee": mentee.id, "title": f"Goal {n}", "area": "recovery", "status": statuses[n % len(statuses)],
             "status_note": "What helped" if n % 5 == 3 else "", "created_by": mentor.id if n % 2 else mentee.id,
             "created": now, "updated": now, "last_activity": now - datetime.timedelta(days=n % 30),
             "target_date": datetime.date(2027, 1, 1) + datetime.timedelta(days=n) if n % 3 else None}
            for n in range(existing + 1, total + 1)
        ]).execute()
        goals = list(Goal.select().where(Goal.mentee == mentee))
        step_rows = []
        for each in goals:
            have = GoalStep.select().where(GoalStep.goal == each).count()
            step_rows += [
                {"goal": each.id, "title": f"Step {each.id}.{p}", "position": p, "created_by": mentee.id,
                 "due_date": due if p % 2 else None, "done_at": now if p % 3 == 0 else None, "created": now}
                for p in range(have, steps_each)
            ]
        GoalStep.insert_many(step_rows).execute()
        GoalUpdate.insert_many([
            {"goal": goal.id, "author": (mentor if n % 2 else mentee).id, "kind": "note", "body": f"Note {n}",
             "created": now - datetime.timedelta(hours=n)}
            for n in range(60)
        ]).execute()
    assert Goal.select().where(Goal.mentee == mentee).count() == total
    assert GoalStep.select().where(GoalStep.goal == goal).count() == steps_each


def queries_for(client, url):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.queries


@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_does_not_grow_with_the_number_of_goals_and_steps(personas, login_as, page):
    persona, url_for_page = PAGES[page]
    goal = few_goals(personas)
    client = login_as(persona)
    url = url_for_page(personas, goal)
    client.get(url)  # warm up: the first request may do one-off work

    few = queries_for(client, url)
    add_many_goals(personas, goal)
    many = queries_for(client, url)

    assert len(many) == len(few), "\n".join(["few:"] + few + ["many:"] + many)


def test_the_many_goals_really_show(personas, login_as):
    """The large data set reaches the pages, so the equal counts above mean something."""
    goal = few_goals(personas)
    add_many_goals(personas, goal)

    mentee_page = login_as("mentee_a").get("/goals").text
    mentor_page = login_as("mentor_a").get(f"/goals/mentees/{personas.mentee_a.id}").text
    goal_page = login_as("mentee_a").get(f"/goals/{goal.id}").text

    assert mentee_page.count('class="goal-card"') == 23  # the active and paused ones of 40
    assert mentor_page.count('class="goal-card"') == 40
    assert goal_page.count('<li class="step') == 10
    assert goal_page.count('<li class="timeline__item') == 20  # the newest page of 60 notes
    assert "Note 1<" in goal_page and "Note 59<" not in goal_page
