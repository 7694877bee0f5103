"""A mentee downloads their whole journal: JSON, CSV of moods and a printable page. Every export is audited."""
import csv
import datetime
import io
import json

import pytest

from tests.journal.conftest import audit_actions, make_entry, make_reply


@pytest.fixture
def journal(personas):
    older = make_entry(personas.mentee_a, body="The older entry.\nTwo lines.", mood=2, feelings=["tired", "calm"],
                       feelings_other="wobbly", prompt="What helped you today?",
                       entry_date=datetime.date(2026, 1, 5), shared_with=personas.mentor_a)
    newer = make_entry(personas.mentee_a, body="The newer entry.", mood=None, entry_date=datetime.date(2026, 2, 9))
    make_reply(older, personas.mentor_a, body="Glad you wrote this down.")
    make_entry(personas.mentee_b, body="Bea's entry, not Ada's.", entry_date=datetime.date(2026, 1, 6))
    return older, newer


def test_the_json_export_holds_every_entry_with_its_replies(login_as, personas, journal):
    response = login_as("mentee_a").get("/journal/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="journal.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.text)
    assert data["person"] == {"name": "Ada Mentee", "email": "mentee.a@example.org"}
    older, newer = data["entries"]
    assert older["date"] == "2026-01-05"
    assert older["text"] == "The older entry.\nTwo lines."
    assert (older["mood"], older["mood_label"]) == (2, "Low")
    assert older["feelings"] == ["Tired", "Calm"]
    assert older["feelings_own_words"] == "wobbly"
    assert older["prompt"] == "What helped you today?"
    assert older["shared_with_mentor"] is True
    assert [reply["text"] for reply in older["replies"]] == ["Glad you wrote this down."]
    assert (newer["date"], newer["text"], newer["mood"], newer["replies"]) == ("2026-02-09", "The newer entry.", None, [])
    assert "Bea" not in response.text
    [event] = audit_actions("journal.export")
    assert (event.actor_id, event.subject_id, event.detail) == (personas.mentee_a.id, personas.mentee_a.id, "json")


def test_the_csv_export_has_date_mood_and_feelings_only(login_as, personas, journal):
    response = login_as("mentee_a").get("/journal/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="journal-moods.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["date", "mood", "feelings"]
    assert rows[1][:2] == ["2026-01-05", "2"]
    assert set(rows[1][2].split("; ")) == {"Tired", "Calm", "wobbly"}
    assert rows[2] == ["2026-02-09", "", ""]
    assert len(rows) == 3
    assert "older entry" not in response.text
    assert [event.detail for event in audit_actions("journal.export")] == ["csv"]


def test_formula_like_cells_in_the_csv_are_neutralised(login_as, personas):
    formulas = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"]
    for number, own_words in enumerate(formulas, start=1):
        make_entry(personas.mentee_a, feelings_other=own_words, entry_date=datetime.date(2026, 1, number))
    response = login_as("mentee_a").get("/journal/export.csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert [row[2] for row in rows[1:]] == ["'" + own_words for own_words in formulas]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_the_print_page_shows_every_entry_and_reply_readably(login_as, personas, journal):
    response = login_as("mentee_a").get("/journal/export/print")
    assert response.status_code == 200
    page = response.text
    assert "Journal of Ada Mentee" in page
    assert "The older entry.\nTwo lines." in page
    assert "The newer entry." in page
    assert "Glad you wrote this down." in page
    assert "Mood 2 of 5: Low" in page
    assert page.index("The older entry.") < page.index("The newer entry.")
    assert "Bea" not in page
    assert [event.detail for event in audit_actions("journal.export")] == ["print"]


def test_the_export_page_links_to_all_three_exports(login_as, personas):
    page = login_as("mentee_a").get("/journal/export").text
    for url in ("/journal/export.json", "/journal/export.csv", "/journal/export/print"):
        assert f'href="{url}"' in page
    assert audit_actions("journal.export") == []  # looking at the choices is not an export


def test_nobody_else_can_export_a_journal(login_as, personas, journal):
    for persona in ("mentor_a", "mentor_b", "coordinator"):
        client = login_as(persona)
        for url in ("/journal/export", "/journal/export.json", "/journal/export.csv", "/journal/export/print"):
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
            assert "older entry" not in response.text
    assert audit_actions("journal.export") == []


def test_another_mentee_exports_only_their_own_entries(login_as, personas, journal):
    client = login_as("mentee_b")
    for url in ("/journal/export.json", "/journal/export.csv", "/journal/export/print"):
        response = client.get(url)
        assert response.status_code == 200
        assert "older entry" not in response.text and "newer entry" not in response.text
    assert "Bea&#39;s entry, not Ada&#39;s." in client.get("/journal/export/print").text
    assert {event.subject_id for event in audit_actions("journal.export")} == {personas.mentee_b.id}
