"""Everyone edits their own name, time zone, language, email (with the current password) and
password (with the current password, under the password rules); every write is audited."""
import pytest

from app.audit import AuditEvent
from app.auth.models import User
from tests.auth.conftest import audit_events, is_signed_in
from tests.conftest import TEST_PASSWORD, login

NEW_PASSWORD = "saffron kayak meadow pulse"


@pytest.fixture
def app(app_factory):
    """Two languages on offer, so a change of language can be seen."""
    app = app_factory(LANGUAGES=["en", "es"])
    with app.app_context():
        yield app


@pytest.fixture
def mentee(login_as):
    return login_as("mentee_a")


def fresh(user):
    return User.get_by_id(user.id)


def account_events():
    return [e.action for e in AuditEvent.select().where(AuditEvent.action.startswith("account."))]


def update_profile(client, **fields):
    data = {"name": "Ada Mentee", "timezone": "America/New_York", "locale": "en"}
    data.update(fields)
    return client.post("/account/profile", data=data)


def change_email(client, email, password=TEST_PASSWORD):
    return client.post("/account/email", data={"email-email": email, "email-current_password": password})


def change_password(client, new, current=TEST_PASSWORD):
    return client.post("/account/password", data={"password-current_password": current, "password-password": new})


def test_settings_page_shows_the_current_profile(mentee):
    page = mentee.get("/account")
    assert page.status_code == 200
    assert 'value="Ada Mentee"' in page.text
    assert "mentee.a@example.org" in page.text
    assert '<option selected value="America/New_York">' in page.text


def test_settings_need_a_signed_in_person(client, personas):
    assert client.get("/account").status_code == 302
    for response in (update_profile(client, name="Nobody"), change_email(client, "x@example.org"),
                     change_password(client, NEW_PASSWORD)):
        assert response.status_code in (302, 303)
        assert response.headers["Location"].startswith("/login")
    assert fresh(personas.mentee_a).name == "Ada Mentee"


def test_name_time_zone_and_language_can_be_changed(mentee, personas):
    response = update_profile(mentee, name="  Ada M. ", timezone="Europe/Berlin", locale="es")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    user = fresh(personas.mentee_a)
    assert (user.name, user.timezone, user.locale) == ("Ada M.", "Europe/Berlin", "es")
    page = mentee.get("/account")
    assert '<html lang="es">' in page.text
    assert '<option selected value="Europe/Berlin">' in page.text


def test_profile_change_is_audited(mentee, personas):
    update_profile(mentee, timezone="UTC")
    [event] = audit_events("account.profile_update")
    assert event.actor_id == event.subject_id == event.object_id == personas.mentee_a.id
    assert event.ip == "127.0.0.1"


def test_invalid_time_zone_is_refused(mentee, personas):
    response = update_profile(mentee, name="Changed Name", timezone="Mars/Olympus_Mons")
    assert response.status_code == 422
    user = fresh(personas.mentee_a)
    assert (user.name, user.timezone) == ("Ada Mentee", "America/New_York")
    assert account_events() == []


def test_unoffered_language_is_refused(mentee, personas):
    assert update_profile(mentee, locale="xx").status_code == 422
    assert fresh(personas.mentee_a).locale == "en"


def test_empty_name_is_refused(mentee, personas):
    response = update_profile(mentee, name="   ")
    assert response.status_code == 422
    assert "Tell us what to call you." in response.text
    assert fresh(personas.mentee_a).name == "Ada Mentee"


def test_fields_the_profile_form_does_not_offer_change_nothing(mentee, personas):
    response = update_profile(mentee, role="coordinator", email="taken@example.org", active="0",
                              password_hash="x", id=str(personas.mentee_b.id))
    assert response.status_code == 303
    user = fresh(personas.mentee_a)
    assert (user.role, user.email, user.active) == ("mentee", "mentee.a@example.org", True)
    assert user.password_hash == personas.mentee_a.password_hash
    assert fresh(personas.mentee_b).name == "Bea Mentee"


