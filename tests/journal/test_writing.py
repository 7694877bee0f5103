"""Writing, editing and deleting entries."""
import datetime
import html
import re

from app.journal.models import JournalDraft, JournalEntry, JournalRead, JournalReply
from tests.journal.conftest import (
    audit_actions,
    checked_values,
    entry_form,
    make_entry,
    make_reply,
    textarea_text,
    today_for,
)

XSS = "<img src=x onerror=alert(1)>"
ESCAPED_XSS = "&lt;img src=x onerror=alert(1)&gt;"


def _entry_id_from(response):
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/journal/entries/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_a_mentee_writes_an_entry_with_text_mood_feelings_own_words_prompt_and_an_earlier_day(login_as, personas):
    client = login_as("mentee_a")
    day = today_for(personas.mentee_a) - datetime.timedelta(days=3)
    response = client.post("/journal/entries", data=entry_form(
        body="Walked to the meeting.\nStayed for coffee.", mood="4", feelings=["calm", "hopeful"],
        feelings_other="a bit shaky", prompt="What helped you today?", entry_date=day.isoformat(),
    ))
    entry = JournalEntry.get_by_id(_entry_id_from(response))
    assert entry.author_id == personas.mentee_a.id
    assert entry.body == "Walked to the meeting.\nStayed for coffee."
    assert entry.mood == 4
    assert entry.feeling_keys == ["calm", "hopeful"]
    assert entry.feelings_other == "a bit shaky"
    assert entry.prompt == "What helped you today?"
    assert entry.entry_date == day
    assert entry.shared_with_id is None
    assert [event.object_id for event in audit_actions("journal.entry_create")] == [entry.id]

    page = client.get(f"/journal/entries/{entry.id}").text
    assert "Mood 4 of 5: Good" in page
    assert "Calm, Hopeful, a bit shaky" in page
    assert "What helped you today?" in page
    assert day.strftime("%B") in page and str(day.day) in page


def test_a_new_entry_is_not_marked_as_edited(login_as, personas):
    client = login_as("mentee_a")
    entry_id = _entry_id_from(client.post("/journal/entries", data=entry_form(body="First words.")))
    page = client.get(f"/journal/entries/{entry_id}").text
    assert "Written " in page
    assert "· edited" not in page


def test_line_breaks_are_kept_and_shown_as_escaped_text(login_as, personas):
    client = login_as("mentee_a")
    body = f"line one\r\nline two\r\n\r\nline four {XSS}"
    entry_id = _entry_id_from(client.post("/journal/entries", data=entry_form(body=body, feelings=["calm"],
                                                                              feelings_other=XSS)))
    entry = JournalEntry.get_by_id(entry_id)
    assert entry.body == f"line one\nline two\n\nline four {XSS}"
    assert entry.feelings_other == XSS

    for url in (f"/journal/entries/{entry_id}", "/journal", "/journal/export/print"):
        page = client.get(url).text
        assert "<img src=x" not in page, url
        assert ESCAPED_XSS in page, url
    page = client.get(f"/journal/entries/{entry_id}").text
    assert f'<div class="entry__body prewrap">line one\nline two\n\nline four {ESCAPED_XSS}</div>' in page


def test_a_mentors_reply_with_markup_comes_back_escaped_everywhere(login_as, personas):
    entry = make_entry(personas.mentee_a, shared_with=personas.mentor_a)
    mentor = login_as("mentor_a")
    response = mentor.post(f"/journal/mentees/{personas.mentee_a.id}/entries/{entry.id}/replies", data={"body": XSS})
    assert response.status_code == 303
    assert JournalReply.get().body == XSS
    mentee = login_as("mentee_a")
    reply = JournalReply.get()
    for client, url in ((mentor, f"/journal/mentees/{personas.mentee_a.id}/entries/{entry.id}"),
                        (mentee, f"/journal/entries/{entry.id}"), (mentee, "/home"),
                        (mentee, f"/journal/entries/{entry.id}/replies/{reply.id}/delete")):
        page = client.get(url).text
        assert "<img src=x" not in page, url
        assert ESCAPED_XSS in page, url


