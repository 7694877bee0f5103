"""Invitations: a coordinator invites by email with a role; the single-use link expires after
7 days, is stored only as a hash, and lets the invitee choose a name and password."""
import datetime
import hashlib
import logging

import time_machine

from app.auth.models import Invitation, User
from tests.auth.conftest import audit_actions, audit_events, is_signed_in, link_in
from tests.conftest import login

START = datetime.datetime(2030, 6, 1, 10, 0, tzinfo=datetime.timezone.utc)
NEW_PASSWORD = "marigold tugboat velvet anchor"


def invite(coordinator, email="newbie@example.org", role="mentor"):
    """Create an invitation without SMTP; returns (path, token) from the link shown once."""
    response = coordinator.post("/invitations", data={"email": email, "role": role})
    assert response.status_code == 200, response.status_code
    return link_in(response.text, "invite")


def accept(client, path, name="Nia Newcomer", password=NEW_PASSWORD, **extra):
    return client.post(path, data={"name": name, "password": password, **extra})


def test_coordinator_creates_an_invitation(login_as, personas):
    coordinator = login_as("coordinator")
    invite(coordinator, email="Newbie@Example.org", role="mentee")
    [invitation] = Invitation.select()
    assert invitation.email == "newbie@example.org"
    assert invitation.role == "mentee"
    assert invitation.invited_by_id == personas.coordinator.id
    assert invitation.status == "pending"
    [event] = audit_events("invitation.create")
    assert event.actor_id == personas.coordinator.id
    assert event.object_id == invitation.id


def test_people_other_than_coordinators_cannot_invite(login_as, personas):
    for name in ("mentor_a", "mentee_a"):
        response = login_as(name).post("/invitations", data={"email": "sneaky@example.org", "role": "coordinator"})
        assert response.status_code == 404
    assert Invitation.select().count() == 0


def test_without_smtp_the_link_is_shown_once_and_the_logged_mail_is_redacted(login_as, personas, caplog):
    caplog.set_level(logging.DEBUG)
    coordinator = login_as("coordinator")
    response = coordinator.post("/invitations", data={"email": "newbie@example.org", "role": "mentor"})
    assert response.status_code == 200
    path, token = link_in(response.text, "invite")
    assert "Copy this invitation link" in response.text
    # Shown once: the list page does not show it again.
    assert token not in coordinator.get("/invitations").text
    mail_logs = [record.getMessage() for record in caplog.records if record.name == "tandem.mail"]
    assert any("newbie@example.org" in message and "/invite/[redacted]" in message for message in mail_logs)
    # And the invitee can use it, still without the token ever reaching a log.
    assert accept(login_as("anonymous"), path).status_code == 303
    assert token not in caplog.text
    for record in caplog.records:
        assert token not in record.getMessage()


