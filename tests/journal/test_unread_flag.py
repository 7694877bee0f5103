"""The unread flag on shared entries is kept by database triggers (migration 0010): after any share,
unshare, re-share, read or removed read, made through models, bulk statements or raw SQL, it equals
a fresh look at the reads, and the mentor's home page counts from it."""
import secrets

from peewee import JOIN

from app.cli import migration_runner
from app.db import database, utcnow
from app.journal.models import JournalEntry, JournalRead
from app.journal.mentor_views import unread_shared_count
from tests.journal.conftest import make_entry, today_for


def _kept():
    return {entry.id: entry.shared_unread for entry in JournalEntry.select(JournalEntry.id, JournalEntry.shared_unread)}


def _fresh():
    """Shared and not read by the mentor it is shared with, worked out from the reads themselves."""
    rows = (JournalEntry.select(JournalEntry.id, JournalEntry.shared_with, JournalRead.id.alias("read_id"))
            .join(JournalRead, JOIN.LEFT_OUTER, on=((JournalRead.entry == JournalEntry.id)
                                                   & (JournalRead.reader == JournalEntry.shared_with)))
            .dicts())
    return {row["id"]: row["shared_with"] is not None and row["read_id"] is None for row in rows}


def test_the_flag_follows_every_share_and_read(app, personas):
    mentee, mentor, other_mentor = personas.mentee_a, personas.mentor_a, personas.mentor_b
    private = make_entry(mentee, body="Private")
    shared = make_entry(mentee, body="Shared", shared_with=mentor)
    read_early = make_entry(mentee, body="Read, then shared elsewhere", shared_with=mentor)
    steps = [
        lambda: JournalRead.create(entry=read_early, reader=mentor),
        lambda: JournalRead.create(entry=shared, reader=other_mentor),  # not the mentor it is shared with
        lambda: JournalEntry.update(shared_with=other_mentor).where(JournalEntry.id == read_early.id).execute(),
        lambda: JournalEntry.update(shared_with=mentor).where(JournalEntry.id == read_early.id).execute(),
        lambda: JournalEntry.update(shared_with=None).where(JournalEntry.id == shared.id).execute(),
        lambda: JournalEntry.update(shared_with=other_mentor).where(JournalEntry.id == shared.id).execute(),
        lambda: JournalEntry.update(shared_with=mentor).where(JournalEntry.id == private.id).execute(),
        lambda: JournalRead.insert(entry=private, reader=mentor).on_conflict_ignore().execute(),
        lambda: JournalRead.insert(entry=private, reader=mentor).on_conflict_ignore().execute(),
        lambda: JournalRead.delete().where(JournalRead.entry == read_early.id).execute(),
        lambda: JournalEntry.insert_many([
            {"author": mentee, "entry_date": today_for(mentee), "shared_with": mentor, "shared_at": utcnow(),
             "idempotency_key": secrets.token_urlsafe(8)} for _ in range(3)]).execute(),
        lambda: database.execute_sql(  # a bulk load naming only the entry's own columns
            "INSERT INTO journal_entry (author_id, entry_date, body, feelings, feelings_other, prompt, "
            "shared_with_id, shared_at, created, updated, idempotency_key) "
            "VALUES ({0}, {0}, 'raw', '', '', '', {0}, {0}, {0}, {0}, 'raw')".format(database.param),
            (mentee.id, today_for(mentee), mentor.id, utcnow(), utcnow(), utcnow())),
        lambda: database.execute_sql(
            "INSERT INTO journal_read (entry_id, reader_id, read_at) SELECT id, shared_with_id, created "
            "FROM journal_entry WHERE shared_with_id IS NOT NULL AND body = ''"),
        lambda: JournalEntry.delete().where(JournalEntry.id == private.id).execute(),
    ]
    assert _kept() == _fresh() == {private.id: False, shared.id: True, read_early.id: True}
    for number, step in enumerate(steps):
        step()
        assert _kept() == _fresh(), f"after step {number}"
    raw = JournalEntry.get(JournalEntry.body == "raw")
    assert _kept() == {shared.id: False, read_early.id: True, raw.id: True, **{  # shared: read by its mentor
        entry.id: False for entry in JournalEntry.select().where(JournalEntry.body == "")}}


def test_saving_an_entry_loaded_before_a_read_keeps_the_read(app, personas):
    """An edit saves only what it changed, so a flag read with the entry is never written back."""
    entry = make_entry(personas.mentee_a, shared_with=personas.mentor_a)
    loaded = JournalEntry.get_by_id(entry.id)
    assert loaded.shared_unread is True
    JournalRead.create(entry=entry, reader=personas.mentor_a)
    loaded.body = "Edited after the mentor read it"
    loaded.save()
    assert JournalEntry.get_by_id(entry.id).shared_unread is False


def test_the_mentors_count_and_home_page_follow_reads(app, personas, quick_login_as):
    mentee, mentor = personas.mentee_a, personas.mentor_a
    entries = [make_entry(mentee, body=f"Entry {n}", shared_with=mentor) for n in range(3)]
    make_entry(mentee, body="Private")
    make_entry(personas.mentee_b, body="Someone else's", shared_with=mentor)  # not mentor A's mentee
    assert unread_shared_count(mentor) == 3
    client = quick_login_as("mentor_a")
    assert "3 shared entries you have not read yet" in client.get("/home").text
    client.get(f"/journal/mentees/{mentee.id}/entries/{entries[0].id}")
    assert unread_shared_count(mentor) == 2
    assert "2 shared entries you have not read yet" in client.get("/home").text
    personas.match_a.status = "closed"
    personas.match_a.save()
    assert unread_shared_count(mentor) == 0


def test_migrating_down_and_up_again_works_the_flag_out_from_the_reads(app, personas):
    mentee, mentor = personas.mentee_a, personas.mentor_a
    read, unread = (make_entry(mentee, shared_with=mentor) for _ in range(2))
    JournalRead.create(entry=read, reader=mentor)
    runner = migration_runner()
    runner.down(target="0009_home_indexes")
    assert "shared_unread" not in {column.name for column in database.get_columns("journal_entry")}
    JournalRead.delete().where(JournalRead.entry == read.id).execute()  # no trigger now
    JournalRead.create(entry=unread, reader=mentor)
    runner.up()
    assert _kept() == _fresh() == {read.id: True, unread.id: False}
    JournalRead.create(entry=read, reader=mentor)
    assert _kept() == _fresh() == {read.id: False, unread.id: False}
