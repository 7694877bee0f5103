"""Mood over time: a server-rendered SVG chart with a text alternative, streaks, "on this day", the mentor's view."""
import datetime
import re

import pytest
import time_machine

from app.journal.models import JournalSettings
from app.journal.mood import streak, summarise
from tests.conftest import make_user
from tests.journal.conftest import audit_actions, make_entry

# Noon in New York (the personas' time zone) on Sunday 15 March 2026.
NOW = datetime.datetime(2026, 3, 15, 16, 0, tzinfo=datetime.timezone.utc)
TODAY = datetime.date(2026, 3, 15)


def day(days_ago):
    return TODAY - datetime.timedelta(days=days_ago)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def moods(personas, clock):
    """Six days with a mood in the last 30 days (rising), one hard day 60 days ago, one entry without a mood."""
    for days_ago, mood in ((20, 2), (15, 2), (10, 4), (8, 1), (8, 3), (5, 4), (1, 5), (60, 1)):
        make_entry(personas.mentee_a, body=f"Entry from {days_ago} days ago.", mood=mood, entry_date=day(days_ago),
                   feelings=["calm"])
    make_entry(personas.mentee_a, body="No mood today.", mood=None, entry_date=day(0))
    make_entry(personas.mentee_b, body="Bea's low day.", mood=1, entry_date=day(3))


def test_the_mood_page_draws_an_svg_chart_with_a_text_alternative_for_30_days(login_as, moods):
    response = login_as("mentee_a").get("/journal/mood")
    assert response.status_code == 200
    page = response.text
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg
    assert "Mood over the last 30 days" in svg
    assert svg.count("<circle") == 6
    assert len(re.search(r'<polyline points="([^"]+)"', svg).group(1).split()) == 6
    assert "Average mood: 3.2 out of 5." in page
    assert "Your mood has been rising." in page
    assert "Best day: Mar 14, 2026 (5.0)." in page
    assert "Hardest day: Mar 7, 2026 (2.0)." in page
    table = page[page.index("<table"):page.index("</table>")]
    assert table.count("<tr>") == 7  # a header row and one row per day with a mood
    assert "<td>Mar 7, 2026</td><td>2.0</td>" in table
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "the chart needs no script in the page"


def test_the_90_day_chart_reaches_further_back(login_as, moods):
    page = login_as("mentee_a").get("/journal/mood?days=90").text
    assert "Mood over the last 90 days" in page
    assert page[page.index("<svg"):page.index("</svg>")].count("<circle") == 7
    assert "Hardest day: Jan 14, 2026 (1.0)." in page
    assert "Average mood: 2.9 out of 5." in page


def test_without_moods_the_page_says_so_instead_of_drawing(login_as, personas, clock):
    make_entry(personas.mentee_a, mood=None, entry_date=day(2))
    page = login_as("mentee_a").get("/journal/mood").text
    assert "<svg" not in page
    assert "No moods recorded in the last 30 days yet." in page


def test_a_falling_trend_is_described_gently(login_as, personas, clock):
    for days_ago, mood in ((12, 5), (10, 5), (4, 2), (2, 1)):
        make_entry(personas.mentee_a, mood=mood, entry_date=day(days_ago))
    page = login_as("mentee_a").get("/journal/mood").text
    assert "Your mood has been lower lately. Be gentle with yourself." in page


def test_summarise_reports_the_points_average_trend_best_and_hardest_day(personas):
    for days_ago, mood in ((6, 3), (5, 3), (4, 3), (3, 3)):
        make_entry(personas.mentee_a, mood=mood, entry_date=day(days_ago))
    summary = summarise(personas.mentee_a, TODAY, 30)
    assert summary.points == [(day(6), 3.0), (day(5), 3.0), (day(4), 3.0), (day(3), 3.0)]
    assert summary.average == 3.0
    assert summary.trend == "steady"
    assert summary.best_day == (day(3), 3.0)  # ties: the most recent
    assert summary.hardest_day == (day(3), 3.0)


STREAKS = [  # (days ago with an entry, expected streak)
    ([], 0),
    ([0], 1),
    ([0, 1, 2], 3),
    ([1, 2, 3, 4], 4),        # ending yesterday: still alive until bedtime
    ([0, 2, 3], 1),           # a gap breaks it
    ([2, 3, 4], 0),           # nothing today or yesterday
    ([0, 0, 1, 1, 1], 2),     # several entries a day count once
    ([-1, 0], 1),             # a future date does not count
    ([0, 1, 3, 4, 5, 6], 2),
    (list(range(14)), 14),    # the first read of dates, exactly
    (list(range(1, 16)), 15),
    (list(range(14)) + list(range(15, 20)), 14),  # a gap right after the first read
    (list(range(40)), 40),    # longer than the first read
    (list(range(1, 70)), 69),
]


