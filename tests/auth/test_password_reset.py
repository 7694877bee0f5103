"""Password reset by an emailed single-use link (1 hour), through a real SMTP server on
localhost. The answer never reveals whether an email has an account."""
import datetime
import hashlib

import pytest
import time_machine
from argon2 import PasswordHasher

from app.auth.models import PasswordReset, User
from tests.auth.conftest import audit_actions, is_signed_in, link_in, without_csrf
from tests.conftest import TEST_PASSWORD, login

START = datetime.datetime(2030, 7, 8, 20, 0, tzinfo=datetime.timezone.utc)
NEW_PASSWORD = "harbor lantern pebble sonata"


@pytest.fixture
def client(mail_app):
    return mail_app.test_client()


def request_reset(client, email):
    return client.post("/forgot", data={"email": email})


def reset_link(client, smtp_server, email="mentee.a@example.org"):
    assert request_reset(client, email).status_code == 200
    [message] = smtp_server.wait_for(1)
    return link_in(message.get_content(), "reset")


def choose(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"password": password})


def test_known_email_gets_a_mail_with_a_reset_link(client, smtp_server, personas):
    response = request_reset(client, "Mentee.A@example.org")
    assert response.status_code == 200
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "mentee.a@example.org"
    assert "Reset your" in message["Subject"]
    body = message.get_content()
    assert "Ada Mentee" in body
    path, _ = link_in(body, "reset")
    assert client.get(path).status_code == 200
    assert "password.reset_requested" in audit_actions(subject=personas.mentee_a.id)


def test_answer_is_identical_for_known_and_unknown_emails(app, client, smtp_server, personas):
    known = request_reset(client, "mentee.a@example.org")
    unknown = request_reset(app.test_client(), "stranger@example.org")
    assert known.status_code == unknown.status_code == 200
    assert (without_csrf(known.text).replace("mentee.a@example.org", "EMAIL")
            == without_csrf(unknown.text).replace("stranger@example.org", "EMAIL"))
    assert "Check your email" in unknown.text
    assert [message["To"] for message in smtp_server.wait_for(1)] == ["mentee.a@example.org"]


def test_unknown_email_gets_no_mail(client, smtp_server, personas):
    assert request_reset(client, "stranger@example.org").status_code == 200
    assert smtp_server.messages == []
    assert PasswordReset.select().count() == 0


def test_deactivated_account_gets_no_mail_and_the_same_answer(client, smtp_server, personas):
    User.update(active=False).where(User.id == personas.mentee_b.id).execute()
    response = request_reset(client, personas.mentee_b.email)
    assert response.status_code == 200
    assert "Check your email" in response.text
    assert smtp_server.messages == []


def test_reset_link_sets_a_new_password_once(mail_app, client, smtp_server, personas):
    path, _ = reset_link(client, smtp_server)
    visitor = mail_app.test_client()
    response = choose(visitor, path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert login(mail_app.test_client(), personas.mentee_a, password=NEW_PASSWORD).status_code == 303
    assert login(mail_app.test_client(), personas.mentee_a, password=TEST_PASSWORD).status_code == 422
    assert "password.reset" in audit_actions(subject=personas.mentee_a.id)
    # Single use.
    assert visitor.get(path).status_code == 404
    again = choose(visitor, path, password="another harbor lantern tune")
    assert again.status_code == 404
    assert login(mail_app.test_client(), personas.mentee_a, password=NEW_PASSWORD).status_code == 303


def test_reset_link_expires_after_one_hour(mail_app, client, smtp_server, personas):
    before = User.get_by_id(personas.mentee_a.id).password_hash
    with time_machine.travel(START, tick=False) as clock:
        path, _ = reset_link(client, smtp_server)
        clock.shift(datetime.timedelta(minutes=59))
        assert mail_app.test_client().get(path).status_code == 200
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        visitor = mail_app.test_client()
        assert visitor.get(path).status_code == 404
        assert choose(visitor, path).status_code == 404
    assert User.get_by_id(personas.mentee_a.id).password_hash == before


def test_reset_signs_out_existing_sessions(mail_app, client, smtp_server, personas):
    phone = mail_app.test_client()
    assert login(phone, personas.mentee_a).status_code == 303
    path, _ = reset_link(client, smtp_server)
    assert choose(mail_app.test_client(), path).status_code == 303
    assert not is_signed_in(phone)


def test_reset_token_is_stored_only_as_a_hash(client, smtp_server, personas):
    _, token = reset_link(client, smtp_server)
    [row] = PasswordReset.select().dicts()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in row.values())


def test_weak_password_is_refused_and_the_link_still_works(mail_app, client, smtp_server, personas):
    path, _ = reset_link(client, smtp_server)
    visitor = mail_app.test_client()
    for weak, reason in (("password1234", "Try a passphrase"), ("short", "at least 12 characters"),
                         ("Ada Mentee needs a break", "your own name or email")):
        response = choose(visitor, path, password=weak)
        assert response.status_code == 422
        assert reason in response.text
    assert choose(visitor, path).status_code == 303


def test_reset_link_of_a_since_deactivated_account_does_not_work(mail_app, client, smtp_server, personas):
    path, _ = reset_link(client, smtp_server)
    User.update(active=False).where(User.id == personas.mentee_a.id).execute()
    assert mail_app.test_client().get(path).status_code == 404


def test_reset_lifts_the_account_throttle(mail_app, client, smtp_server, personas):
    # A cheap hash keeps the ten failed attempts fast; the reset stores a real one.
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(TEST_PASSWORD)
    User.update(password_hash=cheap).where(User.id == personas.mentee_a.id).execute()
    for n in range(10):
        mail_app.test_client().post("/login", data={"email": personas.mentee_a.email, "password": "wrong guess"},
                                    environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"})
    path, _ = reset_link(client, smtp_server)
    assert choose(mail_app.test_client(), path).status_code == 303
    response = mail_app.test_client().post("/login", data={"email": personas.mentee_a.email, "password": NEW_PASSWORD},
                                           environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert response.status_code == 303


def test_unknown_reset_token_gets_404(client, personas):
    assert client.get("/reset/not-a-real-token").status_code == 404
    assert client.post("/reset/not-a-real-token", data={"password": NEW_PASSWORD}).status_code == 404
