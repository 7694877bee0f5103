"""Prepared queries (app/prepared.py): SQL built once, values bound per call, nothing baked in."""
import datetime

import pytest
from peewee import DateTimeField, Model, fn

from app import policy
from app.auth.models import User
from app.db import database
from app.goals.models import Goal
from app.journal.models import JournalEntry
from app.prepared import PreparedQuery
from tests.conftest import count_queries


def _own_goals():
    return PreparedQuery(
        lambda viewer, title: policy.goals_visible_to(viewer).where(Goal.title != title).order_by(Goal.id),
        slots=("title",), person_slots=("viewer",),
    )


def test_each_call_binds_its_own_values(app, personas):
    Goal.create(mentee=personas.mentee_a, title="Walk daily", created_by=personas.mentee_a)
    Goal.create(mentee=personas.mentee_b, title="Call my sister", created_by=personas.mentee_b)
    goals = _own_goals()

    first = goals.all(viewer=personas.mentee_a, title="")
    second = goals.all(viewer=personas.mentee_b, title="")

    assert [goal.title for goal in first] == ["Walk daily"]
    assert [goal.title for goal in second] == ["Call my sister"]
    assert goals.all(viewer=personas.mentee_a, title="Walk daily") == []
    assert len(goals._compiled) == 1  # both people, one SQL text


def test_the_shape_follows_the_role(app, personas):
    """A mentor's goals come through their active matches: a different SQL text, cached apart."""
    Goal.create(mentee=personas.mentee_a, title="Walk daily", created_by=personas.mentee_a)
    goals = _own_goals()

    assert [g.title for g in goals.all(viewer=personas.mentor_a, title="")] == ["Walk daily"]
    assert goals.all(viewer=personas.mentor_b, title="") == []
    assert goals.all(viewer=personas.coordinator, title="") == []  # coordinators see counts only
    assert len(goals._compiled) == 2  # one SQL text per role


def test_first_and_scalar(app, personas):
    for day in range(3):
        JournalEntry.create(author=personas.mentee_a, body=f"day {day}", entry_date=datetime.date(2026, 1, 1 + day),
                            idempotency_key=f"k{day}")
    count = PreparedQuery(lambda author: JournalEntry.select(fn.COUNT(JournalEntry.id))
                          .where(JournalEntry.author == author), slots=("author",))
    latest = PreparedQuery(lambda author: JournalEntry.select().where(JournalEntry.author == author)
                           .order_by(JournalEntry.entry_date.desc()).limit(1), slots=("author",))

    assert count.scalar(author=personas.mentee_a) == 3
    assert count.scalar(author=personas.mentee_b) == 0
    assert latest.first(author=personas.mentee_a).entry_date == datetime.date(2026, 1, 3)
    assert latest.first(author=personas.mentee_b) is None


def test_one_statement_per_call(app, personas):
    by_email = PreparedQuery(lambda email: User.select().where(User.email == email).limit(1), slots=("email",))
    by_email.first(email="warm@example.org")
    with count_queries() as counter:
        assert by_email.first(email=personas.mentor_a.email).id == personas.mentor_a.id
    assert counter.count == 1


@pytest.mark.parametrize("misuse", [
    lambda viewer: User.select().where(User.id == viewer.id),  # a value read off the placeholder
    lambda viewer: User.select().where(User.id == viewer + 1),  # arithmetic on the placeholder
])
def test_a_placeholder_cannot_be_baked_into_the_sql(app, personas, misuse):
    query = PreparedQuery(misuse, person_slots=("viewer",))
    with pytest.raises((AttributeError, TypeError)):
        query.all(viewer=personas.mentee_a)


def test_shapes_are_bounded_and_still_answer_beyond_the_bound(app, personas, monkeypatch):
    import app.prepared as prepared

    monkeypatch.setattr(prepared, "MAX_SHAPES", 2)
    newest = PreparedQuery(lambda author, limit: JournalEntry.select().where(JournalEntry.author == author)
                           .order_by(JournalEntry.entry_date.desc()).limit(limit), slots=("author",))
    for day in range(1, 5):
        JournalEntry.create(author=personas.mentee_a, body=f"day {day}", entry_date=datetime.date(2026, 2, day),
                            idempotency_key=f"b{day}")
    assert [len(newest.all(author=personas.mentee_a, limit=limit)) for limit in (1, 2, 3, 4)] == [1, 2, 3, 4]
    assert len(newest._compiled) == 2


def _as_peewee_gives(query):
    """Rows from peewee itself, as comparable plain data."""
    return [_plain(row) for row in query]


def _plain(row):
    if row is None:
        return row
    if isinstance(row, tuple):  # types too (an int is not a bool, a date is not its text)
        return type(row).__name__, [(type(value).__name__, value) for value in row]
    if isinstance(row, dict):
        return {name: (type(value).__name__, value) for name, value in row.items()}
    # Types too: an id must come back as int, a flag as bool, a time as datetime, as peewee gives them.
    data = {name: (type(value).__name__, value) for name, value in row.__data__.items()}
    data.update({name: _plain(related) for name, related in row.__rel__.items()})
    extra = {name: value for name, value in vars(row).items() if name not in ("__data__", "__rel__", "_dirty")}
    return (type(row).__name__, data, extra, sorted(row._dirty))


