"""Demo goals with steps and progress notes for the demo matches."""
import datetime

from app.goals.models import Goal, GoalStep, GoalUpdate

GOALS = [
    {
        "title": "Go to two recovery meetings a week until the end of the month",
        "why": "Meetings are where I feel less alone, and I stay steadier when I go.",
        "area": "recovery", "status": "active", "target_days": 20,
        "steps": [("Find a Tuesday meeting near work", True, -10), ("Go on Tuesday", True, -6),
                  ("Go on Saturday morning", False, 1), ("Ask someone for their number", False, 4)],
        "notes": [("mentee", "Went twice last week. Saturday was easier than I thought."),
                  ("mentor", "Great consistency. Let's talk about what made Saturday easier.")],
    },
    {
        "title": "Apply for three warehouse or kitchen jobs by Friday",
        "why": "I want my own money and a routine.",
        "area": "work_study", "status": "active", "target_days": 5,
        "steps": [("Update my resume with the mentor", True, -3), ("Apply at the distribution center", True, -1),
                  ("Apply at the diner on Main", False, 2), ("Apply at one more place", False, 4)],
        "notes": [("mentor", "Resume looks strong now. Proud of you for finishing it.")],
    },
    {
        "title": "Walk for 20 minutes, three times a week",
        "why": "It clears my head when cravings hit.",
        "area": "physical_health", "status": "achieved", "target_days": -10,
        "steps": [("Pick a route by the river", True, -40), ("Walk Monday, Wednesday, Friday for a month", True, -12)],
        "notes": [("mentee", "Did the whole month! Walking after dinner became a habit.")],
        "status_note": "Walking with my neighbour made it something to look forward to.",
    },
    {
        "title": "Open a savings account",
        "why": "A small cushion so one bad week doesn't undo everything.",
        "area": "money", "status": "active", "target_days": 30,
        "steps": [("Find out which ID the bank needs", True, -5), ("Go to the bank", False, 6)],
        "notes": [],
    },
    {
        "title": "Reconnect with my brother",
        "why": "",
        "area": "relationships", "status": "let_go", "target_days": None,
        "steps": [("Write him a letter", True, -50)],
        "notes": [("mentee", "He isn't ready to talk, and I have to respect that. Maybe later.")],
        "status_note": "Not the right time. I'm focusing on the relationships that support me now.",
    },
]


def create_demo_goals(pairs, now):
    """`pairs` is [(mentee, mentor)]: each mentee gets some of the goals above."""
    for index, (mentee, mentor) in enumerate(pairs):
        chosen = GOALS[index % 2::2] if index else GOALS
        for number, spec in enumerate(chosen):
            created = now - datetime.timedelta(days=45 - number * 5)
            last = now - datetime.timedelta(days=16 if number == 3 else number + 1)
            today = now.date()
            goal = Goal.create(
                mentee=mentee, title=spec["title"], why=spec["why"], area=spec["area"], status=spec["status"],
                target_date=today + datetime.timedelta(days=spec["target_days"]) if spec["target_days"] is not None else None,
                status_note=spec.get("status_note", ""), created_by=mentee if number % 2 else mentor,
                created=created, updated=last, last_activity=last,
                achieved_at=last if spec["status"] == "achieved" else None,
            )
            GoalUpdate.create(goal=goal, author=goal.created_by, kind="created", body=goal.title, created=created)
            for position, (title, done, due_in) in enumerate(spec["steps"]):
                GoalStep.create(goal=goal, title=title, position=position,
                                due_date=today + datetime.timedelta(days=due_in),
                                done_at=now + datetime.timedelta(days=min(due_in, 0) - 1) if done else None,
                                done_by=mentee if done else None, created_by=goal.created_by, created=created)
            for offset, (who, body) in enumerate(spec["notes"]):
                GoalUpdate.create(goal=goal, author=mentee if who == "mentee" else mentor, kind="note", body=body,
                                  created=last - datetime.timedelta(days=offset))
