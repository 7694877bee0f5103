"""Signing in and out: answers, the audit trail, and a fresh session id at sign-in."""
from urllib.parse import parse_qs, urlsplit

from app.auth.models import User, UserSession
from tests.auth.conftest import audit_events, is_signed_in, without_csrf
from tests.conftest import TEST_PASSWORD, login

GENERIC_FAILURE = "That email and password don&#39;t match an account."


def test_login_page_is_public(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert 'name="password"' in response.text


def test_right_password_signs_in_and_redirects_home(client, personas):
    response = login(client, personas.mentee_a)
    assert response.status_code == 303
    assert response.headers["Location"] == "/home"
    home = client.get("/home")
    assert home.status_code == 200
    assert "Ada Mentee" in home.text


def test_email_is_matched_regardless_of_case_and_spaces(client, personas):
    response = login(client, "  Mentee.A@Example.ORG ")
    assert response.status_code == 303
    assert is_signed_in(client)


def test_wrong_password_gets_422_with_generic_message_and_keeps_email(client, personas):
    response = login(client, personas.mentee_a, password="not the right passphrase")
    assert response.status_code == 422
    assert GENERIC_FAILURE in response.text
    assert 'value="mentee.a@example.org"' in response.text
    assert "not the right passphrase" not in response.text
    assert not is_signed_in(client)


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, personas):
    wrong_password = login(client, personas.mentee_a, password="not the right passphrase")
    unknown = login(client, "nobody@example.org", password="not the right passphrase")
    assert unknown.status_code == wrong_password.status_code == 422
    assert GENERIC_FAILURE in unknown.text
    assert 'value="nobody@example.org"' in unknown.text
    assert (without_csrf(unknown.text).replace("nobody@example.org", "EMAIL")
            == without_csrf(wrong_password.text).replace("mentee.a@example.org", "EMAIL"))


def test_deactivated_account_gets_the_generic_failure(client, personas):
    User.update(active=False).where(User.id == personas.mentee_a.id).execute()
    response = login(client, personas.mentee_a)
    assert response.status_code == 422
    assert GENERIC_FAILURE in response.text
    assert not is_signed_in(client)


def test_empty_form_is_refused_with_422(client, personas):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "Enter your email address." in response.text
    assert not is_signed_in(client)


def test_successful_login_writes_an_audit_row_with_actor_and_address(client, personas):
    response = client.post("/login", data={"email": personas.mentor_a.email, "password": TEST_PASSWORD},
                           environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 303
    [event] = audit_events("login.success")
    assert event.actor_id == personas.mentor_a.id
    assert event.subject_id == personas.mentor_a.id
    assert event.ip == "198.51.100.7"
    assert event.created is not None


def test_failed_login_writes_an_audit_row_naming_the_account(client, personas):
    login(client, personas.mentor_a, password="not the right passphrase")
    [event] = audit_events("login.failure")
    assert event.subject_id == personas.mentor_a.id
    assert event.actor_id is None
    assert event.ip == "127.0.0.1"
    assert not audit_events("login.success")


def test_failed_login_for_unknown_email_is_audited_without_a_subject(client, personas):
    login(client, "nobody@example.org", password="not the right passphrase")
    [event] = audit_events("login.failure")
    assert event.subject_id is None


def test_audit_never_holds_the_attempted_password(client, personas):
    from app.audit import AuditEvent

    login(client, personas.mentor_a, password="secret guess horse staple")
    login(client, "nobody@example.org", password="secret guess horse staple")
    for row in AuditEvent.select().dicts():
        assert "secret guess" not in repr(row)


def test_logout_is_audited_and_signs_out(client, personas):
    login(client, personas.mentee_b)
    response = client.post("/logout")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    [event] = audit_events("logout")
    assert event.actor_id == personas.mentee_b.id
    assert event.subject_id == personas.mentee_b.id
    assert not is_signed_in(client)


def test_logout_deletes_the_server_side_session(client, personas):
    login(client, personas.mentee_b)
    assert UserSession.select().where(UserSession.user == personas.mentee_b.id).count() == 1
    client.post("/logout")
    assert UserSession.select().where(UserSession.user == personas.mentee_b.id).count() == 0


def test_logout_is_post_only(client, personas):
    login(client, personas.mentee_b)
    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)


def test_session_id_changes_at_login_and_pre_login_values_are_dropped(client, personas):
    client.get("/login")
    with client.session_transaction() as session:
        session["sid"] = "planted-by-an-attacker"
        session["left_over"] = "from before sign-in"
    login(client, personas.mentee_a)
    with client.session_transaction() as session:
        assert session["sid"] != "planted-by-an-attacker"
        assert "left_over" not in session


def test_each_login_gets_a_new_session_id(client, personas):
    login(client, personas.mentee_a)
    with client.session_transaction() as session:
        first = session["sid"]
    client.post("/logout")
    login(client, personas.mentee_a)
    with client.session_transaction() as session:
        second = session["sid"]
    assert first != second


def test_planted_session_id_does_not_sign_anyone_in(client, personas):
    with client.session_transaction() as session:
        session["sid"] = "guessed-session-key"
        session["_user_id"] = str(personas.coordinator.id)
    assert not is_signed_in(client)


def test_session_cookie_is_httponly_and_samesite_lax(client, personas):
    response = login(client, personas.mentee_a)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("tandem_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_base_url_is_https(app_factory, personas):
    secure_app = app_factory(BASE_URL="https://tandem.example.org")
    response = login(secure_app.test_client(), personas.mentee_a)
    assert response.status_code == 303
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("tandem_session="))
    assert "Secure" in cookie


def test_next_parameter_is_followed_for_local_paths(client, personas):
    response = client.post("/login?next=/account", data={"email": personas.mentee_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"


OFF_SITE_TARGETS = ("//evil.example", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
                    "/\n/evil.example", "/\r\n/evil.example", "javascript:alert(1)")


def test_next_parameter_never_leads_off_site_after_sign_in(client, personas):
    response = client.post("/login", query_string={"next": "/\t/evil.example"},
                           data={"email": personas.mentee_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/home"


def test_next_parameter_never_leads_off_site_when_already_signed_in(client, personas):
    login(client, personas.mentee_a)
    for target in OFF_SITE_TARGETS:
        response = client.get("/login", query_string={"next": target})
        assert response.status_code == 302
        assert response.headers["Location"] == "/home", repr(target)


def test_signed_in_visitor_to_login_page_is_sent_home(client, personas):
    login(client, personas.mentee_a)
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_protected_page_sends_anonymous_visitor_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query) == {"next": ["/account"]}