@pytest.mark.parametrize("row_type", ["models", "tuples", "dicts", "namedtuples", "objects"])
def test_rows_after_the_first_result_come_out_as_peewee_makes_them(app, personas, row_type):
    """Hydration is worked out from the first result and reused: later results, with other people and
    other numbers of rows, must still match peewee's own rows, joined models included."""
    for number, mentee in enumerate([personas.mentee_a, personas.mentee_a, personas.mentee_b]):
        Goal.create(mentee=mentee, title=f"Goal {number}", created_by=personas.mentor_a)

    def build(mentee):
        query = (Goal.select(Goal, User.name, User.id).join(User, on=(Goal.created_by == User.id))
                 .where(Goal.mentee == mentee).order_by(Goal.id))
        return getattr(query, row_type)() if row_type != "models" else query

    goals = PreparedQuery(build, slots=("mentee",))
    for mentee in [personas.mentee_a, personas.mentee_b, personas.mentee_a, personas.coordinator]:
        got = goals.all(mentee=mentee)
        expected = list(build(mentee))
        assert [_plain(row) for row in got] == [_plain(row) for row in expected]
    rows = goals.all(mentee=personas.mentee_a)
    assert len(rows) == 2
    if row_type == "models":
        assert rows[0].created_by.name == personas.mentor_a.name
        assert not rows[0].is_dirty()


def test_one_model_rows_with_computed_columns_match_peewee(app, personas):
    """Rows of one model are built directly: fields, foreign keys and computed columns as peewee sets them."""
    Goal.create(mentee=personas.mentee_a, title="Walk daily", created_by=personas.mentor_a)
    Goal.create(mentee=personas.mentee_a, title="Sleep", created_by=personas.mentee_a)

    def build(mentee):
        return (Goal.select(Goal.id, Goal.title, Goal.mentee, Goal.created, fn.LENGTH(Goal.title).coerce(False).alias("title_length"))
                .where(Goal.mentee == mentee).order_by(Goal.id))

    goals = PreparedQuery(build, slots=("mentee",))
    for _ in range(2):
        got = goals.all(mentee=personas.mentee_a)
        assert [_plain(row) for row in got] == [_plain(row) for row in build(personas.mentee_a)]
    assert [(goal.title, goal.title_length, goal.mentee_id) for goal in got] == [
        ("Walk daily", 10, personas.mentee_a.id), ("Sleep", 5, personas.mentee_a.id)]
    assert isinstance(got[0].created, datetime.datetime)
    assert got[0].mentee.name == personas.mentee_a.name  # the foreign key still loads on demand
    assert not got[0].is_dirty()


def _meetings_with_people(mentee):
    """Meetings with their match and its two people: joins two levels deep, through aliases."""
    from app.matches.models import Match
    from app.meetings.models import Meeting

    mentor, person = User.alias("mentor_person"), User.alias("mentee_person")
    return (Meeting.select(Meeting, Match, mentor.id, mentor.name, person.id, person.name)
            .join_from(Meeting, Match)
            .join_from(Match, mentor, on=(Match.mentor == mentor.id), attr="mentor")
            .join_from(Match, person, on=(Match.mentee == person.id), attr="mentee")
            .where(Match.mentee == mentee).order_by(Meeting.id))


def _entries_with_sharer(author):
    from peewee import JOIN

    return (JournalEntry.select(JournalEntry, User).join(User, JOIN.LEFT_OUTER, on=(JournalEntry.shared_with == User.id))
            .where(JournalEntry.author == author).order_by(JournalEntry.id))


@pytest.mark.parametrize("build", [_meetings_with_people, _entries_with_sharer], ids=["aliased inner joins", "outer join"])
def test_joined_rows_match_peewee(app, personas, build):
    """Rows of joined models, through inner and outer joins (with and without a joined row), come out
    as peewee makes them."""
    from app.matches.models import Match
    from app.meetings.models import Meeting

    match = Match.create(mentor=personas.mentor_a, mentee=personas.mentee_a, created_by=personas.coordinator)
    for hour in (9, 15):
        Meeting.create(match=match, proposed_by=personas.mentor_a, starts_at=datetime.datetime(2026, 5, 1, hour))
    JournalEntry.create(author=personas.mentee_a, body="kept", entry_date=datetime.date(2026, 5, 1), idempotency_key="a")
    JournalEntry.create(author=personas.mentee_a, body="shared", entry_date=datetime.date(2026, 5, 2), idempotency_key="b",
                        shared_with=personas.mentor_a, shared_at=datetime.datetime(2026, 5, 2, 8))

    rows = PreparedQuery(build, slots=("mentee",) if build is _meetings_with_people else ("author",))
    argument = "mentee" if build is _meetings_with_people else "author"
    for person in (personas.mentee_a, personas.mentee_b, personas.mentee_a):
        got = rows.all(**{argument: person})
        assert [_plain(row) for row in got] == [_plain(row) for row in build(person)]
    assert len(got) == 2
    (_query, _sql, _params, hydration), = rows._compiled.values()
    assert hydration.plan is not None  # built directly, not by peewee's generic code
    if build is _meetings_with_people:
        assert (got[0].match.mentor.name, got[0].match.mentee.name) == (personas.mentor_a.name, personas.mentee_a.name)
        assert not got[0].is_dirty() and not got[0].match.is_dirty()
    else:
        assert got[1].shared_with.name == personas.mentor_a.name


