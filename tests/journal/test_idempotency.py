"""A double tap or a retried post makes exactly one entry, and never loses text."""
import threading

from app.journal.forms import EntryForm
from app.journal.models import JournalEntry
from tests.journal.conftest import audit_actions, entry_form

SESSION_COOKIE = "tandem_session"


def twin_browser(app, client):
    """A second client with the same session cookie: the same browser sending twice."""
    twin = app.test_client()
    twin.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value)
    return twin


def test_posting_the_same_entry_twice_makes_one_entry(login_as, personas):
    client = login_as("mentee_a")
    form = entry_form(body="Said it once.", idempotency_key="tap-tap-1")
    first = client.post("/journal/entries", data=form)
    second = client.post("/journal/entries", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert [entry.body for entry in JournalEntry.select()] == ["Said it once."]
    assert len(audit_actions("journal.entry_create")) == 1


def test_the_same_key_with_different_text_makes_a_second_entry_instead_of_losing_text(login_as, personas):
    client = login_as("mentee_a")
    first = client.post("/journal/entries", data=entry_form(body="The first text.", idempotency_key="reused"))
    second = client.post("/journal/entries", data=entry_form(body="A different text.", idempotency_key="reused"))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] != second.headers["Location"]
    bodies = sorted(entry.body for entry in JournalEntry.select())
    assert bodies == ["A different text.", "The first text."]


def test_keys_belong_to_one_person_so_the_same_key_from_two_mentees_makes_two_entries(login_as, personas):
    login_as("mentee_a").post("/journal/entries", data=entry_form(body="Same words.", idempotency_key="shared-key"))
    login_as("mentee_b").post("/journal/entries", data=entry_form(body="Same words.", idempotency_key="shared-key"))
    assert sorted(entry.author_id for entry in JournalEntry.select()) == sorted(
        [personas.mentee_a.id, personas.mentee_b.id])


def _post_at_once(app, client, forms, monkeypatch):
    """Post the forms from two threads whose requests both pass the duplicate check before either writes."""
    barrier = threading.Barrier(len(forms), timeout=10)
    original_validate = EntryForm.validate

    def validate_together(self, *args, **kwargs):
        # Both requests have looked for an existing entry with the key by now.
        barrier.wait()
        return original_validate(self, *args, **kwargs)

    monkeypatch.setattr(EntryForm, "validate", validate_together)
    clients = [client] + [twin_browser(app, client) for _ in forms[1:]]
    responses = [None] * len(forms)
    errors = []

    def post(index):
        try:
            responses[index] = clients[index].post("/journal/entries", data=forms[index])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return responses


def test_a_concurrent_double_submit_makes_one_entry(app, login_as, personas, monkeypatch):
    client = login_as("mentee_a")
    form = entry_form(body="Tapped twice on a slow connection.", idempotency_key="double-tap")
    responses = _post_at_once(app, client, [form, dict(form)], monkeypatch)
    assert [response.status_code for response in responses] == [303, 303]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert [entry.body for entry in JournalEntry.select()] == ["Tapped twice on a slow connection."]
    assert len(audit_actions("journal.entry_create")) == 1


def test_two_tabs_submitting_different_text_under_one_key_at_once_keep_both_texts(app, login_as, personas,
                                                                                    monkeypatch):
    """Two tabs restore the same draft (and so the same key); both texts must survive."""
    client = login_as("mentee_a")
    forms = [entry_form(body="Finished in the first tab.", idempotency_key="one-draft"),
             entry_form(body="Finished in the second tab.", idempotency_key="one-draft")]
    responses = _post_at_once(app, client, forms, monkeypatch)
    assert [response.status_code for response in responses] == [303, 303]
    assert sorted(entry.body for entry in JournalEntry.select()) == [
        "Finished in the first tab.", "Finished in the second tab."]


def test_four_retries_of_one_submit_at_once_still_make_one_entry(app, login_as, personas, monkeypatch):
    client = login_as("mentee_a")
    form = entry_form(body="Retried by a flaky network.", idempotency_key="retry-key")
    responses = _post_at_once(app, client, [dict(form) for _ in range(4)], monkeypatch)
    assert {response.status_code for response in responses} == {303}
    assert len({response.headers["Location"] for response in responses}) == 1
    assert JournalEntry.select().count() == 1
