"""Server-side sessions: invalidation on logout, password change and deactivation; idle and
absolute lifetimes; htmx requests with an expired session; CSRF tokens that live as long as
the session."""
import datetime
from urllib.parse import parse_qs, urlsplit

import time_machine

from app.auth.models import User, UserSession
from tests.auth.conftest import client_with_cookie, is_signed_in, session_cookie
from tests.conftest import TEST_PASSWORD, csrf_token_from, login

START = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.timezone.utc)
NEW_PASSWORD = "walrus cinnamon ladder orbit"


def minutes(n):
    return datetime.timedelta(minutes=n)


def sessions_of(user):
    return UserSession.select().where(UserSession.user == user.id).count()


def assert_sent_to_login(response, next_path=None):
    assert response.status_code in (302, 303), response.status_code
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    if next_path is not None:
        assert parse_qs(location.query)["next"] == [next_path]


def test_the_cookie_holds_no_client_fingerprint_and_a_new_address_keeps_the_session(app, client, personas):
    """Flask-Login's session protection is off (the server-side row protects the session): no hash of
    the client's address and browser is kept in the cookie, and a phone that moves to another network
    or updates its browser stays signed in."""
    login(client, personas.mentee_a)
    data = app.session_interface.get_signing_serializer(app).loads(session_cookie(client))
    assert data.get("_id") is None and set(data) >= {"sid", "_user_id"}
    moved = client_with_cookie(app, session_cookie(client))
    response = moved.get("/account", headers={"User-Agent": "Another browser/2.0"},
                         environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 200


# Invalidation ---------------------------------------------------------------------------


def test_copied_cookie_works_while_the_session_lives(app, client, personas):
    login(client, personas.mentee_a)
    copy = client_with_cookie(app, session_cookie(client))
    assert copy.get("/account").status_code == 200


def test_replayed_cookie_after_logout_is_sent_to_login(app, client, personas):
    login(client, personas.mentee_a)
    old_cookie = session_cookie(client)
    client.post("/logout")
    replay = client_with_cookie(app, old_cookie)
    assert_sent_to_login(replay.get("/account"), next_path="/account")
    assert_sent_to_login(replay.get("/home"))


def test_replayed_cookie_after_logout_cannot_post(app, client, personas):
    login(client, personas.mentee_a)
    old_cookie = session_cookie(client)
    client.post("/logout")
    replay = client_with_cookie(app, old_cookie)
    response = replay.post("/account/profile", data={"name": "Hijacked", "timezone": "UTC", "locale": "en"})
    assert_sent_to_login(response)
    assert User.get_by_id(personas.mentee_a.id).name == "Ada Mentee"


def test_logout_in_one_browser_keeps_other_browsers_signed_in(app, personas):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, personas.mentee_a)
    login(laptop, personas.mentee_a)
    phone.post("/logout")
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)


def test_password_change_signs_out_other_sessions_but_keeps_this_one(app, personas):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, personas.mentee_a)
    login(laptop, personas.mentee_a)
    phone_cookie_before = session_cookie(phone)
    response = phone.post("/account/password", data={
        "password-current_password": TEST_PASSWORD, "password-password": NEW_PASSWORD})
    assert response.status_code == 303
    assert is_signed_in(phone)
    assert not is_signed_in(laptop)
    # The changing browser got a fresh session: its earlier cookie is dead too.
    assert not is_signed_in(client_with_cookie(app, phone_cookie_before))
    assert sessions_of(personas.mentee_a) == 1


def test_deactivation_kills_the_persons_sessions_and_they_cannot_log_in(app, login_as, personas):
    mentee = login_as("mentee_a")
    cookie = session_cookie(mentee)
    coordinator = login_as("coordinator")
    response = coordinator.post(f"/people/{personas.mentee_a.id}/deactivate", data={"reason": "left the program"})
    assert response.status_code == 303
    assert sessions_of(personas.mentee_a) == 0
    assert not is_signed_in(mentee)
    assert not is_signed_in(client_with_cookie(app, cookie))
    again = login(app.test_client(), personas.mentee_a)
    assert again.status_code == 422
    assert is_signed_in(coordinator)


def test_reactivated_person_can_log_in_again(app, login_as, personas):
    coordinator = login_as("coordinator")
    coordinator.post(f"/people/{personas.mentee_a.id}/deactivate", data={})
    assert login(app.test_client(), personas.mentee_a).status_code == 422
    coordinator.post(f"/people/{personas.mentee_a.id}/reactivate")
    assert login(app.test_client(), personas.mentee_a).status_code == 303


def test_deactivated_flag_alone_refuses_a_live_session(app, login_as, personas):
    """Even if a session row survived, an inactive account is not signed in."""
    mentee = login_as("mentee_a")
    User.update(active=False).where(User.id == personas.mentee_a.id).execute()
    assert not is_signed_in(mentee)