def test_an_entry_of_20000_characters_is_accepted(login_as, personas):
    client = login_as("mentee_a")
    body = ("All of it matters. " * 1100)[:20000]
    entry_id = _entry_id_from(client.post("/journal/entries", data=entry_form(body=body)))
    assert JournalEntry.get_by_id(entry_id).body == body


def test_an_entry_of_20001_characters_is_refused_kindly_and_every_word_is_kept(login_as, personas):
    client = login_as("mentee_a")
    body = ("Every word counts. " * 1100)[:20000] + "!"
    assert len(body) == 20001
    response = client.post("/journal/entries", data=entry_form(body=body, mood="2"))
    assert response.status_code == 422
    assert "Entries can be up to 20000 characters. Your text is kept as a draft" in response.text
    assert textarea_text(response.text) == body
    assert checked_values(response.text, "mood") == ["2"]
    assert JournalEntry.select().count() == 0
    draft = JournalDraft.get((JournalDraft.author == personas.mentee_a) & (JournalDraft.slot == "new"))
    assert draft.body == body
    assert draft.mood == 2
    assert textarea_text(client.get("/journal/new").text) == body


def test_a_future_date_is_refused(login_as, personas):
    client = login_as("mentee_a")
    tomorrow = today_for(personas.mentee_a) + datetime.timedelta(days=1)
    response = client.post("/journal/entries", data=entry_form(body="Not yet.", entry_date=tomorrow.isoformat()))
    assert response.status_code == 422
    assert "The date can't be in the future." in html.unescape(response.text)
    assert JournalEntry.select().count() == 0
    assert textarea_text(response.text) == "Not yet."


def test_an_entry_with_neither_text_nor_mood_is_refused(login_as, personas):
    client = login_as("mentee_a")
    response = client.post("/journal/entries", data=entry_form(body="   \r\n ", mood=None))
    assert response.status_code == 422
    assert "Write something or choose a mood before saving." in response.text
    assert JournalEntry.select().count() == 0


def test_a_mood_alone_is_enough_for_an_entry(login_as, personas):
    client = login_as("mentee_a")
    entry_id = _entry_id_from(client.post("/journal/entries", data=entry_form(body="", mood="3")))
    entry = JournalEntry.get_by_id(entry_id)
    assert (entry.body, entry.mood) == ("", 3)


def test_several_entries_on_the_same_day_are_fine(login_as, personas):
    client = login_as("mentee_a")
    for text in ("Morning: nervous.", "Noon: better.", "Night: calm."):
        _entry_id_from(client.post("/journal/entries", data=entry_form(body=text)))
    entries = list(JournalEntry.select().order_by(JournalEntry.id))
    assert [entry.body for entry in entries] == ["Morning: nervous.", "Noon: better.", "Night: calm."]
    assert len({entry.entry_date for entry in entries}) == 1
    page = client.get("/journal").text
    assert all(text in page for text in ("Morning: nervous.", "Noon: better.", "Night: calm."))


