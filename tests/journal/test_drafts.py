"""Autosaved drafts: revisions, conflicts between tabs, restoring, the no-JavaScript button, edit slots."""
from app.journal.models import JournalDraft, JournalEntry
from tests.journal.conftest import checked_values, entry_form, input_value, make_entry, textarea_text

FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


def autosave(client, body, revision, slot="new", **fields):
    data = {"body": body, "revision": str(revision), "slot": slot, "idempotency_key": "draft-key-1"}
    data.update(fields)
    return client.post("/journal/draft", data=data, headers=FETCH)


def draft_of(user, slot="new"):
    return JournalDraft.get_or_none((JournalDraft.author == user) & (JournalDraft.slot == slot))


def test_autosave_stores_the_draft_and_answers_with_the_new_revision(login_as, personas):
    client = login_as("mentee_a")
    first = autosave(client, "The first few words", 0, mood="2", feelings=["tired"])
    assert first.status_code == 200
    assert first.json["status"] == "saved"
    assert first.json["revision"] == 1
    second = autosave(client, "The first few words, and more", first.json["revision"], mood="2")
    assert second.status_code == 200
    assert second.json["revision"] == 2
    draft = draft_of(personas.mentee_a)
    assert (draft.body, draft.mood, draft.revision) == ("The first few words, and more", 2, 2)
    assert JournalEntry.select().count() == 0


def test_a_stale_revision_gets_409_changes_nothing_and_offers_both_texts(login_as, personas):
    phone = login_as("mentee_a")
    laptop = login_as("mentee_a")
    assert autosave(phone, "Written on the phone", 0).json["revision"] == 1
    assert autosave(phone, "Written on the phone, then more", 1).json["revision"] == 2

    stale = autosave(laptop, "Typed on the laptop", 1)
    assert stale.status_code == 409
    assert stale.json["status"] == "conflict"
    assert stale.json["revision"] == 2
    assert stale.json["body"] == "Written on the phone, then more"
    assert stale.json["mine"] == "Typed on the laptop"
    assert "changed in another tab" in stale.json["message"]
    draft = draft_of(personas.mentee_a)
    assert (draft.body, draft.revision) == ("Written on the phone, then more", 2)

    # Choosing a version saves it on top of the revision the conflict reported.
    resolved = autosave(laptop, "Typed on the laptop", stale.json["revision"])
    assert resolved.status_code == 200
    assert draft_of(personas.mentee_a).body == "Typed on the laptop"


def test_a_revision_for_a_draft_that_no_longer_exists_is_a_conflict(login_as, personas):
    client = login_as("mentee_a")
    response = autosave(client, "From a tab opened before the entry was saved", 3)
    assert response.status_code == 409
    assert response.json["body"] == ""
    assert draft_of(personas.mentee_a) is None


def test_coming_back_to_the_write_page_restores_the_draft(login_as, personas):
    client = login_as("mentee_a")
    autosave(client, "Half a thought\nand a second line", 0, mood="3", feelings=["calm", "lonely"],
             feelings_other="restless", idempotency_key="restore-key")
    page = client.get("/journal/new").text
    assert textarea_text(page) == "Half a thought\nand a second line"
    assert checked_values(page, "mood") == ["3"]
    assert checked_values(page, "feelings") == ["calm", "lonely"]
    assert input_value(page, "feelings_other") == "restless"
    assert input_value(page, "revision") == "1"
    assert input_value(page, "idempotency_key") == "restore-key"
    assert "Draft restored from" in page
    assert "You have an unfinished entry." in client.get("/journal").text
    assert "You have an unfinished entry." in client.get("/home").text


def test_the_write_page_without_a_draft_is_empty(login_as, personas):
    page = login_as("mentee_a").get("/journal/new").text
    assert textarea_text(page) == ""
    assert input_value(page, "revision") == "0"
    assert "Draft restored from" not in page


def test_the_save_draft_button_without_javascript_saves_and_comes_back(login_as, personas):
    client = login_as("mentee_a")
    response = client.post("/journal/entries", data=entry_form(body="Saved with the button.", action="draft"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/journal/new"
    assert JournalEntry.select().count() == 0
    assert draft_of(personas.mentee_a).body == "Saved with the button."
    page = client.get("/journal/new").text
    assert "Draft saved." in page
    assert textarea_text(page) == "Saved with the button."


def test_saving_the_entry_clears_the_draft(login_as, personas):
    client = login_as("mentee_a")
    autosave(client, "Nearly done", 0, idempotency_key="final-key")
    response = client.post("/journal/entries", data=entry_form(body="Nearly done. Done.", idempotency_key="final-key"))
    assert response.status_code == 303
    assert draft_of(personas.mentee_a) is None
    assert textarea_text(client.get("/journal/new").text) == ""


def test_an_edit_has_its_own_draft_slot(login_as, personas):
    entry = make_entry(personas.mentee_a, body="The saved version.")
    client = login_as("mentee_a")
    autosave(client, "A new entry in progress", 0)
    slot = f"entry-{entry.id}"
    response = autosave(client, "The saved version, being edited", 0, slot=slot)
    assert response.status_code == 200
    assert draft_of(personas.mentee_a).body == "A new entry in progress"
    assert draft_of(personas.mentee_a, slot).body == "The saved version, being edited"
    assert JournalEntry.get_by_id(entry.id).body == "The saved version."

    assert textarea_text(client.get(f"/journal/entries/{entry.id}/edit").text) == "The saved version, being edited"
    assert textarea_text(client.get("/journal/new").text) == "A new entry in progress"

    response = client.post(f"/journal/entries/{entry.id}/edit", data=entry_form(
        body="The saved version, edited.", idempotency_key=entry.idempotency_key, slot=slot))
    assert response.status_code == 303
    assert draft_of(personas.mentee_a, slot) is None
    assert draft_of(personas.mentee_a).body == "A new entry in progress"


def test_the_save_draft_button_on_an_edit_keeps_the_entry_unchanged(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Saved.")
    client = login_as("mentee_a")
    response = client.post(f"/journal/entries/{entry.id}/edit", data=entry_form(
        body="Saved, with second thoughts.", action="draft", slot=f"entry-{entry.id}"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journal/entries/{entry.id}/edit"
    assert JournalEntry.get_by_id(entry.id).body == "Saved."
    assert draft_of(personas.mentee_a, f"entry-{entry.id}").body == "Saved, with second thoughts."


def test_a_draft_slot_for_someone_elses_entry_is_not_found(login_as, personas):
    theirs = make_entry(personas.mentee_b, body="Bea's entry.")
    client = login_as("mentee_a")
    for slot in (f"entry-{theirs.id}", "entry-999999", "entry-x", "anything"):
        response = autosave(client, "Trying to write there", 0, slot=slot)
        assert response.status_code == 404, slot
    assert JournalDraft.select().count() == 0
    assert JournalEntry.get_by_id(theirs.id).body == "Bea's entry."


def test_drafts_are_never_refused_even_when_too_long_for_an_entry(login_as, personas):
    client = login_as("mentee_a")
    body = "word " * 5000  # 25,000 characters: more than an entry may hold
    response = autosave(client, body, 0)
    assert response.status_code == 200
    assert draft_of(personas.mentee_a).body == body
