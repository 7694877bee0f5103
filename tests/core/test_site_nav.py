"""The navigation is written once per language, role and page, and kept (app/core/site_nav.py):
every page still marks where the person is, in their language, with their own session's token."""
import re

import pytest

from app.auth.models import User
from app.core import site_nav
from tests.conftest import csrf_token_from, signed_in_client, write_catalogue

NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def nav_of(page):
    return NAV.search(page).group(0)


def current_links(nav):
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def links(nav):
    return re.findall(r'<a href="([^"]+)"', nav)


MENTEE_LINKS = ["/home", "/journal", "/goals", "/meetings", "/account"]
MENTOR_LINKS = ["/home", "/journal/shared", "/goals", "/meetings", "/account"]
COORDINATOR_LINKS = ["/home", "/people", "/invitations", "/matches", "/journal/prompts", "/audit", "/account"]


@pytest.mark.parametrize(("persona", "url", "current", "every_link"), [
    ("mentee_a", "/home", ["/home"], MENTEE_LINKS),
    ("mentee_a", "/journal", ["/journal"], MENTEE_LINKS),
    ("mentee_a", "/journal/new", ["/journal"], MENTEE_LINKS),
    ("mentee_a", "/goals", ["/goals"], MENTEE_LINKS),
    ("mentee_a", "/help", [], MENTEE_LINKS),
    ("mentor_a", "/journal/shared", ["/journal/shared"], MENTOR_LINKS),
    ("mentor_a", "/meetings", ["/meetings"], MENTOR_LINKS),
    ("coordinator", "/people", ["/people"], COORDINATOR_LINKS),
    ("coordinator", "/invitations", ["/invitations"], COORDINATOR_LINKS),
    ("coordinator", "/journal/prompts", ["/journal/prompts"], COORDINATOR_LINKS),
    ("coordinator", "/account", ["/account"], COORDINATOR_LINKS),
])
def test_each_page_marks_the_link_of_its_section(app, personas, persona, url, current, every_link):
    client = signed_in_client(app, personas.by_name(persona))
    for _ in range(2):  # written, then kept
        page = client.get(url)
        assert page.status_code == 200
        nav = nav_of(page.text)
        assert current_links(nav) == current
        assert links(nav) == every_link


def test_the_kept_navigation_is_what_the_template_writes_for_the_page(app, personas):
    client = signed_in_client(app, personas.mentor_a)
    client.get("/goals")
    page = client.get("/goals").text  # from the kept navigation
    endpoint = app.url_map.bind("localhost").match("/goals")[0]
    with app.test_request_context("/goals"):
        app.preprocess_request()
        fresh = app.jinja_env.for_viewer().get_template("core/site_nav.html").render(
            role="mentor", endpoint=endpoint, form_token=csrf_token_from(page))
    assert nav_of(page) == nav_of(fresh)


def test_each_browser_gets_its_own_token_and_the_sign_out_form_works(app_factory, personas):
    app = app_factory(WTF_CSRF_ENABLED=True)
    first, second = (signed_in_client(app, personas.mentee_a) for _ in range(2))
    tokens = []
    for client in (first, second, first):
        page = client.get("/journal").text
        form_token = re.search(r'name="csrf_token" value="([^"]+)"', nav_of(page)).group(1)
        assert form_token == re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        tokens.append(form_token)
    assert tokens[0] == tokens[2] != tokens[1]
    signed_out = second.post("/logout", data={"csrf_token": tokens[1]})
    assert signed_out.status_code == 303
    assert second.get("/journal").headers["Location"].startswith("/login")
    assert first.get("/journal").status_code == 200  # the other browser is still signed in


def test_written_once_per_language_role_and_page(app, personas, monkeypatch):
    written = []
    real = site_nav.SiteNav._write
    monkeypatch.setattr(site_nav.SiteNav, "_write",
                        lambda self, key, catalogue, role, endpoint: written.append((role, endpoint))
                        or real(self, key, catalogue, role, endpoint))
    mentee_a, mentee_b = signed_in_client(app, personas.mentee_a), signed_in_client(app, personas.mentee_b)
    mentor = signed_in_client(app, personas.mentor_a)
    for client, url in ((mentee_a, "/journal"), (mentee_b, "/journal"), (mentee_a, "/journal"),
                        (mentor, "/home"), (mentee_a, "/goals"), (mentor, "/home")):
        assert client.get(url).status_code == 200
    assert written == [("mentee", "journal.list_entries"), ("mentor", "core.home"), ("mentee", "goals.overview")]


def test_each_language_gets_its_own_navigation(app_factory, personas, tmp_path):
    # Italian: Flask-Babel keeps loaded catalogues per language for the process, and no other test uses it.
    write_catalogue(tmp_path / "translations", "it", {"Journal": "Diario", "Sign out": "Esci"})
    app = app_factory(LANGUAGES=["en", "it"], BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    User.update(locale="it").where(User.id == personas.mentee_a.id).execute()
    italian, english = signed_in_client(app, personas.mentee_a), signed_in_client(app, personas.mentee_b)
    for client, words, not_words in ((italian, ("Diario", "Esci"), ("Journal", "Sign out")),
                                     (english, ("Journal", "Sign out"), ("Diario", "Esci")),
                                     (italian, ("Diario", "Esci"), ("Journal", "Sign out"))):
        nav = nav_of(client.get("/journal").text)
        assert all(word in nav for word in words) and not any(word in nav for word in not_words)
