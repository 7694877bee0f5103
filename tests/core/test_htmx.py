"""One URL serves the page and its fragment; app.htmx.render decides which.

DESIGN.md "htmx patterns": a plain, boosted or history-restore request gets the
whole page; any other htmx request gets the fragment; responses vary on HX-Request.
"""
import re

import pytest
from jinja2 import ChoiceLoader, DictLoader

from app.htmx import render, wants_fragment
from tests.core.routes import app_without_pushed_context

FULL = "full page"
FRAGMENT = "fragment"

HEADER_CASES = [
    ({}, FULL),
    ({"HX-Request": "true"}, FRAGMENT),
    ({"HX-Request": "true", "HX-Boosted": "true"}, FULL),
    ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, FULL),
    ({"HX-Request": "false"}, FULL),
]


@pytest.fixture
def app(app_factory):
    return app_without_pushed_context(app_factory)


# The helper itself, with templates of its own.

@pytest.fixture
def helper_app(app):
    app.jinja_loader = ChoiceLoader([
        DictLoader({
            "demo/page.html": "<!doctype html><html><body><h1>Page</h1>{% include 'demo/part.html' %}</body></html>",
            "demo/part.html": "<p id=part>part for {{ who }}</p>",
        }),
        app.jinja_loader,
    ])
    return app


@pytest.mark.parametrize("headers, expected", HEADER_CASES)
def test_render_picks_the_page_or_the_fragment_from_the_request_headers(helper_app, headers, expected):
    with helper_app.test_request_context("/demo", headers=headers):
        response = render("demo/page.html", "demo/part.html", who="Ada")
        text = response.get_data(as_text=True)
        assert wants_fragment() == (expected == FRAGMENT)
    assert "part for Ada" in text
    if expected == FULL:
        assert text.startswith("<!doctype html>") and "<h1>Page</h1>" in text
    else:
        assert text == "<p id=part>part for Ada</p>"
    assert "HX-Request" in response.vary


def test_render_without_a_fragment_template_always_gives_the_page(helper_app):
    with helper_app.test_request_context("/demo", headers={"HX-Request": "true"}):
        response = render("demo/page.html", who="Ada")
    assert "<h1>Page</h1>" in response.get_data(as_text=True)
    assert "HX-Request" in response.vary


def test_render_passes_the_status_code_through(helper_app):
    with helper_app.test_request_context("/demo", headers={"HX-Request": "true"}):
        response = render("demo/page.html", "demo/part.html", status_code=422, who="Ada")
    assert response.status_code == 422
    assert response.get_data(as_text=True) == "<p id=part>part for Ada</p>"


# The same through real pages.

LIST_PAGES = [
    # url, text only the full page has, text the fragment has
    ("/people", 'id="people-rows"', "Ada Mentee"),
    ("/matches", "<h1>", "Ada Mentee"),
    ("/audit", "<h1>", "login.success"),
]


@pytest.mark.parametrize("url, page_only, in_fragment", LIST_PAGES)
@pytest.mark.parametrize("headers, expected", HEADER_CASES)
def test_list_pages_answer_htmx_with_the_rows_and_everything_else_with_the_page(
        login_as, url, page_only, in_fragment, headers, expected):
    response = login_as("coordinator").get(url, headers=headers)
    assert response.status_code == 200
    assert in_fragment in response.text
    if expected == FULL:
        assert "<html" in response.text and page_only in response.text
        assert "Get help now" in response.text
    else:
        assert "<html" not in response.text and "<body" not in response.text
        assert page_only not in response.text
        assert "<form" not in response.text  # the filters belong to the page, not the rows
    assert "HX-Request" in response.headers.get("Vary", "")


def test_the_fragment_is_the_same_markup_the_page_includes(login_as):
    client = login_as("coordinator")
    page = client.get("/people?role=mentee").text
    fragment = client.get("/people?role=mentee", headers={"HX-Request": "true"}).text
    assert fragment.strip()
    assert fragment.strip() in page
    assert "Ada Mentee" in fragment and "Bea Mentee" in fragment and "Abe Mentor" not in fragment


def test_a_filtered_fragment_shows_only_the_matching_rows(login_as):
    fragment = login_as("coordinator").get("/people?q=bea", headers={"HX-Request": "true"}).text
    assert "Bea Mentee" in fragment
    assert "Ada Mentee" not in fragment


def test_the_page_turns_htmx_history_snapshots_off(client):
    """No page (journal text later) is kept in the browser's storage for back/forward."""
    page = client.get("/login").text
    assert '<meta name="htmx-config"' in page
    assert '"history": "reload"' in page or '"history": false' in page


def test_no_script_we_serve_keeps_anything_in_browser_storage(client):
    page = client.get("/login").text
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', page)
    assert len(scripts) >= 2
    for src in scripts:
        source = client.get(src).get_data(as_text=True)
        assert source, src
        for storage in ("localStorage", "sessionStorage", "indexedDB"):
            assert storage not in source, f"{src} uses {storage}"
