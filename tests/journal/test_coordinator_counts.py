"""Coordinators never see journal text: the match page shows entries per week, nothing more."""
import datetime
import re

from app.journal.stats import weekly_entry_counts
from tests.journal.conftest import make_entry, today_for


def test_the_match_page_shows_weekly_entry_counts_and_no_journal_text(login_as, personas):
    today = today_for(personas.mentee_a)
    this_monday = today - datetime.timedelta(days=today.weekday())
    for body in ("Monday words one.", "Monday words two.", "Monday words three."):
        make_entry(personas.mentee_a, body=body, entry_date=this_monday, feelings_other="own feeling words",
                   shared_with=personas.mentor_a)
    make_entry(personas.mentee_a, body="Last week words.", entry_date=this_monday - datetime.timedelta(days=3))
    make_entry(personas.mentee_b, body="Bea's words.", entry_date=this_monday)

    page = login_as("coordinator").get(f"/matches/{personas.match_a.id}").text
    assert "Journal entries per week" in page
    table = page[page.index('id="journal-heading"'):]
    table = table[:table.index("</table>")]
    counts = [int(n) for n in re.findall(r"<tr><td>[^<]+</td><td>(\d+)</td></tr>", table)]
    assert len(counts) == 8
    assert counts[-1] == 3
    assert counts[-2] == 1
    assert sum(counts) == 4
    for text in ("Monday words", "Last week words", "own feeling words", "Bea&#39;s words", "Mood 3 of 5"):
        assert text not in page


def test_weekly_counts_cover_eight_weeks_oldest_first_and_count_only_that_mentee(personas):
    today = datetime.date(2026, 3, 18)  # a Wednesday
    make_entry(personas.mentee_a, entry_date=datetime.date(2026, 3, 16))
    make_entry(personas.mentee_a, entry_date=datetime.date(2026, 3, 15))  # Sunday: the week before
    make_entry(personas.mentee_a, entry_date=datetime.date(2026, 1, 26))  # Monday of the oldest week shown
    make_entry(personas.mentee_a, entry_date=datetime.date(2026, 1, 25))  # too old
    make_entry(personas.mentee_b, entry_date=datetime.date(2026, 3, 16))
    weeks = weekly_entry_counts(personas.mentee_a.id, today=today)
    assert len(weeks) == 8
    assert weeks[0] == (datetime.date(2026, 1, 26), 1)
    assert weeks[-1] == (datetime.date(2026, 3, 16), 1)
    assert weeks[-2] == (datetime.date(2026, 3, 9), 1)
    assert sum(count for _, count in weeks) == 3
    assert all(monday.weekday() == 0 for monday, _ in weeks)
