"""The journal end to end in a real browser at a 390x844 phone viewport.

A mentee writes an entry with a mood and feelings and shares it; the mentor reads it and
replies; the mentee sees the reply on the entry and on the home page. Every journal page on
the way is checked with axe-core, for sideways scrolling, tap targets and console errors.
Then the promise "never lose a word": the connection drops while saving (one entry, the
full text, once it is back), the session ends while typing (the words typed after the end
are there after signing in again), and no journal text is ever put in browser storage.
"""
import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.flows import (
    database_of,
    expect_path,
    main_text,
    mark_document,
    nav,
    pair,
    sign_in,
    still_same_document,
    wait_for_path,
)

pytestmark = pytest.mark.browser

MENTEE = "mentee@example.org"
MENTOR = "mentor@example.org"
ENTRY_PATH = r"/journal/entries/\d+"


def body_field(page):
    return page.get_by_label("What's on your mind?")


def save_status(page):
    return page.locator("#save-status")


def wait_for_autosave(page):
    expect(save_status(page)).to_have_text("Saved as a draft")


def browser_storage(page):
    """How many items the page keeps in localStorage, sessionStorage and IndexedDB."""
    return page.evaluate("""async () => ({
        local: window.localStorage.length,
        session: window.sessionStorage.length,
        indexeddb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
    })""")


def assert_no_browser_storage(page):
    assert browser_storage(page) == {"local": 0, "session": 0, "indexeddb": 0}, page.url


def entries_of(live_server, user):
    with database_of(live_server):
        from app.journal.models import JournalEntry

        return list(JournalEntry.select().where(JournalEntry.author == user.id).order_by(JournalEntry.id))


def drafts_of(live_server, user):
    with database_of(live_server):
        from app.journal.models import JournalDraft

        return list(JournalDraft.select().where(JournalDraft.author == user.id))