def test_a_mentee_edits_their_own_entry(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Before the edit.", mood=2, feelings=["sad"], prompt="Old prompt")
    client = login_as("mentee_a")
    page = client.get(f"/journal/entries/{entry.id}/edit").text
    assert textarea_text(page) == "Before the edit."
    earlier = today_for(personas.mentee_a) - datetime.timedelta(days=5)
    response = client.post(f"/journal/entries/{entry.id}/edit", data=entry_form(
        body="After the edit.\nWith a second line.", mood="4", feelings=["proud"], entry_date=earlier.isoformat(),
        idempotency_key=entry.idempotency_key, slot=f"entry-{entry.id}",
    ))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journal/entries/{entry.id}"
    entry = JournalEntry.get_by_id(entry.id)
    assert entry.body == "After the edit.\nWith a second line."
    assert (entry.mood, entry.feeling_keys, entry.entry_date) == (4, ["proud"], earlier)
    assert entry.prompt == "Old prompt"
    assert JournalEntry.select().count() == 1
    assert [event.object_id for event in audit_actions("journal.entry_update")] == [entry.id]
    assert "· edited" in client.get(f"/journal/entries/{entry.id}").text


def test_an_edit_that_fails_checks_keeps_the_text(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Original.")
    client = login_as("mentee_a")
    too_long = "x" * 20001
    response = client.post(f"/journal/entries/{entry.id}/edit", data=entry_form(
        body=too_long, idempotency_key=entry.idempotency_key, slot=f"entry-{entry.id}"))
    assert response.status_code == 422
    assert textarea_text(response.text) == too_long
    assert JournalEntry.get_by_id(entry.id).body == "Original."
    assert JournalDraft.get(JournalDraft.slot == f"entry-{entry.id}").body == too_long


def test_deleting_an_entry_asks_first(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Keep me for now.")
    client = login_as("mentee_a")
    response = client.get(f"/journal/entries/{entry.id}/delete")
    assert response.status_code == 200
    assert "Delete this entry?" in response.text
    assert 'method="post"' in response.text
    assert JournalEntry.get_or_none(JournalEntry.id == entry.id) is not None


def test_deleting_an_entry_really_deletes_it_with_its_replies_and_read_markers(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Delete me.", shared_with=personas.mentor_a)
    other = make_entry(personas.mentee_a, body="Stay.")
    make_reply(entry, personas.mentor_a)
    JournalRead.create(entry=entry, reader=personas.mentor_a)
    client = login_as("mentee_a")
    response = client.post(f"/journal/entries/{entry.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == "/journal"
    assert [e.id for e in JournalEntry.select()] == [other.id]
    assert JournalReply.select().count() == 0
    assert JournalRead.select().count() == 0
    assert [event.object_id for event in audit_actions("journal.entry_delete")] == [entry.id]
    assert client.get(f"/journal/entries/{entry.id}").status_code == 404
    mentor = login_as("mentor_a")
    assert mentor.get(f"/journal/mentees/{personas.mentee_a.id}/entries/{entry.id}").status_code == 404


def test_posting_an_author_field_cannot_write_into_someone_elses_journal(login_as, personas):
    client = login_as("mentee_b")
    data = entry_form(body="Mine.")
    data.update(author=str(personas.mentee_a.id), author_id=str(personas.mentee_a.id),
                shared_with=str(personas.mentor_a.id))
    _entry_id_from(client.post("/journal/entries", data=data))
    entry = JournalEntry.get()
    assert entry.author_id == personas.mentee_b.id
    assert entry.shared_with_id is None


def test_the_mood_badge_and_feelings_read_the_same_on_every_page_that_shows_an_entry(login_as, personas):
    entry = make_entry(personas.mentee_a, mood=2, feelings=("calm", "tired"), feelings_other="<b>wired</b>",
                       shared_with=personas.mentor_a)
    mood_only = make_entry(personas.mentee_a, mood=5, days_ago=1)
    words_only = make_entry(personas.mentee_a, mood=None, feelings_other="just words", days_ago=2)
    mentee, mentor = login_as("mentee_a"), login_as("mentor_a")
    pages = {
        "list": mentee.get("/journal").text,
        "entry": mentee.get(f"/journal/entries/{entry.id}").text,
        "shared list": mentor.get("/journal/shared").text,
        "mentor entry": mentor.get(f"/journal/mentees/{personas.mentee_a.id}/entries/{entry.id}").text,
    }
    for name, page in pages.items():
        assert "Mood 2 of 5: Low" in page, name
        if name != "shared list":  # the mentor's list shows the mood, not the feelings
            assert "Calm, Tired, &lt;b&gt;wired&lt;/b&gt;" in page and "<b>wired" not in page, name
    assert "Mood 5 of 5: Very good" in pages["list"] and "just words" in pages["list"]
    single = mentee.get(f"/journal/entries/{mood_only.id}").text
    assert "Mood 5 of 5: Very good" in single and "Feelings:" not in single
    words = mentee.get(f"/journal/entries/{words_only.id}").text
    assert "Feelings: just words" in words and "mood-badge" not in words
