"""Meeting lists cost a fixed number of queries: the same with 5 meetings as with 300."""
import datetime
import uuid

import pytest

from app.db import database
from app.meetings.models import ActionItem, Meeting
from tests.meetings.conftest import now

# By index % 10: two in ten coming up, the rest in the past ("scheduled" there: not logged yet).
# The first five already hold every kind a page shows.
PATTERN = ["scheduled", "proposed", "held", "missed", "scheduled", "held", "cancelled", "held", "missed", "held"]

PAGES = [
    ("mentee_a", "/meetings"),
    ("mentor_a", "/meetings"),
    ("mentor_a", "/meetings?page=2"),
    ("mentor_a", "/home"),
    ("mentee_a", "/home"),
    ("coordinator", "/meetings/matches/{match_id}"),
    ("coordinator", "/matches/{match_id}"),
    ("coordinator", "/meetings/quiet"),
]


def add_meetings(personas, count, start=0):
    """`count` meetings of match A: two in ten coming up, the rest over the past months in every state,
    the held ones with a private note, a rating and two action items. Bulk inserted."""
    base = now().replace(second=0, microsecond=0)
    rows = []
    for index in range(start, start + count):
        status = PATTERN[index % 10]
        if index % 10 < 2:
            starts_at = base + datetime.timedelta(days=1 + index // 10, hours=index % 7)
        else:
            starts_at = base - datetime.timedelta(days=1 + index, hours=index % 5)
        held = status == "held"
        rows.append({
            "match": personas.match_a.id, "proposed_by": personas.mentor_a.id if index % 2 else personas.mentee_a.id,
            "starts_at": starts_at, "status": status, "format": ["in_person", "phone", "video"][index % 3],
            "place": "Library", "summary": f"Summary {index}" if held else "",
            "private_note": f"Note {index}" if held else "", "topics": "|goals|work|" if held else "",
            "actual_start": starts_at if held else None,
            "actual_end": starts_at + datetime.timedelta(minutes=50) if held else None,
            "helpfulness": 1 + index % 5 if held else None,
            "logged_at": starts_at if status in ("held", "missed") else None,
            "ical_uid": uuid.uuid4().hex, "created": base, "updated": base,
        })
    with database.atomic():
        for chunk in range(0, len(rows), 100):
            Meeting.insert_many(rows[chunk:chunk + 100]).execute()
        held_ids = [m.id for m in Meeting.select(Meeting.id).where(Meeting.status == "held")]
        items = [{"meeting": meeting_id, "title": f"Item {n}", "owner": "mentee", "position": n}
                 for meeting_id in held_ids for n in range(2)
                 if not ActionItem.select().where(ActionItem.meeting == meeting_id).exists()]
        for chunk in range(0, len(items), 100):
            ActionItem.insert_many(items[chunk:chunk + 100]).execute()


@pytest.mark.parametrize("persona, path", PAGES, ids=[f"{p}:{u}" for p, u in PAGES])
def test_a_meetings_page_costs_the_same_queries_with_5_and_with_300_meetings(personas, login_as, query_counter,
                                                                          persona, path):
    url = path.format(match_id=personas.match_a.id)
    client = login_as(persona)
    add_meetings(personas, 5)
    assert client.get(url).status_code == 200  # warm up: the session row, first-request work

    with query_counter() as few:
        assert client.get(url).status_code == 200
    add_meetings(personas, 295, start=5)
    assert Meeting.select().count() == 300
    with query_counter() as many:
        response = client.get(url)

    assert response.status_code == 200
    assert many.count == few.count, "\n".join(few.queries) + "\n-----\n" + "\n".join(many.queries)


def test_lists_name_the_people_of_every_match_a_meeting_belongs_to(personas, login_as, query_counter):
    """A mentee rematched after a closed match: past meetings name the first mentor, coming ones the
    second; the home page shows the open match; each list reads the people once, not per meeting."""
    from app.matches.models import Match
    from tests.conftest import make_user
    from tests.meetings.conftest import make_meeting

    first = personas.match_a
    Match.update(status="closed", ended=now() - datetime.timedelta(days=30)).where(Match.id == first.id).execute()
    new_mentor = make_user("mentor.c@example.org", "Cy Newmentor", "mentor")
    second = Match.create(mentor=new_mentor, mentee=personas.mentee_a, started=now() - datetime.timedelta(days=20))
    make_meeting(first, status="held", days=-40)
    make_meeting(second, status="held", days=-10)
    make_meeting(second, status="scheduled", days=5)
    client = login_as("mentee_a")

    meetings = client.get("/meetings").text
    assert meetings.count("With Abe Mentor") == 1 and meetings.count("With Cy Newmentor") == 2
    home = client.get("/home").text
    assert "You are matched with Cy Newmentor" in home and "With Cy Newmentor" in home
    with query_counter() as three:
        client.get("/meetings")
    for _ in range(3):
        make_meeting(first, status="missed", days=-45)
        make_meeting(second, status="held", days=-12)
    with query_counter() as nine:
        assert client.get("/meetings").text.count("With Abe Mentor") == 4
    assert nine.count == three.count
