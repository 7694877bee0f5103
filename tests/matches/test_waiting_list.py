"""Who is waiting for a match: the database keeps each mentee's open-match count (migration 0006),
whatever changes a match, and the coordinator's lists read it."""
from app.auth.models import User
from app.core.home import waiting_mentees
from app.matches.models import Match
from tests.conftest import count_queries, make_user


def waiting_names():
    return [person.name for person in waiting_mentees()]


def open_matches(person):
    return User.get_by_id(person.id).open_matches


def test_every_change_to_a_match_keeps_the_count(app, personas):
    wes = make_user("wes@example.org", "Wes Waiting", "mentee")
    assert waiting_names() == ["Wes Waiting"]

    match = Match.create(mentor=personas.mentor_a, mentee=wes)
    assert open_matches(wes) == 1 and waiting_names() == []
    Match.update(status="paused").where(Match.id == match.id).execute()
    assert open_matches(wes) == 1 and waiting_names() == []  # paused is still open
    match.status = "closed"
    match.save()
    assert open_matches(wes) == 0 and waiting_names() == ["Wes Waiting"]
    Match.update(status="active").where(Match.id == match.id).execute()  # reopened
    assert open_matches(wes) == 1

    Match.update(mentee=personas.mentee_b).where(Match.id == match.id).execute()  # moved to another mentee
    assert open_matches(wes) == 0 and open_matches(personas.mentee_b) == 2
    Match.delete().where(Match.id == match.id).execute()
    assert open_matches(personas.mentee_b) == 1
    assert waiting_names() == ["Wes Waiting"]


def test_bulk_inserts_are_counted_too(app, personas):
    people = [make_user(f"m{n}@example.org", f"Mentee {n}", "mentee") for n in range(4)]
    Match.insert_many([{"mentor": personas.mentor_a.id, "mentee": person.id, "status": status}
                       for person, status in zip(people, ["active", "paused", "closed", "active"])]).execute()
    assert [open_matches(person) for person in people] == [1, 1, 0, 1]
    assert waiting_names() == ["Mentee 2"]


def test_inactive_mentees_and_other_roles_are_not_waiting(app, personas):
    make_user("gone@example.org", "Gone Mentee", "mentee", active=False)
    make_user("new.mentor@example.org", "New Mentor", "mentor")
    assert waiting_names() == []


def test_saving_a_person_never_writes_back_an_old_count(app, personas):
    stale = User.get_by_id(personas.mentee_a.id)  # read while matched once
    Match.create(mentor=personas.mentor_b, mentee=personas.mentee_a, status="paused")
    stale.name = "Ada Renamed"
    stale.save()
    assert open_matches(personas.mentee_a) == 2


def test_the_dashboard_and_the_new_match_form_list_the_waiting(app, personas, login_as):
    make_user("wes@example.org", "Wes Waiting", "mentee")
    client = login_as("coordinator")
    assert "Wes Waiting" in client.get("/home").text
    assert "Wes Waiting" in client.get("/matches/new").text
    client.post("/matches/new", data={"mentee": User.get(User.email == "wes@example.org").id,
                                       "mentor": personas.mentor_a.id})
    client.get("/home")  # shows the "now matched" message once
    assert "Wes Waiting" not in client.get("/home").text


def test_the_waiting_list_is_one_query_however_many_are_matched(app, personas):
    for n in range(30):
        person = make_user(f"matched{n}@example.org", f"Matched {n}", "mentee")
        Match.create(mentor=personas.mentor_a, mentee=person)
    with count_queries() as counter:
        assert waiting_names() == []
    assert counter.count == 1
