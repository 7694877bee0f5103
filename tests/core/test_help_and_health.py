"""The "Get help now" page reaches everyone, always; /healthz tells whether the database answers."""
import pytest

from tests.conftest import free_port, login
from tests.core.routes import app_without_pushed_context

HELP_LINK = '<a class="help-now" href="/help">Get help now</a>'
DEFAULT_988 = "call or text 988"
COORDINATOR_PROMPT = "Set CRISIS_LINE_TEXT"


@pytest.fixture
def app(app_factory):
    return app_without_pushed_context(app_factory)


def test_the_help_page_shows_the_988_lifeline_by_default(client):
    response = client.get("/help")
    assert response.status_code == 200
    assert "988 Suicide &amp; Crisis Lifeline" in response.text
    assert DEFAULT_988 in response.text
    assert 'href="tel:988"' in response.text and 'href="sms:988"' in response.text


def test_every_page_has_a_get_help_now_link(client, login_as, personas):
    anonymous_pages = {
        "/login": 200, "/forgot": 200, "/help": 200, "/invite/nope": 404, "/reset/nope": 404,
        "/no-such-page": 404,
    }
    for url, status in anonymous_pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert HELP_LINK in response.text, url
    assert HELP_LINK in client.get("/logout").text  # the 405 page
    assert HELP_LINK in client.post("/login", data={"email": "x" * (2 * 1024 * 1024)}).text  # the 413 page
    for persona in ("mentee_a", "mentor_a", "coordinator"):
        signed_in = login_as(persona)
        for url in ("/home", "/account", "/help", "/no-such-page"):
            assert HELP_LINK in signed_in.get(url).text, f"{persona} {url}"
    coordinator = login_as("coordinator")
    for url in ("/people", f"/people/{personas.mentee_a.id}", "/invitations", "/matches", "/matches/new",
                f"/matches/{personas.match_a.id}", "/audit"):
        assert HELP_LINK in coordinator.get(url).text, url
    assert HELP_LINK in login_as("mentor_a").get("/people").text  # a 404 for a mentor


def test_the_500_page_has_a_get_help_now_link(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False, TESTING=False)

    def broken_view():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken_view)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert HELP_LINK in response.text


def test_the_programs_own_crisis_lines_replace_the_default(app_factory):
    text = "Harbor Warmline: call 555-0100, 9am to 9pm. In an emergency call 911."
    client = app_factory(CRISIS_LINE_TEXT=text).test_client()
    response = client.get("/help")
    assert response.status_code == 200
    assert "Harbor Warmline: call 555-0100, 9am to 9pm." in response.text
    assert DEFAULT_988 not in response.text
    assert 'href="tel:988"' not in response.text


def test_crisis_line_text_is_escaped(app_factory):
    client = app_factory(CRISIS_LINE_TEXT="Call <b>555</b><script>alert(1)</script>").test_client()
    text = client.get("/help").text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_a_coordinator_is_asked_to_set_the_programs_own_lines_while_they_are_unset(login_as):
    assert COORDINATOR_PROMPT in login_as("coordinator").get("/help").text
    assert COORDINATOR_PROMPT not in login_as("mentor_a").get("/help").text
    assert COORDINATOR_PROMPT not in login_as("mentee_a").get("/help").text
    assert COORDINATOR_PROMPT not in login_as("anonymous").get("/help").text


def test_a_coordinator_is_not_asked_once_the_lines_are_set(app_factory, personas):
    client = app_factory(CRISIS_LINE_TEXT="Harbor Warmline 555-0100").test_client()
    assert login(client, personas.coordinator).status_code == 303
    text = client.get("/help").text
    assert "Harbor Warmline 555-0100" in text
    assert COORDINATOR_PROMPT not in text


def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


# The database is down. Each test builds the working app first (for a signed-in cookie),
# then the app whose database is unreachable: all apps share one database proxy, the
# last one built wins.

def _unreachable_urls(tmp_path):
    return {
        "sqlite": f"sqlite:///{tmp_path / 'no-such-directory' / 'tandem.sqlite3'}",
        "postgres": f"postgresql://postgres@127.0.0.1:{free_port()}/tandem",
    }


@pytest.fixture(params=["sqlite", "postgres"])
def down_url(request, tmp_path):
    return _unreachable_urls(tmp_path)[request.param]


def _signed_in_cookie(app_factory, user):
    client = app_factory().test_client()
    assert login(client, user).status_code == 303
    cookie = client.get_cookie("tandem_session")
    assert cookie is not None
    return cookie.value


def test_health_is_503_when_the_database_is_unreachable(app_factory, down_url):
    response = app_factory(DATABASE_URL=down_url).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}


def test_the_help_page_loads_when_the_database_is_down(app_factory, down_url):
    client = app_factory(DATABASE_URL=down_url).test_client()
    response = client.get("/help")
    assert response.status_code == 200
    assert DEFAULT_988 in response.text
    assert HELP_LINK in response.text


def test_the_help_page_loads_for_a_signed_in_person_when_the_database_is_down(app_factory, personas, down_url):
    cookie = _signed_in_cookie(app_factory, personas.coordinator)
    client = app_factory(DATABASE_URL=down_url).test_client()
    client.set_cookie("tandem_session", cookie)
    response = client.get("/help")
    assert response.status_code == 200
    assert DEFAULT_988 in response.text


def test_the_programs_own_lines_show_when_the_database_is_down(app_factory, down_url):
    client = app_factory(DATABASE_URL=down_url, CRISIS_LINE_TEXT="Harbor Warmline 555-0100").test_client()
    response = client.get("/help")
    assert response.status_code == 200
    assert "Harbor Warmline 555-0100" in response.text


def test_other_pages_say_the_app_is_in_trouble_and_point_to_help_when_the_database_is_down(
        app_factory, personas, down_url):
    cookie = _signed_in_cookie(app_factory, personas.mentee_a)
    client = app_factory(DATABASE_URL=down_url).test_client()
    response = client.get("/login")
    assert response.status_code in (200, 503)
    assert HELP_LINK in response.text
    client.set_cookie("tandem_session", cookie)
    response = client.get("/home")
    assert response.status_code == 503
    assert "having trouble" in response.text
    assert HELP_LINK in response.text
    assert "Traceback" not in response.text
