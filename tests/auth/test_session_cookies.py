"""A verified session cookie is kept by the worker (app/session_cookies.py): it must give exactly what
Flask's own verification gives, for good, tampered, expired and odd cookies alike."""
import datetime

import time_machine
from flask.sessions import SecureCookieSessionInterface

from app.session_cookies import RememberingSessionInterface
from tests.auth.conftest import SESSION_COOKIE, client_with_cookie, is_signed_in, session_cookie
from tests.conftest import csrf_token_from, login

START = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.timezone.utc)


def opened(app, interface, cookie):
    """The session `interface` opens for a request carrying `cookie`, as a plain dict."""
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie is not None else {}
    with app.test_request_context("/", headers=headers) as context:
        return dict(interface.open_session(app, context.request))


def test_the_app_reads_cookies_through_the_remembering_interface(app):
    assert isinstance(app.session_interface, RememberingSessionInterface)


def test_kept_cookies_open_as_flask_opens_them_good_or_bad(app, client, personas):
    login(client, personas.mentee_a)
    good = session_cookie(client)
    flask_own, remembering = SecureCookieSessionInterface(), RememberingSessionInterface()
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    for cookie in (good, good, tampered, tampered, good[:20], "", None, "not.a.cookie"):
        assert opened(app, remembering, cookie) == opened(app, flask_own, cookie), cookie
    assert opened(app, remembering, good)["sid"]
    assert list(remembering._verified) == [good]  # only the cookie that verified is kept


def test_a_kept_cookie_still_expires_with_the_session_lifetime(app, client, personas):
    lifetime = app.permanent_session_lifetime
    with time_machine.travel(START, tick=False) as clock:
        login(client, personas.mentee_a)
        cookie = session_cookie(client)
        remembering = RememberingSessionInterface()
        assert opened(app, remembering, cookie)["sid"]
        clock.move_to(START + lifetime)
        assert opened(app, remembering, cookie)["sid"]  # the last second it is valid
        clock.move_to(START + lifetime + datetime.timedelta(seconds=1))
        assert opened(app, remembering, cookie) == opened(app, SecureCookieSessionInterface(), cookie) == {}
        clock.move_to(START - datetime.timedelta(seconds=5))  # signed in the future: refused too
        assert opened(app, remembering, cookie) == {}


def test_each_request_gets_its_own_session_and_lists_are_not_kept(app, client, personas):
    remembering = RememberingSessionInterface()
    login(client, personas.mentee_a)
    cookie = session_cookie(client)
    with app.test_request_context("/", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}) as context:
        first = remembering.open_session(app, context.request)
        first["sid"] = "changed by one request"
        first["extra"] = 1
    assert opened(app, remembering, cookie) == opened(app, SecureCookieSessionInterface(), cookie)
    with app.test_request_context("/"):
        flashed = SecureCookieSessionInterface().get_signing_serializer(app).dumps(
            {"sid": "x", "_flashes": [["success", "Saved."]]})
    assert opened(app, remembering, flashed)["_flashes"] == [["success", "Saved."]]
    assert flashed not in remembering._verified


def test_signed_in_pages_work_across_requests_and_sign_out_ends_the_session(app, client, personas):
    login(client, personas.mentee_a)
    cookie = session_cookie(client)
    for _ in range(3):
        assert is_signed_in(client)
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/account").get_data(as_text=True))})
    assert not is_signed_in(client_with_cookie(app, cookie))  # the kept cookie names a deleted session


def test_without_a_secret_key_there_is_no_session_as_in_flask():
    from flask import Flask

    keyless = Flask("keyless")
    with keyless.test_request_context("/", headers={"Cookie": f"{SESSION_COOKIE}=anything"}) as context:
        assert RememberingSessionInterface().open_session(keyless, context.request) is None
        assert SecureCookieSessionInterface().open_session(keyless, context.request) is None
