"""Small helpers shared by the browser flow tests: people, signing in and out, where a page is,
and reading the database the live server writes to."""
import re
from contextlib import contextmanager

from tests.conftest import TEST_PASSWORD


def path_of(page):
    """The page's path without scheme, host, query string or fragment."""
    return _path(page.url)


def expect_path(page, pattern):
    """The page ended up at a path matching `pattern` (a full-match regular expression)."""
    page.wait_for_load_state()
    assert re.fullmatch(pattern, path_of(page)), f"expected {pattern}, landed on {page.url}"
    return path_of(page)


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]


def wait_for_path(page, pattern):
    """Wait until the page (perhaps navigated by its own script) reaches `pattern`."""
    page.wait_for_url(lambda url: re.fullmatch(pattern, _path(url)) is not None)
    page.wait_for_load_state()
    return path_of(page)


def main_text(page):
    return page.locator("main").inner_text()


def sign_in(page, email, password=TEST_PASSWORD, landing=r"/home"):
    if "/login" not in page.url:
        page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    return expect_path(page, landing)


def sign_out(page):
    page.locator(".site-nav").get_by_role("button", name="Sign out").click()
    expect_path(page, "/login")


def nav(page, label):
    """Follow a link of the main navigation."""
    page.locator(".site-nav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def mark_document(page):
    """With JavaScript, tag the loaded document, so `still_same_document` can tell that an
    action was swapped in place by htmx rather than done by loading a new page."""
    if page.context.tandem_javascript:
        page.evaluate("() => { window.tandemSameDocument = true; }")


def still_same_document(page):
    if page.context.tandem_javascript:
        assert page.evaluate("() => window.tandemSameDocument === true"), f"{page.url} was loaded again"


@contextmanager
def database_of(live_server):
    """Query or change the live server's database directly (an app context of the same app)."""
    with live_server.app.app_context():
        yield


def pair(live_server, mentee=("mentee@example.org", "Ada Mentee"), mentor=("mentor@example.org", "Milo Mentor")):
    """An active match: (mentee, mentor, match)."""
    mentee_user = live_server.make_user(*mentee, "mentee")
    mentor_user = live_server.make_user(*mentor, "mentor")
    with database_of(live_server):
        from app.matches.models import Match

        match = Match.create(mentor=mentor_user, mentee=mentee_user)
    return mentee_user, mentor_user, match
