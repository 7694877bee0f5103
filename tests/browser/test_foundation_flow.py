"""The foundation end to end in a real browser at a 390x844 phone viewport.

A coordinator invites a mentee (no mail server: the link is shown on the page), the mentee
joins and signs in again, a mentor and the coordinator sign in, and every page each role
reaches is checked with axe-core, for sideways scrolling, for tap targets and for console
errors. Signing out leaves nothing usable behind. The same works without JavaScript.
"""
import re

import pytest

from tests.browser.checks import assert_no_horizontal_scroll, assert_tap_targets, check_page
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSPHRASE = "lantern orchard pebble voyage"


def expect_path(page, path):
    """The page ended up at `path` (ignoring the query string)."""
    page.wait_for_load_state()
    current = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    assert current == path, f"expected {path}, landed on {page.url}"


def sign_in(page, email, password=TEST_PASSWORD):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect_path(page, "/home")


def sign_out(page):
    page.locator(".site-nav").get_by_role("button", name="Sign out").click()
    expect_path(page, "/login")
    assert "You have signed out." in page.locator("main").inner_text()


def nav_links(page):
    """(label, path) of the header's links: brand, help, and the main navigation."""
    links = page.locator(".site-header a").evaluate_all(
        "els => els.map(a => [a.textContent.trim(), a.getAttribute('href')])")
    return [tuple(link) for link in links]


COORDINATOR_ONLY = ["People", "Invitations", "Matches", "Audit"]


def assert_nav_for_people_in_the_program(page):
    """Mentors and mentees see their own pages, never the coordinator's."""
    labels = [label for label, _ in nav_links(page)]
    assert {"Tandem", "Get help now", "Home", "Account"} <= set(labels), labels
    assert not set(COORDINATOR_ONLY) & set(labels), labels


def tour(page, extra_paths=()):
    """Visit every page reachable from the navigation (and `extra_paths`), checking each."""
    visited = []
    for label, href in nav_links(page) + [(path, path) for path in extra_paths]:
        response = page.goto(href)
        assert response.status == 200, f"{label} ({href}) answered {response.status}"
        assert "/login" not in page.url, f"{label} ({href}) sent a signed-in person to sign in"
        check_page(page)
        visited.append(href)
    return visited


