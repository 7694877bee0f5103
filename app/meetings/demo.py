"""Demo meetings: a few months of held, missed and scheduled sessions for each active match."""
import datetime
import random

from app.meetings.models import ActionItem, Meeting

SUMMARIES = [
    ("You talked about how the new routine is going. You said mornings feel \u201cless heavy\u201d since you started walking before breakfast.",
     "Seems steadier than last month. Mentioned some tension with roommate; will check in next time."),
    ("We practiced interview answers. You named three strengths on your own: reliable, good with people, and you finish what you start.",
     "Good energy. Nervous about the background check; suggested talking to the coordinator about legal aid."),
    ("You shared that last weekend was hard, and that you reached out to your sponsor instead of isolating. That's a real skill.",
     "Reported strong cravings Saturday. Has a plan for next weekend. No safety concerns raised."),
    ("We looked at your budget together. You found $30 a week you want to put aside.",
     "Money stress is a big trigger. Might benefit from the financial coaching workshop."),
    ("You said you feel proud of ninety days. We talked about what helped most: meetings, walks, and calling your sister.",
     "Milestone celebrated. Sister is a strong support."),
]
TOPIC_SETS = ["|check_in|goals|", "|work|goals|", "|recovery|cravings|", "|money|check_in|", "|relationships|recovery|"]
REFLECTIONS = ["It helped to say it out loud.", "I liked practicing. I feel more ready.", "",
               "Good to have someone who gets it.", ""]


def create_demo_meetings(matches, now):
    """`matches` is [(match, quiet)]: a quiet match has not met for over two weeks."""
    rng = random.Random(42)
    for index, (match, quiet) in enumerate(matches):
        start = now - datetime.timedelta(days=90)
        day = start
        number = 0
        last_day = now - datetime.timedelta(days=20 if quiet else 3)
        while day < last_day:
            starts_at = day.replace(hour=15 + index % 3, minute=0, second=0, microsecond=0)
            missed = rng.random() < 0.12
            summary, note = SUMMARIES[number % len(SUMMARIES)]
            meeting = Meeting.create(
                match=match, proposed_by=match.mentor, starts_at=starts_at, duration_minutes=60,
                format=["in_person", "phone", "video"][number % 3],
                place="Main Street Library, 2nd floor" if number % 3 == 0 else "",
                video_link="https://meet.example.org/tandem-demo" if number % 3 == 2 else "",
                status="missed" if missed else "held",
                missed_reason="Mentee had a last-minute shift change." if missed else "",
                actual_start=None if missed else starts_at,
                actual_end=None if missed else starts_at + datetime.timedelta(minutes=rng.choice([45, 55, 60, 75])),
                topics="" if missed else TOPIC_SETS[number % len(TOPIC_SETS)],
                summary="" if missed else summary, private_note="" if missed else note,
                logged_at=starts_at + datetime.timedelta(hours=3), logged_by=match.mentor,
                mentee_reflection="" if missed else REFLECTIONS[number % len(REFLECTIONS)],
                helpfulness=None if missed or number % 3 == 1 else rng.choice([3, 4, 4, 5, 5]),
                created=starts_at - datetime.timedelta(days=3), updated=starts_at + datetime.timedelta(hours=3),
            )
            if not missed and number % 2 == 0:
                ActionItem.create(meeting=meeting, title="Call the clinic to book a check-up", owner="mentee")
                ActionItem.create(meeting=meeting, title="Send the list of local meetings", owner="mentor", position=1)
            number += 1
            day += datetime.timedelta(days=rng.choice([6, 7, 7, 8, 14]))
        if not quiet:
            Meeting.create(match=match, proposed_by=match.mentor, status="scheduled",
                           starts_at=(now + datetime.timedelta(days=2 + index)).replace(hour=16, minute=0, second=0, microsecond=0),
                           duration_minutes=60, format="in_person", place="Riverside Café",
                           agenda="Check in on the job search and the savings goal.")
            Meeting.create(match=match, proposed_by=match.mentee, status="proposed",
                           starts_at=(now + datetime.timedelta(days=9 + index)).replace(hour=17, minute=30, second=0, microsecond=0),
                           duration_minutes=45, format="phone")
        if index == 0:
            Meeting.create(match=match, proposed_by=match.mentor, status="scheduled",
                           starts_at=(now - datetime.timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0),
                           duration_minutes=60, format="video", video_link="https://meet.example.org/tandem-demo")
