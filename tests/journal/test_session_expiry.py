"""A session that times out while the mentee types keeps the text as a draft; signing out keeps nothing."""
import datetime
from urllib.parse import parse_qs, urlparse

import time_machine

from app.journal.models import JournalDraft, JournalEntry
from tests.conftest import TEST_PASSWORD
from tests.conftest import signed_in_client
from tests.journal.conftest import entry_form, make_entry, textarea_text

START = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.timezone.utc)
FETCH = {"X-Requested-With": "fetch", "Accept": "application/json"}


def login_target(location):
    """(path, next) of a sign-in URL."""
    parsed = urlparse(location)
    return parsed.path, parse_qs(parsed.query).get("next", [None])[0]


def past_idle_timeout(app):
    return datetime.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)


def drafts_of(user):
    return {draft.slot: draft.body for draft in JournalDraft.select().where(JournalDraft.author == user)}


def test_an_autosave_after_the_session_timed_out_is_kept_and_answered_with_401_and_hx_redirect(app, personas):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        assert client.get("/journal/new").status_code == 200
        clock.shift(past_idle_timeout(app))
        response = client.post("/journal/draft", headers=FETCH, data={
            "body": "Typed while the session ran out", "revision": "0", "slot": "new", "mood": "2"})
    assert response.status_code == 401
    assert login_target(response.headers["HX-Redirect"]) == ("/login", "/journal/new")
    assert response.json["status"] == "signed_out"
    assert drafts_of(personas.mentee_a) == {"new": "Typed while the session ran out"}
    assert JournalDraft.get().mood == 2


def test_an_htmx_autosave_after_timeout_is_also_kept(app, personas):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        client.get("/journal/new")
        clock.shift(past_idle_timeout(app))
        response = client.post("/journal/draft", headers={"HX-Request": "true"}, data={
            "body": "Sent by htmx", "revision": "5", "slot": "new"})
    assert response.status_code == 401
    assert login_target(response.headers["HX-Redirect"]) == ("/login", "/journal/new")
    assert drafts_of(personas.mentee_a) == {"new": "Sent by htmx"}


def test_a_plain_submit_after_timeout_goes_to_sign_in_keeps_the_text_and_it_is_there_after_signing_in(app, personas):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        client.get("/journal/new")
        clock.shift(past_idle_timeout(app))
        response = client.post("/journal/entries", data=entry_form(body="My whole evening, written out.\nEvery word."))
        assert response.status_code == 303
        assert login_target(response.headers["Location"]) == ("/login", "/journal/new")
        assert JournalEntry.select().count() == 0
        assert drafts_of(personas.mentee_a) == {"new": "My whole evening, written out.\nEvery word."}
        assert client.get("/journal/new").status_code == 302  # the draft grants no access

        signed_in = client.post("/login?next=/journal/new", data={
            "email": personas.mentee_a.email, "password": TEST_PASSWORD})
        assert signed_in.status_code == 303
        assert signed_in.headers["Location"] == "/journal/new"
        page = client.get("/journal/new")
    assert page.status_code == 200
    assert textarea_text(page.text) == "My whole evening, written out.\nEvery word."


def test_an_edit_submitted_after_timeout_is_kept_in_the_entrys_draft_slot(app, personas):
    entry = make_entry(personas.mentee_a, body="Saved earlier.")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        clock.shift(past_idle_timeout(app))
        response = client.post(f"/journal/entries/{entry.id}/edit", data=entry_form(body="Saved earlier, then changed."))
    assert response.status_code == 303
    assert login_target(response.headers["Location"]) == ("/login", f"/journal/entries/{entry.id}/edit")
    assert drafts_of(personas.mentee_a) == {f"entry-{entry.id}": "Saved earlier, then changed."}
    assert JournalEntry.get_by_id(entry.id).body == "Saved earlier."