def test_invitation_sign_in_and_every_page_work_on_a_phone(live_server, new_context):
    live_server.make_user("coord@example.org", "Cora Coordinator", "coordinator")
    live_server.make_user("mentor@example.org", "Milo Mentor", "mentor")
    page = new_context().new_page()

    # Signed out: the sign-in and help pages.
    page.goto("/")
    expect_path(page, "/login")
    check_page(page)
    page.goto("/help")
    assert "988" in page.locator("main").inner_text()
    check_page(page)

    # The coordinator signs in through the form and invites a mentee.
    sign_in(page, "coord@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Cora Coordinator"
    check_page(page)
    page.locator(".site-nav").get_by_role("link", name="Invitations").click()
    expect_path(page, "/invitations")
    check_page(page)
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Role").select_option("mentee")
    page.get_by_role("button", name="Send invitation").click()
    link = page.get_by_role("textbox", name="Invitation link").input_value()
    assert link.startswith(live_server.url + "/invite/"), link
    check_page(page)
    sign_out(page)
    check_page(page)

    # The invitee opens the link, is told a weak password is not enough, then joins.
    page.goto(link)
    assert "nia@example.org" in page.locator("main").inner_text()
    check_page(page)
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Choose a password").fill("password1234")
    page.get_by_role("button", name="Create my account").click()
    assert page.locator(".field__error").count() == 1
    assert page.get_by_label("Choose a password").get_attribute("aria-invalid") == "true"
    check_page(page)
    page.get_by_label("Choose a password").fill(NEW_PASSPHRASE)
    page.get_by_role("button", name="Create my account").click()
    expect_path(page, "/home")
    main = page.locator("main").inner_text()
    assert "Welcome to Tandem, Nia Newcomer." in main
    assert "Your coordinator is finding a mentor for you." in main
    check_page(page)
    sign_out(page)

    # The link was single use.
    assert page.goto(link).status == 404
    check_page(page)

    # The new mentee signs in again through the form and sees only their own pages.
    sign_in(page, "nia@example.org", NEW_PASSPHRASE)
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Nia Newcomer"
    assert_nav_for_people_in_the_program(page)
    assert {"/", "/help", "/home", "/account"} <= set(tour(page))
    sign_out(page)

    # A mentor signs in to their home page.
    sign_in(page, "mentor@example.org")
    assert page.get_by_role("heading", name="Your mentees").is_visible()
    assert_nav_for_people_in_the_program(page)
    assert {"/", "/help", "/home", "/account"} <= set(tour(page))
    sign_out(page)

    # The coordinator signs in again, pairs the mentor with the new mentee, and visits
    # every coordinator page: lists, a person, a match, a new match.
    sign_in(page, "coord@example.org")
    labels = [label for label, _ in nav_links(page)]
    assert set(COORDINATOR_ONLY) | {"Tandem", "Get help now", "Home", "Account"} <= set(labels), labels
    page.locator(".site-nav").get_by_role("link", name="People").click()
    expect_path(page, "/people")
    page.get_by_role("link", name="Nia Newcomer").click()
    person_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/people/\d+", person_path), person_path
    check_page(page)
    page.get_by_role("link", name="Match Nia Newcomer with a mentor").click()
    expect_path(page, "/matches/new")
    check_page(page)
    page.get_by_label("Mentor").select_option(label="Milo Mentor (0 current mentees)")
    page.get_by_role("button", name="Create match").click()
    match_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/matches/\d+", match_path), match_path
    assert "Nia Newcomer is now matched with Milo Mentor." in page.locator("main").inner_text()
    check_page(page)
    visited = tour(page, extra_paths=[person_path, match_path, "/matches/new",
                                                 match_path + "/pause", person_path + "/deactivate"])
    assert {"/home", "/people", "/invitations", "/matches", "/audit", "/account", "/help"} <= set(visited)

    # Signing out ends the session on the server: neither going back, nor reopening an old
    # page, nor replaying the old cookie in another browser gets anything but the sign-in page.
    page.goto("/people")
    old_cookies = page.context.storage_state()
    sign_out(page)
    page.go_back()
    page.wait_for_load_state()
    assert "/login" in page.url and "Cora Coordinator" not in page.content()
    page.goto(person_path)
    expect_path(page, "/login")
    replay = new_context(storage_state=old_cookies).new_page()
    replay.goto("/people")
    expect_path(replay, "/login")
    assert "Nia Newcomer" not in replay.content()


def test_mentee_home_shows_their_mentor_after_matching(live_server, new_context):
    mentor = live_server.make_user("mentor@example.org", "Milo Mentor", "mentor")
    mentee = live_server.make_user("mentee@example.org", "Ada Mentee", "mentee")
    with live_server.app.app_context():
        from app.matches.models import Match

        Match.create(mentor=mentor, mentee=mentee)
    page = new_context().new_page()
    sign_in(page, "mentee@example.org")
    assert "You are matched with Milo Mentor" in page.locator("main").inner_text()
    check_page(page)
    sign_out(page)
    sign_in(page, "mentor@example.org")
    assert "Ada Mentee" in page.locator("main").inner_text()
    check_page(page)


def test_signing_in_navigating_and_out_works_without_javascript(live_server, new_context):
    live_server.make_user("coord@example.org", "Cora Coordinator", "coordinator")
    live_server.make_user("mentee@example.org", "Ada Mentee", "mentee")
    context = new_context(java_script_enabled=False)
    page = context.new_page()

    sign_in(page, "coord@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Cora Coordinator"
    for label, path in [("People", "/people"), ("Invitations", "/invitations"), ("Matches", "/matches"),
                        ("Audit", "/audit"), ("Account", "/account"), ("Home", "/home")]:
        page.locator(".site-nav").get_by_role("link", name=label).click()
        expect_path(page, path)
        assert page.locator(".site-nav a[aria-current=page]").inner_text() == label
        assert_no_horizontal_scroll(page)
        assert_tap_targets(page)

    # A filter form (htmx-enhanced) still works as a plain GET form.
    page.locator(".site-nav").get_by_role("link", name="People").click()
    page.get_by_label("Role").select_option("mentee")
    page.get_by_role("button", name="Filter").click()
    expect_path(page, "/people")
    assert "role=mentee" in page.url
    names = page.locator(".item__title").all_inner_texts()
    assert names == ["Ada Mentee"], names

    # A write without JavaScript: invite someone; the form posts with its CSRF token.
    page.locator(".site-nav").get_by_role("link", name="Invitations").click()
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_role("textbox", name="Invitation link").input_value().startswith(live_server.url + "/invite/")

    page.goto("/account")
    old_cookies = context.storage_state()
    sign_out(page)
    page.goto("/home")
    expect_path(page, "/login")
    replay = new_context(storage_state=old_cookies, java_script_enabled=False).new_page()
    replay.goto("/account")
    expect_path(replay, "/login")
