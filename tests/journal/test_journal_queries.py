"""The journal's pages cost the same number of SQL queries with 10 entries as with 1,000."""
import datetime
import secrets

import time_machine

from app.db import database
from app.journal.models import JournalEntry, JournalRead, JournalReply, JournalSettings, pack_feelings
from tests.conftest import count_queries
from tests.conftest import signed_in_client

NOW = datetime.datetime(2026, 3, 15, 16, 0, tzinfo=datetime.timezone.utc)
TODAY = datetime.date(2026, 3, 15)
FEELINGS = [["calm"], ["tired", "anxious"], ["hopeful", "grateful", "proud"], []]


def add_entries(personas, start, count):
    """Entries `start`..`start + count - 1` for mentee A over the last 120 days: every other one shared,
    with moods, feelings, replies and read markers here and there."""
    rows = []
    for number in range(start, start + count):
        created = datetime.datetime(2026, 3, 15, 12) - datetime.timedelta(hours=number * 3)
        shared = number % 2 == 0
        rows.append({
            "author": personas.mentee_a.id,
            "entry_date": TODAY - datetime.timedelta(days=number % 120),
            "body": f"Entry {number}: a few lines about the day.",
            "mood": number % 5 + 1,
            "feelings": pack_feelings(FEELINGS[number % 4]),
            "feelings_other": "restless" if number % 7 == 0 else "",
            "shared_with": personas.mentor_a.id if shared else None,
            "shared_at": created if shared else None,
            "created": created,
            "updated": created,
            "idempotency_key": secrets.token_urlsafe(16),
        })
    with database.atomic():
        for offset in range(0, len(rows), 200):
            JournalEntry.insert_many(rows[offset:offset + 200]).execute()
    new = list(JournalEntry.select().where(JournalEntry.body.startswith("Entry ")).order_by(JournalEntry.id.desc())
               .limit(count))
    with database.atomic():
        for entry in new:
            if entry.shared_with_id and entry.id % 3 == 0:
                JournalReply.create(entry=entry, author=personas.mentor_a, body="Thank you for this.")
                JournalRead.create(entry=entry, reader=personas.mentor_a)


def queries_for(client, url):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count, response.text


def test_journal_pages_cost_the_same_number_of_queries_for_10_or_1000_entries(app, personas):
    JournalSettings.create(user=personas.mentee_a, mood_visible_to_mentor=True)
    urls = {
        "mentee_a": ["/journal", "/journal?feeling=calm&mood=3", "/journal/mood", "/journal/mood?days=90"],
        "mentor_a": ["/journal/shared", f"/journal/mentees/{personas.mentee_a.id}",
                     f"/journal/mentees/{personas.mentee_a.id}/mood?days=90"],
    }
    with time_machine.travel(NOW, tick=False):
        clients = {name: signed_in_client(app, personas.by_name(name)) for name in urls}
        add_entries(personas, 0, 10)
        few = {url: queries_for(clients[name], url)[0] for name in urls for url in urls[name]}
        add_entries(personas, 10, 990)
        assert JournalEntry.select().count() == 1000
        many = {}
        for name in urls:
            for url in urls[name]:
                many[url], page = queries_for(clients[name], url)
                if url == "/journal":
                    assert page.count('class="item entry-item"') == 20
                if url == "/journal/shared":
                    assert page.count('<li class="item') == 20
    assert all(count > 0 for count in few.values()), few
    # The mood page's streak is 10 days with the few entries and 120 with the many: a streak longer than
    # two weeks is read on with one more statement, and never more (tests/journal/test_mood.py).
    streak_pages = {"/journal/mood", "/journal/mood?days=90"}
    assert {url: count - (url in streak_pages) for url, count in many.items()} == few
