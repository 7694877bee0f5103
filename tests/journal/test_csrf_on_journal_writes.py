"""With CSRF protection on (as in production): journal writes need the page's token, and the
token still lets a timed-out page hand its text over as a draft."""
import datetime

import pytest
import time_machine

from app.journal.models import JournalDraft, JournalEntry
from tests.conftest import csrf_token_from
from tests.conftest import signed_in_client
from tests.journal.conftest import entry_form, make_entry

START = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def csrf_app(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True)


def fetch_headers(token):
    return {"X-Requested-With": "fetch", "X-CSRFToken": token}


def test_autosave_without_the_token_is_refused_and_saves_nothing(csrf_app, personas):
    client = signed_in_client(csrf_app, personas.mentee_a)
    client.get("/journal/new")
    response = client.post("/journal/draft", headers={"X-Requested-With": "fetch"},
                           data={"body": "No token", "revision": "0", "slot": "new"})
    assert response.status_code == 400
    assert JournalDraft.select().count() == 0


def test_autosave_and_submit_with_the_pages_token_work(csrf_app, personas):
    client = signed_in_client(csrf_app, personas.mentee_a)
    token = csrf_token_from(client.get("/journal/new").text)
    response = client.post("/journal/draft", headers=fetch_headers(token),
                           data={"body": "With the token", "revision": "0", "slot": "new"})
    assert response.status_code == 200
    response = client.post("/journal/entries", data=entry_form(body="With the token, saved.", csrf_token=token))
    assert response.status_code == 303
    assert JournalEntry.get().body == "With the token, saved."


def test_sharing_and_deleting_need_the_token(csrf_app, personas):
    entry = make_entry(personas.mentee_a, body="Stays as it is.")
    client = signed_in_client(csrf_app, personas.mentee_a)
    client.get(f"/journal/entries/{entry.id}")
    assert client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"}).status_code == 400
    assert client.post(f"/journal/entries/{entry.id}/delete").status_code == 400
    entry = JournalEntry.get_by_id(entry.id)
    assert entry.shared_with_id is None


def test_a_page_left_open_past_the_session_timeout_still_hands_its_text_over(csrf_app, personas):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(csrf_app, personas.mentee_a)
        token = csrf_token_from(client.get("/journal/new").text)
        clock.shift(datetime.timedelta(minutes=csrf_app.config["SESSION_IDLE_MINUTES"] + 5))
        response = client.post("/journal/draft", headers=fetch_headers(token),
                               data={"body": "Typed for a long time", "revision": "0", "slot": "new"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")
    assert JournalDraft.get().body == "Typed for a long time"
