"""The dashboard's head counts are kept by database triggers (migration 0007): after any change to
people or matches, made through models, bulk statements or raw SQL, they equal a fresh count."""
from peewee import SQL, fn

from app.auth.models import User
from app.cli import migration_runner
from app.core.tallies import Tally, dashboard_counts
from app.matches.models import Match
from tests.conftest import make_user


def _counted():
    people = dict(User.select(User.role, fn.COUNT(SQL("*"))).where(User.active == True)  # noqa: E712
                  .group_by(User.role).tuples())
    matches = dict(Match.select(Match.status, fn.COUNT(SQL("*"))).group_by(Match.status).tuples())
    return people, matches


def _kept():
    people, matches = dashboard_counts()
    return ({role: n for role, n in people.items() if n}, {status: n for status, n in matches.items() if n})


def test_tallies_follow_every_change_to_people_and_matches(app, personas):
    assert _kept() == _counted() == ({"mentee": 2, "mentor": 2, "coordinator": 1}, {"active": 2})
    newcomer = make_user("new.mentee@example.org", "Nia New", "mentee")
    quiet = make_user("quiet@example.org", "Quinn Quiet", "mentor", active=False)
    steps = [
        lambda: User.update(active=False).where(User.id == personas.mentee_b.id).execute(),
        lambda: User.update(active=True).where(User.id == quiet.id).execute(),
        lambda: User.update(role="coordinator").where(User.id == quiet.id).execute(),
        lambda: User.update(name="Renamed", locale="de").where(User.id == newcomer.id).execute(),  # no count moves
        lambda: User.insert_many([{"email": f"bulk{n}@example.org", "name": "Bulk", "role": "mentee",
                                   "password_hash": "x", "active": n % 2 == 0} for n in range(5)]).execute(),
        lambda: Match.create(mentor=personas.mentor_a, mentee=newcomer, status="paused"),
        lambda: Match.update(status="closed").where(Match.id == personas.match_b.id).execute(),
        lambda: Match.update(status_reason="holiday").where(Match.id == personas.match_a.id).execute(),
        lambda: Match.update(status="closed").where(Match.mentee == newcomer).execute(),
        lambda: Match.delete().where(Match.id == personas.match_b.id).execute(),
        lambda: User.delete().where(User.email == "bulk0@example.org").execute(),
        lambda: User.delete().where(User.email == "bulk1@example.org").execute(),  # inactive: no count moves
    ]
    for number, step in enumerate(steps):
        step()
        assert _kept() == _counted(), f"after step {number}"
    assert _kept() == ({"mentee": 4, "mentor": 2, "coordinator": 2}, {"active": 1, "closed": 1})
    assert Tally.get_by_id("people.mentee").total == 4


def test_the_coordinators_dashboard_shows_the_kept_counts(app, personas, quick_login_as):
    Match.update(status="paused").where(Match.id == personas.match_b.id).execute()
    page = quick_login_as("coordinator").get("/home").get_data(as_text=True)
    assert "<strong>1</strong> active" in page and "<strong>1</strong> paused" in page
    assert "<strong>0</strong> closed" in page


def test_migrating_down_and_up_again_counts_what_is_there(app, personas):
    """Migration 0007 fills the tallies from the people and matches already there."""
    make_user("later@example.org", "Lee Later", "mentor", active=False)
    Match.create(mentor=personas.mentor_b, mentee=personas.mentee_a, status="closed")
    expected = _counted()
    runner = migration_runner()
    runner.down(target="0006_open_match_counts")
    assert "tally" not in app.extensions["database"].get_tables()
    runner.up()
    assert _kept() == expected == ({"mentee": 2, "mentor": 2, "coordinator": 1}, {"active": 2, "closed": 1})