def test_email_change_with_the_current_password(app, mentee, personas):
    response = change_email(mentee, " Ada.New@Example.org ")
    assert response.status_code == 303
    assert fresh(personas.mentee_a).email == "ada.new@example.org"
    assert [e.subject_id for e in audit_events("account.email_change")] == [personas.mentee_a.id]
    assert is_signed_in(mentee)
    assert login(app.test_client(), "ada.new@example.org").status_code == 303
    assert login(app.test_client(), "mentee.a@example.org").status_code == 422


def test_email_change_with_a_wrong_password_is_refused_and_changes_nothing(mentee, personas):
    response = change_email(mentee, "ada.new@example.org", password="not my password at all")
    assert response.status_code == 422
    assert "That isn&#39;t your current password." in response.text
    assert fresh(personas.mentee_a).email == "mentee.a@example.org"
    assert account_events() == []


def test_email_change_without_the_password_is_refused(mentee, personas):
    response = change_email(mentee, "ada.new@example.org", password="")
    assert response.status_code == 422
    assert "Enter your current password" in response.text
    assert fresh(personas.mentee_a).email == "mentee.a@example.org"


def test_email_used_by_another_account_is_refused(mentee, personas):
    response = change_email(mentee, "MENTOR.A@example.org")
    assert response.status_code == 422
    assert "already used by another account" in response.text
    assert fresh(personas.mentee_a).email == "mentee.a@example.org"
    assert fresh(personas.mentor_a).email == "mentor.a@example.org"
    assert account_events() == []


def test_malformed_email_is_refused(mentee, personas):
    assert change_email(mentee, "not an email").status_code == 422
    assert fresh(personas.mentee_a).email == "mentee.a@example.org"


def test_password_change_needs_the_current_password(mentee, personas):
    before = fresh(personas.mentee_a).password_hash
    response = change_password(mentee, NEW_PASSWORD, current="not my password at all")
    assert response.status_code == 422
    assert "That isn&#39;t your current password." in response.text
    assert fresh(personas.mentee_a).password_hash == before
    assert account_events() == []
    assert is_signed_in(mentee)


@pytest.mark.parametrize("weak, reason", [
    ("short pass", "Use at least 12 characters"),
    ("qwertyuiop123", "Try a passphrase"),
    ("Ada Mentee likes tea", "your own name or email"),
])
def test_password_change_applies_the_password_rules(mentee, personas, weak, reason):
    before = fresh(personas.mentee_a).password_hash
    response = change_password(mentee, weak)
    assert response.status_code == 422
    assert reason in response.text
    assert fresh(personas.mentee_a).password_hash == before


def test_password_change_is_audited_and_the_new_password_works(app, mentee, personas):
    response = change_password(mentee, NEW_PASSWORD)
    assert response.status_code == 303
    [event] = audit_events("account.password_change")
    assert event.actor_id == event.subject_id == personas.mentee_a.id
    assert NEW_PASSWORD not in repr(list(AuditEvent.select().dicts()))
    assert login(app.test_client(), personas.mentee_a, password=NEW_PASSWORD).status_code == 303
    assert login(app.test_client(), personas.mentee_a).status_code == 422


def test_every_settings_write_goes_to_the_audit_trail(mentee, personas):
    update_profile(mentee, name="Ada Again")
    change_email(mentee, "ada.again@example.org")
    change_password(mentee, NEW_PASSWORD)
    assert account_events() == ["account.profile_update", "account.email_change", "account.password_change"]
    assert {e.actor_id for e in AuditEvent.select().where(AuditEvent.action.startswith("account."))} == {
        personas.mentee_a.id}


def test_settings_change_only_ones_own_account(login_as, personas):
    mentor = login_as("mentor_a")
    update_profile(mentor, name="Abe Renamed")
    assert fresh(personas.mentor_a).name == "Abe Renamed"
    assert fresh(personas.mentee_a).name == "Ada Mentee"
