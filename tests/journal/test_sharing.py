"""Consent-based sharing: private by default, per entry, revocable at once, audited."""
from app.journal.models import JournalEntry, JournalSettings
from app.matches.models import Match
from tests.journal.conftest import audit_actions, checked_values, entry_form, make_entry

HX = {"HX-Request": "true"}


def mentor_url(personas, entry):
    return f"/journal/mentees/{personas.mentee_a.id}/entries/{entry.id}"


def test_a_new_entry_is_private_by_default(login_as, personas):
    client = login_as("mentee_a")
    response = client.post("/journal/entries", data=entry_form(body="Just for me."))
    entry = JournalEntry.get()
    assert entry.shared_with_id is None
    assert "Private: only you can read this." in client.get(response.headers["Location"]).text
    mentor = login_as("mentor_a")
    assert mentor.get(mentor_url(personas, entry)).status_code == 404
    assert "Just for me." not in mentor.get("/journal/shared").text
    assert audit_actions("journal.share") == []


def test_ticking_share_when_writing_shares_with_the_active_mentor_and_is_audited(login_as, personas):
    client = login_as("mentee_a")
    client.post("/journal/entries", data=entry_form(body="For my mentor too.", share="y"))
    entry = JournalEntry.get()
    assert entry.shared_with_id == personas.mentor_a.id
    assert entry.shared_at is not None
    [event] = audit_actions("journal.share")
    assert (event.object_id, event.actor_id, event.subject_id) == (entry.id, personas.mentee_a.id, personas.mentee_a.id)
    assert event.detail == f"mentor={personas.mentor_a.id}"
    assert login_as("mentor_a").get(mentor_url(personas, entry)).status_code == 200


def test_sharing_with_the_plain_form_redirects_back_to_the_entry(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Share me.")
    client = login_as("mentee_a")
    response = client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journal/entries/{entry.id}"
    assert JournalEntry.get_by_id(entry.id).shared_with_id == personas.mentor_a.id
    page = client.get(response.headers["Location"]).text
    assert "Shared with your mentor." in page
    assert "Stop sharing" in page
    mentor = login_as("mentor_a")
    assert "Share me." in mentor.get(mentor_url(personas, entry)).text


def test_sharing_with_htmx_answers_with_the_switch_fragment(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Share me quietly.")
    client = login_as("mentee_a")
    response = client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<form method="post" action="/journal/entries/')
    assert 'aria-pressed="true"' in response.text
    assert "HX-Request" in response.headers.get("Vary", "")
    assert JournalEntry.get_by_id(entry.id).shared_with_id == personas.mentor_a.id

    response = client.post(f"/journal/entries/{entry.id}/share", data={"shared": "0"}, headers=HX)
    assert response.status_code == 200
    assert 'aria-pressed="false"' in response.text
    assert "Share with Abe Mentor" in response.text
    assert JournalEntry.get_by_id(entry.id).shared_with_id is None


def test_unsharing_takes_effect_at_once(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Changed my mind.", shared_with=personas.mentor_a)
    mentor = login_as("mentor_a")
    assert mentor.get(mentor_url(personas, entry)).status_code == 200
    assert "Ada Mentee" in mentor.get("/journal/shared").text

    response = login_as("mentee_a").post(f"/journal/entries/{entry.id}/share", data={"shared": "0"})
    assert response.status_code == 303
    entry = JournalEntry.get_by_id(entry.id)
    assert (entry.shared_with_id, entry.shared_at) == (None, None)
    assert mentor.get(mentor_url(personas, entry)).status_code == 404
    assert mentor.post(mentor_url(personas, entry) + "/replies", data={"body": "Hi"}).status_code == 404
    assert "Nothing shared with you yet." in mentor.get("/journal/shared").text
    assert "Nothing shared with you yet." in mentor.get(f"/journal/mentees/{personas.mentee_a.id}").text


def test_share_and_unshare_are_audited(login_as, personas):
    entry = make_entry(personas.mentee_a)
    client = login_as("mentee_a")
    client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"})
    client.post(f"/journal/entries/{entry.id}/share", data={"shared": "0"}, headers=HX)
    events = [event for event in audit_actions() if event.action in ("journal.share", "journal.unshare")]
    assert [(event.action, event.object_type, event.object_id, event.actor_id, event.subject_id) for event in events] == [
        ("journal.share", "journalentry", entry.id, personas.mentee_a.id, personas.mentee_a.id),
        ("journal.unshare", "journalentry", entry.id, personas.mentee_a.id, personas.mentee_a.id),
    ]


def test_asking_for_the_state_an_entry_already_has_changes_and_audits_nothing(login_as, personas):
    entry = make_entry(personas.mentee_a)
    client = login_as("mentee_a")
    assert client.post(f"/journal/entries/{entry.id}/share", data={"shared": "0"}).status_code == 303
    assert JournalEntry.get_by_id(entry.id).shared_with_id is None
    assert [e for e in audit_actions() if e.action.startswith("journal.")] == []


def test_share_new_entries_by_default_pre_ticks_the_share_box(login_as, personas):
    client = login_as("mentee_a")
    assert checked_values(client.get("/journal/new").text, "share") == []
    response = client.post("/journal/settings", data={"share_new_by_default": "y"})
    assert response.status_code == 303
    settings = JournalSettings.get(JournalSettings.user == personas.mentee_a)
    assert settings.share_new_by_default is True
    assert settings.mood_visible_to_mentor is False
    assert checked_values(client.get("/journal/new").text, "share") == ["y"]
    assert checked_values(client.get("/journal/settings").text, "share_new_by_default") == ["y"]
    [event] = audit_actions("journal.settings_update")
    assert event.detail == "share_default=1 mood_visible=0"
    # Another mentee's page is not affected.
    assert checked_values(login_as("mentee_b").get("/journal/new").text, "share") == []


def test_sharing_without_an_active_mentor_is_refused_with_a_message(login_as, personas):
    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()
    entry = make_entry(personas.mentee_a)
    client = login_as("mentee_a")
    response = client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "have an active mentor right now, so there is no one to share with." in page
    assert JournalEntry.get_by_id(entry.id).shared_with_id is None

    fragment = client.post(f"/journal/entries/{entry.id}/share", data={"shared": "1"}, headers=HX)
    assert fragment.status_code == 200
    assert 'role="alert"' in fragment.text
    assert "no one to share with" in fragment.text
    assert JournalEntry.get_by_id(entry.id).shared_with_id is None
    assert audit_actions("journal.share") == []


def test_ticking_share_without_an_active_mentor_keeps_the_entry_private(login_as, personas):
    Match.update(status="paused").where(Match.id == personas.match_a.id).execute()
    client = login_as("mentee_a")
    page = client.get("/journal/new").text
    assert checked_values(page, "share") == []
    assert "This entry is private." in page
    client.post("/journal/entries", data=entry_form(body="Nobody to share with.", share="y"))
    assert JournalEntry.get().shared_with_id is None


def test_consent_is_to_a_person_so_a_new_mentor_does_not_see_entries_shared_with_the_last_one(login_as, personas):
    entry = make_entry(personas.mentee_a, body="Told my first mentor.", shared_with=personas.mentor_a)
    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()
    Match.create(mentor=personas.mentor_b, mentee=personas.mentee_a)
    mentor_b = login_as("mentor_b")
    assert mentor_b.get(f"/journal/mentees/{personas.mentee_a.id}").status_code == 200
    assert mentor_b.get(mentor_url(personas, entry)).status_code == 404
    assert "Told my first mentor." not in mentor_b.get("/journal/shared").text