def test_a_streak_is_read_in_one_statement_or_two_however_long(personas, query_counter):
    short, long = (make_user(f"{name}@example.org", name.title(), "mentee") for name in ("short", "long"))
    for days_ago in range(5):
        make_entry(short, entry_date=day(days_ago))
    for days_ago in range(60):
        make_entry(long, entry_date=day(days_ago))
    for mentee, expected, statements in ((short, 5, 1), (long, 60, 2)):
        with query_counter() as counted:
            assert streak(mentee, TODAY) == expected
        assert counted.count == statements


def test_streak_counts_days_in_a_row_with_an_entry(personas):
    make_entry(personas.mentee_b, entry_date=day(2))  # someone else's day fills no gap
    for number, (dates, expected) in enumerate(STREAKS):
        mentee = make_user(f"streak{number}@example.org", f"Streak {number}", "mentee")
        for days_ago in dates:
            make_entry(mentee, entry_date=day(days_ago))
        assert streak(mentee, TODAY) == expected, dates


def test_the_mood_page_shows_the_streak(login_as, personas, clock):
    for days_ago in (0, 1, 2):
        make_entry(personas.mentee_a, entry_date=day(days_ago))
    client = login_as("mentee_a")
    assert "3 days in a row with an entry." in client.get("/journal/mood").text
    assert "3 days in a row with an entry." in client.get("/home").text


def test_on_this_day_shows_entries_from_the_same_day_in_earlier_months_and_years(login_as, personas, clock):
    month_ago = make_entry(personas.mentee_a, body="A month ago today.", entry_date=datetime.date(2026, 2, 15))
    year_ago = make_entry(personas.mentee_a, body="A year ago today.", entry_date=datetime.date(2025, 3, 15))
    make_entry(personas.mentee_a, body="Ten days ago.", entry_date=day(10))
    make_entry(personas.mentee_a, body="Four years ago today.", entry_date=datetime.date(2022, 3, 15))
    make_entry(personas.mentee_b, body="Bea a month ago.", entry_date=datetime.date(2026, 2, 15))
    page = login_as("mentee_a").get("/journal/mood").text
    memories = page[page.index('id="memories-heading"'):]
    assert f'href="/journal/entries/{month_ago.id}"' in memories
    assert f'href="/journal/entries/{year_ago.id}"' in memories
    assert "A month ago today." in memories and "A year ago today." in memories
    assert "Ten days ago." not in memories
    assert "Four years ago today." not in memories
    assert "Bea a month ago." not in memories


def test_the_mentor_sees_the_mood_chart_only_if_the_mentee_allows_it(login_as, personas, moods):
    mentor = login_as("mentor_a")
    url = f"/journal/mentees/{personas.mentee_a.id}/mood"
    assert mentor.get(url).status_code == 404
    assert "Mood chart of Ada Mentee" not in mentor.get(f"/journal/mentees/{personas.mentee_a.id}").text

    response = login_as("mentee_a").post("/journal/settings", data={"mood_visible_to_mentor": "y"})
    assert response.status_code == 303
    assert JournalSettings.get(JournalSettings.user == personas.mentee_a).mood_visible_to_mentor is True

    response = mentor.get(url)
    assert response.status_code == 200
    assert "Average mood: 3.2 out of 5." in response.text
    assert "Mood has been rising." in response.text
    assert "<svg" in response.text
    for private in ("Entry from", "days ago.", "Calm", "No mood today."):
        assert private not in response.text
    assert "90 days" in response.text and "Mood over the last 90 days" in mentor.get(url + "?days=90").text
    assert f'href="{url}"' in mentor.get(f"/journal/mentees/{personas.mentee_a.id}").text
    events = audit_actions("journal.mood_read")
    assert [(e.actor_id, e.subject_id) for e in events] == [(personas.mentor_a.id, personas.mentee_a.id)] * 2

    assert login_as("mentor_b").get(url).status_code == 404
    assert login_as("coordinator").get(url).status_code == 404

    login_as("mentee_a").post("/journal/settings", data={})
    assert mentor.get(url).status_code == 404