def test_role_change_signs_the_person_out(app, login_as, personas):
    mentee6 = User.create(email="waiting@example.org", name="Wes Waiting", role="mentee",
                          password_hash=personas.mentee_a.password_hash)
    waiting = app.test_client()
    assert login(waiting, mentee6).status_code == 303
    coordinator = login_as("coordinator")
    response = coordinator.post(f"/people/{mentee6.id}/role", data={"role": "mentor"})
    assert response.status_code == 303
    assert User.get_by_id(mentee6.id).role == "mentor"
    assert not is_signed_in(waiting)


# Idle and absolute lifetimes ------------------------------------------------------------


def test_idle_session_expires_after_the_default_30_minutes(app, client, personas):
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        clock.shift(minutes(29))
        assert is_signed_in(client)
        clock.shift(minutes(30) + datetime.timedelta(seconds=1))
        response = client.get("/account")
        assert_sent_to_login(response, next_path="/account")
        page = client.get(response.headers["Location"])
        assert "Your session has ended" in page.text


def test_activity_keeps_a_session_alive_past_the_idle_limit(app, client, personas):
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        for _ in range(4):
            clock.shift(minutes(25))
            assert is_signed_in(client)


def test_idle_timeout_follows_the_setting(app_factory, personas):
    short = app_factory(SESSION_IDLE_MINUTES=5)
    client = short.test_client()
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        clock.shift(minutes(4))
        assert is_signed_in(client)
        clock.shift(minutes(5) + datetime.timedelta(seconds=1))
        assert not is_signed_in(client)


def test_active_session_ends_at_the_absolute_lifetime(app_factory, personas):
    two_hours = app_factory(SESSION_MAX_HOURS=2)
    client = two_hours.test_client()
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        for _ in range(5):  # busy all along: 100 minutes
            clock.shift(minutes(20))
            assert is_signed_in(client)
        clock.shift(minutes(19))  # 119 minutes
        assert is_signed_in(client)
        clock.shift(minutes(2))  # 121 minutes
        assert not is_signed_in(client)


def test_default_absolute_lifetime_is_12_hours(app, client, personas):
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        elapsed = datetime.timedelta()
        while elapsed + minutes(25) < datetime.timedelta(hours=12):
            clock.shift(minutes(25))
            elapsed += minutes(25)
            assert is_signed_in(client), elapsed
        clock.shift(datetime.timedelta(hours=12) - elapsed + minutes(1))
        assert not is_signed_in(client)


def test_expired_session_can_sign_in_again(app, client, personas):
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        clock.shift(minutes(31))
        assert not is_signed_in(client)
        assert login(client, personas.mentee_a).status_code == 303
        assert is_signed_in(client)


def test_htmx_request_with_expired_session_gets_401_and_hx_redirect(app, client, personas):
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        clock.shift(minutes(31))
        response = client.get("/account", headers={
            "HX-Request": "true", "HX-Current-URL": "http://localhost/account?tab=email"})
    assert response.status_code == 401
    location = urlsplit(response.headers["HX-Redirect"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/account?tab=email"]
    assert "Location" not in response.headers


def test_htmx_post_with_expired_session_redirects_to_the_requested_path(app, client, personas):
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        clock.shift(minutes(31))
        response = client.post("/account/profile", data={"name": "Late", "timezone": "UTC", "locale": "en"},
                               headers={"HX-Request": "true"})
    assert response.status_code == 401
    location = urlsplit(response.headers["HX-Redirect"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/account/profile"]
    assert User.get_by_id(personas.mentee_a.id).name == "Ada Mentee"


def test_htmx_request_after_logout_gets_401_not_a_redirect(app, client, personas):
    login(client, personas.mentee_a)
    cookie = session_cookie(client)
    client.post("/logout")
    response = client_with_cookie(app, cookie).get("/home", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert urlsplit(response.headers["HX-Redirect"]).path == "/login"


# CSRF tokens live as long as the session ------------------------------------------------


def _csrf_login(client, user):
    token = csrf_token_from(client.get("/login").text)
    return client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})


def test_form_opened_two_hours_ago_still_saves_while_the_session_lives(app_factory, personas):
    csrf_app = app_factory(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    with time_machine.travel(START, tick=False) as clock:
        assert _csrf_login(client, personas.mentee_a).status_code == 303
        token = csrf_token_from(client.get("/account").text)
        for _ in range(6):  # two hours of activity in other tabs
            clock.shift(minutes(20))
            assert client.get("/home").status_code == 200
        response = client.post("/account/profile", data={
            "csrf_token": token, "name": "Ada Later", "timezone": "UTC", "locale": "en"})
    assert response.status_code == 303
    assert User.get_by_id(personas.mentee_a.id).name == "Ada Later"


def test_csrf_token_from_before_logout_is_refused(app_factory, personas):
    csrf_app = app_factory(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    assert _csrf_login(client, personas.mentee_a).status_code == 303
    token = csrf_token_from(client.get("/account").text)
    client.post("/logout", data={"csrf_token": token})
    assert _csrf_login(client, personas.mentee_a).status_code == 303
    response = client.post("/account/profile", data={
        "csrf_token": token, "name": "Ada Stale", "timezone": "UTC", "locale": "en"})
    assert response.status_code == 400
    assert User.get_by_id(personas.mentee_a.id).name == "Ada Mentee"
