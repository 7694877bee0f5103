"""The signed-in person is asked of flask-login once per request (app/current_person.py), and
signing in or out within a request is seen at once; `login_required` sends visitors to sign in
as flask-login's decorator does."""
from urllib.parse import parse_qs, urlsplit

from flask_login import login_user, logout_user

from app.auth import sessions
from app.current_person import current_person, login_required
from tests.conftest import signed_in_client


def test_a_request_loads_the_person_once_however_often_it_is_asked(app, personas, monkeypatch):
    loads = []
    real = sessions.load_user
    monkeypatch.setattr(app.login_manager, "_user_callback", lambda user_id: loads.append(user_id) or real(user_id))
    client = signed_in_client(app, personas.mentee_a)
    page = client.get("/journal")  # the sign-in check, locale, time zone, view, policy and templates all ask
    assert page.status_code == 200
    assert loads == [str(personas.mentee_a.id)]
    assert client.get("/goals").status_code == 200
    assert loads == [str(personas.mentee_a.id)] * 2  # and once again on the next request, not kept beyond it


def test_the_same_person_object_all_through_a_request(app, personas):
    seen = []

    @app.get("/_probe/person")
    @login_required
    def probe():
        seen.extend([current_person(), current_person()])
        return "ok"

    client = signed_in_client(app, personas.mentor_a)
    assert client.get("/_probe/person").text == "ok"
    assert seen[0] is seen[1] and seen[0].id == personas.mentor_a.id and seen[0].is_authenticated


def test_signing_in_and_out_within_a_request_is_seen_at_once(app, personas):
    with app.test_request_context("/"):
        app.preprocess_request()
        assert not current_person().is_authenticated
        login_user(personas.mentee_b)
        assert current_person().id == personas.mentee_b.id
        logout_user()
        assert not current_person().is_authenticated


def test_outside_a_request_there_is_no_person(app):
    assert current_person() is None


def test_a_signed_out_visitor_is_sent_to_sign_in_with_the_page_to_come_back_to(app, client, personas):
    response = client.get("/meetings?page=2")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query)["next"] == ["/meetings?page=2"]


def test_an_expired_session_is_refused_by_the_decorator_too(app, personas):
    from app.auth.models import UserSession

    client = signed_in_client(app, personas.mentee_a)
    assert client.get("/journal").status_code == 200
    UserSession.delete().execute()
    response = client.get("/journal")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
