"""What a mentor sees: entries shared by active mentees, unread markers, replies; nothing after the match ends."""
import datetime

import pytest

from app.cli import migration_runner
from app.db import utcnow
from app.journal.models import JournalEntry, JournalRead, JournalReply, JournalSettings
from tests.journal.conftest import audit_actions, make_entry, make_reply

HX = {"HX-Request": "true"}


@pytest.fixture
def shared(personas):
    """Two entries Ada shared with mentor A, one she kept private, and one Bea shared with mentor B."""
    first = make_entry(personas.mentee_a, body="First shared entry.", mood=2, days_ago=2, shared_with=personas.mentor_a)
    second = make_entry(personas.mentee_a, body="Second shared entry.", mood=4, days_ago=1,
                        shared_with=personas.mentor_a)
    private = make_entry(personas.mentee_a, body="Kept to myself.", mood=1)
    other = make_entry(personas.mentee_b, body="Bea's shared entry.", shared_with=personas.mentor_b)
    return {"first": first, "second": second, "private": private, "other": other}


def entry_url(personas, entry):
    return f"/journal/mentees/{personas.mentee_a.id}/entries/{entry.id}"


def test_the_mentor_lists_only_entries_shared_with_them_all_unread_at_first(login_as, personas, shared):
    page = login_as("mentor_a").get("/journal/shared").text
    assert entry_url(personas, shared["first"]) in page
    assert entry_url(personas, shared["second"]) in page
    assert f"/entries/{shared['private'].id}" not in page
    assert f"/entries/{shared['other'].id}" not in page
    assert page.count("item--unread") == 2
    assert page.count(">New<") == 2
    assert "Mood 2 of 5" in page and "Mood 1 of 5" not in page
    # The list names the mentee and the day, never the text.
    assert "Ada Mentee" in page
    assert "First shared entry." not in page


def test_an_entry_stays_unread_until_the_mentor_opens_it(login_as, personas, shared):
    mentor = login_as("mentor_a")
    assert mentor.get("/journal/shared").text.count("item--unread") == 2
    assert "2 shared entries you have not read yet." in mentor.get("/home").text

    response = mentor.get(entry_url(personas, shared["first"]))
    assert response.status_code == 200
    assert "First shared entry." in response.text
    page = mentor.get("/journal/shared").text
    assert page.count("item--unread") == 1
    unread_row = page[page.index("item--unread"):]
    assert entry_url(personas, shared["second"]) in unread_row.split("</li>")[0]
    assert "1 shared entry you have not read yet." in mentor.get("/home").text

    mentor.get(entry_url(personas, shared["first"]))  # reading again keeps one marker
    assert JournalRead.select().count() == 1


def test_a_mentor_reading_an_entry_is_audited(login_as, personas, shared):
    login_as("mentor_a").get(entry_url(personas, shared["second"]))
    [event] = audit_actions("journal.entry_read")
    assert (event.actor_id, event.subject_id, event.object_type, event.object_id) == (
        personas.mentor_a.id, personas.mentee_a.id, "journalentry", shared["second"].id)
    marker = JournalRead.get()
    assert (marker.entry_id, marker.reader_id) == (shared["second"].id, personas.mentor_a.id)


def test_the_mentor_sees_one_mentees_shared_entries(login_as, personas, shared):
    mentor = login_as("mentor_a")
    response = mentor.get(f"/journal/mentees/{personas.mentee_a.id}")
    assert response.status_code == 200
    assert "Shared by Ada Mentee" in response.text
    assert entry_url(personas, shared["first"]) in response.text
    assert entry_url(personas, shared["second"]) in response.text
    assert f"/entries/{shared['private'].id}" not in response.text
    [event] = audit_actions("journal.shared_list_read")
    assert (event.actor_id, event.subject_id) == (personas.mentor_a.id, personas.mentee_a.id)


def test_the_mentor_cannot_reach_a_private_entry_or_another_mentors_mentee(login_as, personas, shared):
    mentor = login_as("mentor_a")
    assert mentor.get(entry_url(personas, shared["private"])).status_code == 404
    assert mentor.get(f"/journal/mentees/{personas.mentee_b.id}").status_code == 404
    assert mentor.get(f"/journal/mentees/{personas.mentee_b.id}/entries/{shared['other'].id}").status_code == 404
    # An entry id under the wrong mentee is not found either.
    assert mentor.get(f"/journal/mentees/{personas.mentee_b.id}/entries/{shared['first'].id}").status_code == 404
    assert JournalRead.select().count() == 0
    assert audit_actions("journal.entry_read") == []