def test_mentee_shares_an_entry_and_the_mentor_replies(live_server, new_context):
    mentee, mentor, _match = pair(live_server)
    text = "Went to the morning group.\nTalked about the weekend and felt lighter afterwards."
    reply = "So glad the group helped. Proud of you for going."

    page = new_context().new_page()
    sign_in(page, MENTEE)
    nav(page, "Journal")
    expect_path(page, "/journal")
    assert "Your journal is empty." in main_text(page)
    check_page(page)

    # Write: a mood (labelled with words), two feelings, their own words and the text.
    page.get_by_role("link", name="Write an entry").click()
    expect_path(page, "/journal/new")
    check_page(page)
    page.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_role("checkbox", name="Hopeful").check()
    page.get_by_role("checkbox", name="Tired").check()
    page.get_by_label("In your own words (optional)").fill("a bit wobbly")
    body_field(page).fill(text)
    assert_no_browser_storage(page)
    page.get_by_role("button", name="Save entry").click()
    entry_path = wait_for_path(page, ENTRY_PATH)
    entry_id = int(entry_path.rsplit("/", 1)[1])
    expect(page.locator(".flashes")).to_contain_text("Saved. Well done for taking a moment to write.")
    article = page.locator("article.entry")
    expect(article).to_contain_text("Mood 4 of 5: Good")
    expect(article).to_contain_text("Feelings: Hopeful, Tired, a bit wobbly")
    assert page.locator(".entry__body").inner_text() == text
    sharing = page.get_by_role("region", name="Sharing")
    expect(sharing).to_contain_text("Private: only you can read this.")
    check_page(page)

    # Share it with the switch (htmx swaps the switch in place).
    mark_document(page)
    sharing.get_by_role("button", name="Share with Milo Mentor").click()
    expect(sharing).to_contain_text("Shared with your mentor. They can read it and reply.")
    expect(sharing.get_by_role("button", name="Stop sharing")).to_have_attribute("aria-pressed", "true")
    [entry] = entries_of(live_server, mentee)
    assert entry.id == entry_id and entry.shared_with_id == mentor.id and entry.body == text
    still_same_document(page)
    check_page(page)
    assert_no_browser_storage(page)

    # The rest of the mentee's journal pages.
    page.get_by_role("link", name="All entries").click()
    expect_path(page, "/journal")
    row = page.locator(".entry-item")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Shared")
    check_page(page)
    for tab, path in [("Mood", "/journal/mood"), ("Export", "/journal/export"),
                      ("Sharing settings", "/journal/settings")]:
        page.get_by_role("navigation", name="Journal").get_by_role("link", name=tab).click()
        expect_path(page, path)
        check_page(page)
    page.goto("/journal/export")
    page.get_by_role("link", name="A readable page you can print or save as PDF").click()
    expect_path(page, "/journal/export/print")
    assert text.splitlines()[1] in main_text(page)
    check_page(page)

    # The mentor sees the shared entry, unread, and replies.
    mentor_page = new_context().new_page()
    sign_in(mentor_page, MENTOR)
    assert "1 shared entry you have not read yet." in main_text(mentor_page)
    nav(mentor_page, "Shared entries")
    expect_path(mentor_page, "/journal/shared")
    shared = mentor_page.locator("main .item")
    expect(shared).to_have_count(1)
    expect(shared.locator(".badge")).to_have_text(["New"])
    expect(shared).to_contain_text("Mood 4 of 5: Good")
    check_page(mentor_page)
    shared.get_by_role("link", name="Ada Mentee", exact=False).click()
    expect_path(mentor_page, f"/journal/mentees/{mentee.id}/entries/{entry_id}")
    assert mentor_page.locator(".entry__body").inner_text() == text
    check_page(mentor_page)
    mark_document(mentor_page)
    mentor_page.get_by_label("Reply").fill(reply)
    mentor_page.get_by_role("button", name="Send reply").click()
    replies = mentor_page.locator("#entry-replies")
    expect(replies).to_contain_text("Your reply is on the entry.")
    expect(replies.locator(".item")).to_have_count(1)
    expect(replies.locator(".item")).to_contain_text(reply)
    expect(mentor_page.get_by_label("Reply")).to_have_value("")
    still_same_document(mentor_page)
    check_page(mentor_page)
    mentor_page.get_by_role("link", name="Shared by Ada Mentee").click()
    expect_path(mentor_page, f"/journal/mentees/{mentee.id}")
    expect(mentor_page.locator("main .item")).to_have_count(1)
    expect(mentor_page.locator("main .item .badge")).to_have_count(0)  # read: no "New" marker
    check_page(mentor_page)

    # The mentee sees the reply on the home page, then on the entry.
    page.goto("/home")
    section = page.get_by_role("region", name="Your journal")
    expect(section).to_contain_text("Replies from your mentor")
    expect(section).to_contain_text(reply)
    expect(section.locator(".badge")).to_have_text(["New"])
    check_page(page)
    section.get_by_role("link", name="On your entry of").click()
    expect_path(page, entry_path)
    expect(page.get_by_role("region", name="Replies from your mentor")).to_contain_text(reply)
    check_page(page)
    page.goto("/home")
    expect(page.get_by_role("region", name="Your journal").locator(".badge")).to_have_count(0)
    assert_no_browser_storage(page)


def test_an_entry_saved_offline_is_saved_once_with_every_word_when_back_online(live_server, new_context):
    mentee, _mentor, _match = pair(live_server)
    first = "Started writing on the bus."
    full = first + " Then the signal dropped in the tunnel, and I kept going anyway."

    context = new_context()
    page = context.new_page()
    sign_in(page, MENTEE)
    page.goto("/journal/new")
    body_field(page).fill(first)
    wait_for_autosave(page)
    assert drafts_of(live_server, mentee)[0].body == first

    # The connection drops: the words stay on the page, and the page says they are not saved.
    context.set_offline(True)
    body_field(page).press_sequentially(full[len(first):])
    page.get_by_role("button", name="Save entry").click()
    expect(save_status(page)).to_contain_text("Not saved yet: no connection.")
    expect_path(page, "/journal/new")
    assert body_field(page).input_value() == full
    assert entries_of(live_server, mentee) == []
    assert_no_browser_storage(page)

    # Back online: the page saves by itself and goes to the new entry.
    context.set_offline(False)
    wait_for_path(page, ENTRY_PATH)
    assert page.locator(".entry__body").inner_text() == full
    [entry] = entries_of(live_server, mentee)
    assert entry.body == full
    assert drafts_of(live_server, mentee) == []
    # A late retry of the same post (same idempotency key) adds nothing.
    page.goto("/journal")
    expect(page.locator(".entry-item")).to_have_count(1)
    assert len(entries_of(live_server, mentee)) == 1
    assert_no_browser_storage(page)


