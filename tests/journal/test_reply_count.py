"""Each entry's number of replies is kept on the entry by database triggers (migration 0014): after
any reply added, removed or moved, made through models, bulk statements or raw SQL, it equals a fresh
count of the replies, and the journal list shows it."""
from peewee import fn

from app.cli import migration_runner
from app.db import database, utcnow
from app.journal.models import JournalEntry, JournalReply
from tests.journal.conftest import make_entry, make_reply


def _kept():
    return {entry.id: entry.reply_count for entry in JournalEntry.select(JournalEntry.id, JournalEntry.reply_count)}


def _fresh():
    """Each entry's replies, counted from the replies themselves."""
    counted = dict(JournalReply.select(JournalReply.entry, fn.COUNT(JournalReply.id))
                   .group_by(JournalReply.entry).tuples())
    return {entry.id: counted.get(entry.id, 0) for entry in JournalEntry.select(JournalEntry.id)}


def test_the_count_follows_every_reply_change(app, personas):
    mentee, mentor = personas.mentee_a, personas.mentor_a
    first = make_entry(mentee, body="First", shared_with=mentor)
    second = make_entry(mentee, body="Second", shared_with=mentor)
    doomed = make_entry(mentee, body="Deleted with its replies", shared_with=mentor)
    steps = [
        lambda: make_reply(first, mentor),
        lambda: make_reply(first, mentor, body="Another"),
        lambda: make_reply(doomed, mentor),
        lambda: JournalReply.update(entry=second).where(JournalReply.body == "Another").execute(),  # moved
        lambda: JournalReply.update(body="Edited").where(JournalReply.entry == first.id).execute(),  # not moved
        lambda: JournalReply.insert_many([
            {"entry": second, "author": mentor, "mentee": mentee, "body": f"Bulk {n}", "created": utcnow()}
            for n in range(3)]).execute(),
        lambda: database.execute_sql(  # a bulk load naming only the reply's own columns
            "INSERT INTO journal_reply (entry_id, author_id, mentee_id, body, created, seen_by_mentee) "
            "VALUES ({0}, {0}, {0}, 'raw', {0}, {0})".format(database.param),
            (first.id, mentor.id, mentee.id, utcnow(), False)),
        lambda: JournalReply.delete().where(JournalReply.body.startswith("Bulk")).execute(),
        lambda: JournalEntry.get_by_id(doomed.id).delete_instance(recursive=True),
    ]
    assert _kept() == _fresh() == {first.id: 0, second.id: 0, doomed.id: 0}
    for number, step in enumerate(steps):
        step()
        assert _kept() == _fresh(), f"after step {number}"
    assert _kept() == {first.id: 2, second.id: 1}


def test_saving_an_entry_loaded_before_a_reply_keeps_the_count(app, personas):
    """An edit saves only what it changed, so a count read with the entry is never written back."""
    entry = make_entry(personas.mentee_a, shared_with=personas.mentor_a)
    loaded = JournalEntry.get_by_id(entry.id)
    make_reply(entry, personas.mentor_a)
    loaded.body = "Edited after the mentor replied"
    loaded.save()
    assert JournalEntry.get_by_id(entry.id).reply_count == 1


def test_the_list_shows_each_entrys_replies(app, personas, quick_login_as):
    mentee, mentor = personas.mentee_a, personas.mentor_a
    one, two = make_entry(mentee, body="One reply", days_ago=1, shared_with=mentor), make_entry(
        mentee, body="Two replies", shared_with=mentor)
    make_entry(mentee, body="No reply", days_ago=2)
    make_reply(one, mentor)
    make_reply(two, mentor)
    make_reply(two, mentor, body="And another")
    client = quick_login_as("mentee_a")
    rows = client.get("/journal").text.split('class="item entry-item"')[1:]
    assert [("1 reply<" in row, "2 replies<" in row, "badge--pending" in row) for row in rows] == [
        (False, True, True), (True, False, True), (False, False, False)]
    JournalReply.delete().where(JournalReply.entry == two.id).execute()
    assert "badge--pending" not in client.get("/journal?q=Two").text
    assert "1 reply<" in client.get("/journal?q=One").text


def test_migrating_down_and_up_again_counts_the_replies_afresh(app, personas):
    mentee, mentor = personas.mentee_a, personas.mentor_a
    first, second = (make_entry(mentee, shared_with=mentor) for _ in range(2))
    make_reply(first, mentor)
    runner = migration_runner()
    runner.down(target="0013_match_last_held")
    assert "reply_count" not in {column.name for column in database.get_columns("journal_entry")}
    JournalReply.delete().execute()  # no trigger now
    for _ in range(2):
        database.execute_sql(
            "INSERT INTO journal_reply (entry_id, author_id, mentee_id, body, created, seen_by_mentee) "
            "VALUES ({0}, {0}, {0}, 'before', {0}, {0})".format(database.param),
            (second.id, mentor.id, mentee.id, utcnow(), False))
    runner.up()
    assert _kept() == _fresh() == {first.id: 0, second.id: 2}
    make_reply(first, mentor)
    assert _kept() == _fresh() == {first.id: 1, second.id: 2}