def test_a_timed_out_session_cannot_save_into_someone_elses_entry(app, personas):
    theirs = make_entry(personas.mentee_b, body="Bea wrote this.")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        clock.shift(past_idle_timeout(app))
        autosave = client.post("/journal/draft", headers=FETCH, data={
            "body": "x", "revision": "0", "slot": f"entry-{theirs.id}"})
        edit = client.post(f"/journal/entries/{theirs.id}/edit", data=entry_form(body="x"))
    assert autosave.status_code == 404
    assert edit.status_code == 404
    assert JournalDraft.select().count() == 0


def test_a_timed_out_session_does_nothing_else(app, personas):
    entry = make_entry(personas.mentee_a, body="Private.")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        clock.shift(past_idle_timeout(app))
        share = client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"})
        delete = client.post(f"/journal/entries/{entry.id}/delete")
        page = client.get(f"/journal/entries/{entry.id}")
    assert login_target(share.headers["Location"])[0] == "/login"
    assert login_target(delete.headers["Location"])[0] == "/login"
    assert login_target(page.headers["Location"])[0] == "/login"
    assert JournalEntry.get_by_id(entry.id).shared_with_id is None


def test_a_session_timed_out_more_than_a_day_ago_keeps_nothing(app, personas):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentee_a)
        clock.shift(past_idle_timeout(app))
        client.get("/journal")  # the server notices the timeout here
        clock.shift(datetime.timedelta(days=2))
        response = client.post("/journal/draft", headers=FETCH, data={"body": "Too late", "revision": "0"})
    assert response.status_code == 302
    assert JournalDraft.select().count() == 0


def test_after_signing_out_nothing_can_be_saved(app, personas):
    client = signed_in_client(app, personas.mentee_a)
    old_cookie = client.get_cookie("tandem_session").value
    assert client.post("/logout").status_code == 303
    replay = app.test_client()
    replay.set_cookie("tandem_session", old_cookie)
    for browser in (client, replay):
        autosave = browser.post("/journal/draft", headers=FETCH, data={"body": "After sign-out", "revision": "0"})
        submit = browser.post("/journal/entries", data=entry_form(body="After sign-out"))
        draft_button = browser.post("/journal/entries", data=entry_form(body="After sign-out", action="draft"))
        for response in (autosave, submit, draft_button):
            assert response.status_code == 302
            assert login_target(response.headers["Location"])[0] == "/login"
    assert JournalDraft.select().count() == 0
    assert JournalEntry.select().count() == 0


def test_a_mentor_whose_session_timed_out_gets_no_draft_grace(app, personas):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(app, personas.mentor_a)
        clock.shift(past_idle_timeout(app))
        response = client.post("/journal/draft", headers=FETCH, data={"body": "Mentor text", "revision": "0"})
    assert response.status_code == 302
    assert JournalDraft.select().count() == 0


def test_text_typed_as_the_absolute_session_limit_passes_is_kept(app_factory, personas):
    """The cookie outlives the longest session, so the browser still says who typed the text."""
    two_hours = app_factory(SESSION_MAX_HOURS=2)
    with time_machine.travel(START, tick=False) as clock:
        client = two_hours.test_client()
        login_response = client.post("/login", data={"email": personas.mentee_a.email, "password": TEST_PASSWORD})
        assert "tandem_session=" in login_response.headers.get("Set-Cookie", "")
        client.get("/journal/new")  # the first page adds the form token to the session
        for _ in range(6):  # busy for two hours, never idle
            clock.shift(datetime.timedelta(minutes=20))
            page = client.get("/journal/new")
            assert page.status_code == 200
            assert "Set-Cookie" not in page.headers  # the cookie is not re-sent with every page
        clock.shift(datetime.timedelta(minutes=2))
        response = client.post("/journal/draft", headers=FETCH, data={
            "body": "Written just past the two hours", "revision": "0", "slot": "new"})
    assert response.status_code == 401
    assert drafts_of(personas.mentee_a) == {"new": "Written just past the two hours"}