def test_only_integer_columns_skip_their_converter():
    """SQLite and PostgreSQL already return ints for ids, foreign keys and counts, so those columns are
    stored as they come; text columns call their converter only for what is not a str; every other
    column keeps its converter."""
    from peewee import BooleanField, CharField, ForeignKeyField, safe_python_value

    from app.meetings.models import Meeting
    from app.prepared import _needed, _TextColumn

    class Tag(Model):
        code = CharField(primary_key=True)

    class Label(Model):
        tag = ForeignKeyField(Tag)

    by_code = Label.tag
    aliased = User.alias("someone")
    for field in (Goal.id, Goal.mentee, Meeting.duration_minutes, aliased.id):
        assert _needed(field.python_value) is None, field
    for field in (Goal.title, by_code, aliased.name):
        needed = _needed(field.python_value)
        assert type(needed) is _TextColumn and needed.converter == field.python_value, field
    assert _needed(User.active.python_value) == User.active.python_value
    # An expression's column (SUBSTR(title)) comes with peewee's safe wrapper around the converter.
    safe_text, safe_flag = safe_python_value(Goal.title.python_value), safe_python_value(User.active.python_value)
    assert type(_needed(safe_text)) is _TextColumn and _needed(safe_text).converter is safe_text
    assert _needed(safe_flag) is safe_flag
    assert isinstance(User.active, BooleanField) and isinstance(Goal.created, DateTimeField)
    assert _needed(None) is None


def test_text_columns_holding_other_values_come_out_as_peewee_makes_them(app, personas):
    """SQLite lets a text column hold a number or bytes: read as peewee reads them (NULLs from outer
    joins are in test_joined_rows_match_peewee)."""
    for number in range(3):
        Goal.create(mentee=personas.mentee_a, title=f"Goal {number}", why="", created_by=personas.mentor_a)
    odd = [42, "plain"] + ([b"caf\xc3\xa9"] if database.obj.param == "?" else [])
    for goal, value in zip(Goal.select().order_by(Goal.id), odd):
        database.execute_sql(f"UPDATE goal SET status_note = {database.param} WHERE id = {database.param}",
                             (value, goal.id))

    def build(mentee):
        return (Goal.select(Goal.id, Goal.title, Goal.status_note, fn.SUBSTR(Goal.status_note, 1, 3).alias("start"))
                .where(Goal.mentee == mentee).order_by(Goal.id))

    goals = PreparedQuery(build, slots=("mentee",))
    for _round in range(2):
        assert [_plain(row) for row in goals.all(mentee=personas.mentee_a)] == _as_peewee_gives(build(personas.mentee_a))
    notes = [row.status_note for row in goals.all(mentee=personas.mentee_a)]
    assert notes[:2] == ["42", "plain"] and notes[2] in ("", "café")  # bytes on SQLite only


DATE_TEXTS = [
    "2026-11-28 06:22:40", "2026-11-28 06:22:40.657337", "2026-11-28 06:22:40.000000", "2026-11-28",
    "2026-11-28T06:22:40", "2026-11-28 06:22:40+00:00", "2026-11-28 06:22:40.65733Z", "2026-11-28 06:22:40.5",
    "2026-13-28 06:22:40", "2026-02-30", "2026-1-028 6:22:40", "2026-11-28 06:22:40 12345", "", "yesterday",
    None, 0, datetime.datetime(2026, 11, 28, 6, 22, 40), datetime.date(2026, 11, 28),
]


@pytest.mark.parametrize("value", DATE_TEXTS, ids=repr)
def test_dates_and_times_are_read_as_peewee_reads_them(value):
    """Dates and times in peewee's own shapes are read with fromisoformat; every value, in those shapes
    or not, comes out as peewee's converter gives it (value and type)."""
    from peewee import DateField

    from app.meetings.models import Meeting
    from app.prepared import _needed

    class Day(Model):
        on = DateField()
        custom = DateTimeField(formats=["%d.%m.%Y %H:%M"])

    for field in (Goal.created, Meeting.starts_at, User.alias("someone").created, Day.on, Day.custom):
        reader = _needed(field.python_value)
        assert (reader == field.python_value) == (field is Day.custom), field  # its own formats: peewee's
        try:
            expected = field.python_value(value)
        except (TypeError, ValueError) as error:
            with pytest.raises(type(error)):
                reader(value)
            continue
        got = reader(value)
        assert (type(got), got) == (type(expected), expected), (field, value)