def test_text_typed_after_the_session_expired_is_there_after_signing_in_again(live_server, new_context):
    mentee, _mentor, _match = pair(live_server)
    before = "Hard day at work, but I did not pick up."
    after = " I called my sister instead and we laughed about the dog."

    page = new_context().new_page()
    sign_in(page, MENTEE)
    page.goto("/journal/new")
    page.get_by_role("radio", name="Okay", exact=True).check()
    body_field(page).fill(before)
    wait_for_autosave(page)

    # The session times out on the server while the mentee is still typing.
    with database_of(live_server):
        from app.auth.models import UserSession
        from app.db import utcnow

        long_ago = utcnow() - datetime.timedelta(hours=3)
        assert UserSession.update(last_seen=long_ago).where(UserSession.user == mentee.id).execute() == 1
    body_field(page).press_sequentially(after)
    expect(save_status(page)).to_contain_text("Your session has ended.")
    wait_for_path(page, "/login")
    assert "What you were writing is saved as a draft." in main_text(page)
    # The 401 answer to the autosave is the expected signal, which the browser logs as a failed load.
    page.problems = [p for p in page.problems if not ("status of 401" in p and "/journal/draft" in p)]
    check_page(page)
    [draft] = drafts_of(live_server, mentee)
    assert draft.body == before + after

    # Signing in again leads back to the entry, with every word.
    sign_in(page, MENTEE, landing="/journal/new")
    assert body_field(page).input_value() == before + after
    expect(page.get_by_role("radio", name="Okay", exact=True)).to_be_checked()
    expect(save_status(page)).to_contain_text("Draft restored")
    check_page(page)
    page.get_by_role("button", name="Save entry").click()
    wait_for_path(page, ENTRY_PATH)
    [entry] = entries_of(live_server, mentee)
    assert entry.body == before + after and entry.mood == 3


def test_journal_text_never_goes_into_browser_storage(live_server, new_context):
    """Writing, autosaving, saving, editing, sharing and going back and forth leave nothing in
    localStorage, sessionStorage, IndexedDB or Cache Storage."""
    mentee, _mentor, _match = pair(live_server)
    text = "Nobody else needs to read this sentence about the meeting tonight."
    edited = text + " Edited later: it went fine."

    page = new_context().new_page()
    sign_in(page, MENTEE)
    page.goto("/journal/new")
    body_field(page).fill(text)
    wait_for_autosave(page)
    assert_no_browser_storage(page)
    page.get_by_role("button", name="Save entry").click()
    entry_path = wait_for_path(page, ENTRY_PATH)
    assert_no_browser_storage(page)
    page.get_by_role("link", name="Edit").click()
    expect_path(page, entry_path + "/edit")
    body_field(page).fill(edited)
    wait_for_autosave(page)
    assert_no_browser_storage(page)
    page.get_by_role("button", name="Save changes").click()
    wait_for_path(page, ENTRY_PATH)
    expect(page.locator(".flashes")).to_contain_text("Your changes are saved.")
    assert page.locator(".entry__body").inner_text() == edited
    page.get_by_role("button", name="Share with Milo Mentor").click()
    expect(page.get_by_role("button", name="Stop sharing")).to_be_visible()
    page.get_by_role("link", name="All entries").click()
    expect_path(page, "/journal")
    page.go_back()
    expect_path(page, ENTRY_PATH)
    assert_no_browser_storage(page)
    # Nor does the browser keep it anywhere script can reach (Cache Storage).
    assert page.evaluate("async () => window.caches ? (await caches.keys()).length : 0") == 0
    assert [e.body for e in entries_of(live_server, mentee)] == [edited]
    assert drafts_of(live_server, mentee) == []