def test_the_mentor_replies_with_a_plain_form(login_as, personas, shared):
    mentor = login_as("mentor_a")
    response = mentor.post(entry_url(personas, shared["first"]) + "/replies",
                           data={"body": "  Thank you for trusting me with this.\nSee you Thursday.  "})
    assert response.status_code == 303
    assert response.headers["Location"] == entry_url(personas, shared["first"])
    reply = JournalReply.get()
    assert (reply.entry_id, reply.author_id) == (shared["first"].id, personas.mentor_a.id)
    assert reply.body == "Thank you for trusting me with this.\nSee you Thursday."
    [event] = audit_actions("journal.reply_create")
    assert (event.actor_id, event.subject_id, event.object_id) == (personas.mentor_a.id, personas.mentee_a.id, reply.id)
    page = mentor.get(response.headers["Location"]).text
    assert "Your reply is on the entry." in page
    assert "Thank you for trusting me with this.\nSee you Thursday." in page


def test_the_mentor_replies_with_htmx_and_gets_the_replies_fragment(login_as, personas, shared):
    mentor = login_as("mentor_a")
    make_reply(shared["first"], personas.mentor_a, body="An earlier reply.")
    response = mentor.post(entry_url(personas, shared["first"]) + "/replies", data={"body": "Proud of you."},
                           headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="entry-replies"' in response.text
    assert "An earlier reply." in response.text and "Proud of you." in response.text
    assert "Your reply is on the entry." in response.text
    assert JournalReply.select().count() == 2


def test_an_empty_reply_is_refused(login_as, personas, shared):
    mentor = login_as("mentor_a")
    response = mentor.post(entry_url(personas, shared["first"]) + "/replies", data={"body": "   "}, headers=HX)
    assert response.status_code == 422
    assert "Write a reply first." in response.text
    assert "<html" not in response.text
    response = mentor.post(entry_url(personas, shared["first"]) + "/replies", data={"body": "x" * 1001})
    assert response.status_code == 422
    assert JournalReply.select().count() == 0


def test_the_mentee_sees_replies_on_the_entry_and_on_their_home_page(login_as, personas, shared):
    make_reply(shared["first"], personas.mentor_a, body="You handled that so well.")
    mentee = login_as("mentee_a")
    home = mentee.get("/home").text
    assert "Replies from your mentor" in home
    assert "You handled that so well." in home
    assert f'href="/journal/entries/{shared["first"].id}"' in home
    assert "item--unread" in home

    page = mentee.get(f"/journal/entries/{shared['first'].id}").text
    assert "You handled that so well." in page
    assert JournalReply.get().seen_by_mentee is True
    assert "item--unread" not in mentee.get("/home").text
    assert "1 reply" in mentee.get("/journal").text


def test_a_reply_names_the_mentee_whose_entry_it_answers(login_as, personas, shared):
    mentor = login_as("mentor_a")
    assert mentor.post(entry_url(personas, shared["first"]) + "/replies", data={"body": "Well done."}).status_code in (
        200, 302, 303)
    assert JournalReply.get().mentee_id == personas.mentee_a.id


def test_the_home_page_shows_the_three_newest_replies_newest_first(login_as, personas, shared):
    for hours_ago, body in ((5, "Oldest reply."), (4, "Second reply."), (3, "Third reply."), (1, "Newest reply.")):
        JournalReply.create(entry=shared["first"], author=personas.mentor_a, body=body,
                            created=utcnow() - datetime.timedelta(hours=hours_ago))
    home = login_as("mentee_a").get("/home").text
    assert "Oldest reply." not in home
    assert home.index("Newest reply.") < home.index("Third reply.") < home.index("Second reply.")


def test_migration_0008_fills_in_the_mentee_of_replies_already_there(app, personas, shared):
    make_reply(shared["first"], personas.mentor_a)
    runner = migration_runner()
    runner.down(target="0007_tallies")
    assert "mentee_id" not in {column.name for column in app.extensions["database"].get_columns("journal_reply")}
    runner.up()
    assert [reply.mentee_id for reply in JournalReply.select()] == [personas.mentee_a.id]


def test_replies_are_not_shown_on_another_mentees_home(login_as, personas, shared):
    make_reply(shared["first"], personas.mentor_a, body="Only for Ada.")
    assert "Only for Ada." not in login_as("mentee_b").get("/home").text


def test_the_mentee_removes_a_reply_after_confirming(login_as, personas, shared):
    reply = make_reply(shared["first"], personas.mentor_a, body="Not what I needed to hear.")
    mentee = login_as("mentee_a")
    url = f"/journal/entries/{shared['first'].id}/replies/{reply.id}/delete"
    confirm = mentee.get(url)
    assert confirm.status_code == 200
    assert "Remove this reply?" in confirm.text
    assert "Not what I needed to hear." in confirm.text
    assert JournalReply.select().count() == 1

    response = mentee.post(url)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journal/entries/{shared['first'].id}"
    assert JournalReply.select().count() == 0
    [event] = audit_actions("journal.reply_delete")
    assert (event.actor_id, event.object_id) == (personas.mentee_a.id, reply.id)
    assert JournalEntry.get_or_none(JournalEntry.id == shared["first"].id) is not None


def test_a_reply_cannot_be_removed_through_another_entry(login_as, personas, shared):
    reply = make_reply(shared["first"], personas.mentor_a)
    mentee = login_as("mentee_a")
    assert mentee.post(f"/journal/entries/{shared['second'].id}/replies/{reply.id}/delete").status_code == 404
    assert login_as("mentee_b").post(
        f"/journal/entries/{shared['first'].id}/replies/{reply.id}/delete").status_code == 404
    assert JournalReply.select().count() == 1


@pytest.mark.parametrize("action", ["close", "pause"])
def test_after_the_match_is_closed_or_paused_every_mentor_journal_url_for_that_mentee_is_not_found(
        login_as, personas, shared, action):
    JournalSettings.create(user=personas.mentee_a, mood_visible_to_mentor=True)
    mentor = login_as("mentor_a")
    urls = [
        f"/journal/mentees/{personas.mentee_a.id}",
        f"/journal/mentees/{personas.mentee_a.id}?page=2",
        entry_url(personas, shared["first"]),
        entry_url(personas, shared["second"]),
        f"/journal/mentees/{personas.mentee_a.id}/mood",
        f"/journal/mentees/{personas.mentee_a.id}/mood?days=90",
    ]
    assert [mentor.get(url).status_code for url in urls] == [200] * len(urls)

    coordinator = login_as("coordinator")
    response = coordinator.post(f"/matches/{personas.match_a.id}/{action}", data={"reason": "Schedules changed."})
    assert response.status_code == 303

    for url in urls:
        assert mentor.get(url).status_code == 404, url
        assert mentor.get(url, headers=HX).status_code == 404, url
    assert mentor.post(entry_url(personas, shared["first"]) + "/replies", data={"body": "Still here?"}).status_code == 404
    assert JournalReply.select().count() == 0
    shared_list = mentor.get("/journal/shared").text
    assert f"/journal/mentees/{personas.mentee_a.id}/" not in shared_list
    assert "0 shared entries you have not read yet." in mentor.get("/home").text


def test_a_resumed_match_gives_the_mentor_back_what_is_still_shared(login_as, personas, shared):
    coordinator = login_as("coordinator")
    coordinator.post(f"/matches/{personas.match_a.id}/pause", data={"reason": "A break."})
    mentor = login_as("mentor_a")
    assert mentor.get(entry_url(personas, shared["first"])).status_code == 404
    coordinator.post(f"/matches/{personas.match_a.id}/resume")
    assert mentor.get(entry_url(personas, shared["first"])).status_code == 200


def test_the_mentors_home_page_title_is_only_a_title(login_as, personas, shared):
    page = login_as("mentor_a").get("/home").text
    title = page[page.index("<title>"):page.index("</title>")]
    assert "<section" not in title
    assert page.count('id="shared-heading"') == 1
