"""Writing prompts: coordinators edit the rotating set; mentees get one, ask for another, or skip."""
import pytest

from app.journal.models import JournalDraft, JournalEntry, JournalPrompt
from tests.journal.conftest import audit_actions, entry_form, input_value

HX = {"HX-Request": "true"}


@pytest.fixture
def prompts(personas):
    """A known set: the migration's starting prompts are replaced (PostgreSQL tests start with none)."""
    JournalPrompt.delete().execute()
    return {
        "helped": JournalPrompt.create(text="What helped you today?"),
        "grateful": JournalPrompt.create(text="What are you grateful for?"),
        "retired": JournalPrompt.create(text="A prompt nobody is offered any more", active=False),
    }


def test_the_coordinator_adds_a_prompt(login_as, personas, prompts):
    client = login_as("coordinator")
    page = client.get("/journal/prompts").text
    assert "What helped you today?" in page and "Not offered" in page
    response = client.post("/journal/prompts", data={"text": "  Who made you smile this week?  "})
    assert response.status_code == 303
    assert response.headers["Location"] == "/journal/prompts"
    prompt = JournalPrompt.get(JournalPrompt.text == "Who made you smile this week?")
    assert prompt.active is True
    assert [event.object_id for event in audit_actions("journal.prompt_create")] == [prompt.id]
    assert "Who made you smile this week?" in client.get("/journal/prompts").text


def test_an_empty_prompt_is_refused(login_as, personas, prompts):
    response = login_as("coordinator").post("/journal/prompts", data={"text": "   "})
    assert response.status_code == 422
    assert "Write the prompt." in response.text
    assert JournalPrompt.select().count() == 3


def test_the_coordinator_edits_and_deactivates_a_prompt(login_as, personas, prompts):
    client = login_as("coordinator")
    url = f"/journal/prompts/{prompts['helped'].id}"
    page = client.get(url).text
    assert input_value(page, "text") == "What helped you today?"
    response = client.post(url, data={"text": "What helped you most today?"})  # "active" left unticked
    assert response.status_code == 303
    prompt = JournalPrompt.get_by_id(prompts["helped"].id)
    assert (prompt.text, prompt.active) == ("What helped you most today?", False)
    assert [event.object_id for event in audit_actions("journal.prompt_update")] == [prompt.id]

    client.post(url, data={"text": "What helped you most today?", "active": "y"})
    assert JournalPrompt.get_by_id(prompts["helped"].id).active is True


def test_deleting_a_prompt_asks_first_and_entries_keep_their_prompt(login_as, personas, prompts):
    entry = JournalEntry.create(author=personas.mentee_a, entry_date="2026-01-05", body="Answered it.",
                                prompt="What are you grateful for?", idempotency_key="k1")
    client = login_as("coordinator")
    url = f"/journal/prompts/{prompts['grateful'].id}/delete"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete this prompt?" in confirm.text
    assert JournalPrompt.get_or_none(JournalPrompt.id == prompts["grateful"].id) is not None
    response = client.post(url)
    assert response.status_code == 303
    assert JournalPrompt.get_or_none(JournalPrompt.id == prompts["grateful"].id) is None
    assert [event.object_id for event in audit_actions("journal.prompt_delete")] == [prompts["grateful"].id]
    assert JournalEntry.get_by_id(entry.id).prompt == "What are you grateful for?"


def test_mentees_and_mentors_cannot_edit_prompts(login_as, personas, prompts):
    for persona in ("mentee_a", "mentor_a"):
        client = login_as(persona)
        assert client.post("/journal/prompts", data={"text": "Sneaky prompt"}).status_code == 404
        assert client.post(f"/journal/prompts/{prompts['helped'].id}", data={"text": "Changed"}).status_code == 404
        assert client.post(f"/journal/prompts/{prompts['helped'].id}/delete").status_code == 404
    assert sorted(p.text for p in JournalPrompt.select()) == sorted(p.text for p in prompts.values())


def test_the_write_page_offers_an_active_prompt(login_as, personas, prompts):
    JournalPrompt.update(active=False).where(JournalPrompt.id == prompts["grateful"].id).execute()
    client = login_as("mentee_a")
    for _ in range(3):
        page = client.get("/journal/new").text
        assert "What helped you today?" in page
        assert "A prompt nobody is offered any more" not in page
        assert "What are you grateful for?" not in page
        assert input_value(page, "prompt") == "What helped you today?"


def test_without_prompts_the_mentee_writes_freely(login_as, personas):
    JournalPrompt.delete().execute()
    page = login_as("mentee_a").get("/journal/new").text
    assert "Write about anything you like." in page


def test_another_prompt_is_a_different_active_one(login_as, personas, prompts):
    client = login_as("mentee_a")
    for current, expected in (("What helped you today?", "What are you grateful for?"),
                              ("What are you grateful for?", "What helped you today?")):
        response = client.get("/journal/prompt", query_string={"current": current}, headers=HX)
        assert response.status_code == 200
        assert "<html" not in response.text
        assert 'id="journal-prompt"' in response.text
        assert expected in response.text
        assert current not in response.text.replace(f"current={current}", "")


def test_skipping_the_prompt_leaves_a_blank_page(login_as, personas, prompts):
    response = login_as("mentee_a").get("/journal/prompt", query_string={"current": "What helped you today?",
                                                                          "skip": "1"}, headers=HX)
    assert response.status_code == 200
    assert "Write about anything you like." in response.text
    assert input_value(response.text, "prompt") == ""


def test_without_javascript_skip_and_shuffle_keep_the_text_as_a_draft(login_as, personas, prompts):
    client = login_as("mentee_a")
    skipped = client.post("/journal/entries", data=entry_form(body="Half written.", prompt="What helped you today?",
                                                              action="skip_prompt"))
    assert skipped.status_code == 303
    assert skipped.headers["Location"] == "/journal/new?prompt=none"
    draft = JournalDraft.get()
    assert (draft.body, draft.prompt) == ("Half written.", "")
    page = client.get(skipped.headers["Location"]).text
    assert "Write about anything you like." in page
    assert "Half written." in page

    shuffled = client.post("/journal/entries", data=entry_form(body="Half written.", action="shuffle"))
    assert shuffled.status_code == 303
    assert JournalDraft.get().prompt in ("What helped you today?", "What are you grateful for?")
    assert JournalEntry.select().count() == 0


def test_the_prompt_answered_is_kept_with_the_entry(login_as, personas, prompts):
    client = login_as("mentee_a")
    client.post("/journal/entries", data=entry_form(body="My answer.", prompt="What helped you today?"))
    assert JournalEntry.get().prompt == "What helped you today?"