def test_with_smtp_a_real_mail_arrives_with_a_working_link(mail_app, smtp_server, personas):
    coordinator = mail_app.test_client()
    assert login(coordinator, personas.coordinator).status_code == 303
    response = coordinator.post("/invitations", data={"email": "newbie@example.org", "role": "mentee"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/invitations"
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "newbie@example.org"
    assert "invited" in message["Subject"].lower()
    body = message.get_content()
    assert "Cora Coordinator" in body
    path, token = link_in(body, "invite")
    listing = coordinator.get("/invitations").text
    assert "newbie@example.org" in listing
    assert token not in listing
    invitee = mail_app.test_client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert "newbie@example.org" in page.text
    assert accept(invitee, path).status_code == 303
    assert User.by_email("newbie@example.org").role == "mentee"


def test_only_the_token_hash_is_stored(login_as, personas):
    _, token = invite(login_as("coordinator"))
    [row] = Invitation.select().dicts()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in row.values())


def test_invitee_chooses_name_and_password_and_lands_signed_in_with_the_role(app, login_as, personas):
    path, _ = invite(login_as("coordinator"), role="mentor")
    invitee = app.test_client()
    response = accept(invitee, path, name="  Nia Newcomer ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/home"
    user = User.by_email("newbie@example.org")
    assert user.name == "Nia Newcomer"
    assert user.role == "mentor"
    assert user.password_hash.startswith("$argon2id$")
    assert is_signed_in(invitee)
    assert "Nia Newcomer" in invitee.get("/home").text
    assert "invitation.accept" in audit_actions(actor=user.id)
    assert Invitation.get().status == "accepted"
    # The chosen password works for later sign-ins.
    assert login(app.test_client(), "newbie@example.org", password=NEW_PASSWORD).status_code == 303


def test_invitation_link_is_single_use(app, login_as, personas):
    path, _ = invite(login_as("coordinator"))
    assert accept(app.test_client(), path).status_code == 303
    again = app.test_client()
    assert again.get(path).status_code == 404
    response = accept(again, path, name="Second Comer", password="another fine passphrase here")
    assert response.status_code == 404
    assert "does not work" in response.text
    assert User.select().where(User.email == "newbie@example.org").count() == 1
    assert User.by_email("newbie@example.org").name == "Nia Newcomer"


def test_invitation_expires_after_seven_days(app, login_as, personas):
    with time_machine.travel(START, tick=False) as clock:
        path, _ = invite(login_as("coordinator"))
        clock.shift(datetime.timedelta(days=7) - datetime.timedelta(minutes=1))
        assert app.test_client().get(path).status_code == 200
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        visitor = app.test_client()
        assert visitor.get(path).status_code == 404
        assert accept(visitor, path).status_code == 404
        assert Invitation.get().status == "expired"
    assert User.by_email("newbie@example.org") is None


def test_revoked_invitation_stops_working(app, login_as, personas):
    coordinator = login_as("coordinator")
    path, _ = invite(coordinator)
    invitation = Invitation.get()
    response = coordinator.post(f"/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    assert Invitation.get().status == "revoked"
    assert "invitation.revoke" in audit_actions()
    visitor = app.test_client()
    assert visitor.get(path).status_code == 404
    assert accept(visitor, path).status_code == 404
    assert User.by_email("newbie@example.org") is None


def test_a_new_invitation_replaces_the_pending_one_for_that_address(app, login_as, personas):
    coordinator = login_as("coordinator")
    old_path, _ = invite(coordinator, role="mentee")
    new_path, _ = invite(coordinator, role="mentor")
    assert app.test_client().get(old_path).status_code == 404
    assert accept(app.test_client(), new_path).status_code == 303
    assert User.by_email("newbie@example.org").role == "mentor"


def test_role_posted_to_the_accept_form_is_ignored(app, login_as, personas):
    path, _ = invite(login_as("coordinator"), role="mentee")
    response = accept(app.test_client(), path, role="coordinator", email="other@example.org", active="0")
    assert response.status_code == 303
    user = User.by_email("newbie@example.org")
    assert user.role == "mentee"
    assert user.active
    assert User.by_email("other@example.org") is None


def test_inviting_an_existing_accounts_email_is_refused(login_as, personas):
    coordinator = login_as("coordinator")
    response = coordinator.post("/invitations", data={"email": " MENTEE.A@example.org ", "role": "coordinator"})
    assert response.status_code == 422
    assert "Someone with this email already has an account." in response.text
    assert "/invite/" not in response.text
    assert Invitation.select().count() == 0


def test_invalid_invitation_email_is_refused(login_as, personas):
    response = login_as("coordinator").post("/invitations", data={"email": "not-an-email", "role": "mentor"})
    assert response.status_code == 422
    assert Invitation.select().count() == 0


def test_invitation_with_an_unknown_role_is_refused(login_as, personas):
    response = login_as("coordinator").post("/invitations", data={"email": "newbie@example.org", "role": "admin"})
    assert response.status_code == 422
    assert Invitation.select().count() == 0


def test_weak_password_at_acceptance_is_refused_and_the_link_still_works(app, login_as, personas):
    path, _ = invite(login_as("coordinator"))
    invitee = app.test_client()
    weak = accept(invitee, path, password="password1234")
    assert weak.status_code == 422
    assert "Try a passphrase" in weak.text
    assert User.by_email("newbie@example.org") is None
    assert accept(invitee, path).status_code == 303


def test_chosen_name_or_invited_email_in_the_password_is_refused(app, login_as, personas):
    path, _ = invite(login_as("coordinator"))
    invitee = app.test_client()
    for password in ("Nia Newcomer is my password", "newbie@example.org rocks"):
        response = accept(invitee, path, name="Nia Newcomer", password=password)
        assert response.status_code == 422
        assert "use your own name or email address" in response.text
    assert User.by_email("newbie@example.org") is None


def test_unknown_invitation_token_gets_404(client, personas):
    assert client.get("/invite/not-a-real-token").status_code == 404
    assert client.get("/invite/" + "x" * 300).status_code == 404
