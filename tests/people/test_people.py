"""Coordinators list people, open a person, change roles, deactivate and reactivate accounts."""
import html
import re

import pytest

from app.audit import AuditEvent
from app.auth.models import User
from tests.conftest import count_queries, login, make_user, password_hash

PERSON_LINK = re.compile(r'<a class="item__title" href="/people/(\d+)">([^<]+)</a>')


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


@pytest.fixture
def waiting_mentee(personas):
    """A mentee with no match yet: their role may be changed."""
    return make_user("wes.waiting@example.org", "Wes Waiting", "mentee")


def listed(response):
    """Names of the people listed on a people page, in order."""
    assert response.status_code == 200, response.status_code
    return [html.unescape(name) for _, name in PERSON_LINK.findall(response.text)]


def add_people(count, prefix="Person", role="mentee"):
    User.insert_many([
        {"email": f"{prefix.lower()}{n:03d}@example.org", "name": f"{prefix} {n:03d}", "role": role,
         "password_hash": password_hash()}
        for n in range(count)
    ]).execute()


def signed_in(client):
    response = client.get("/home")
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    return False


def events(action):
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


# --- The list ---------------------------------------------------------------

def test_coordinator_sees_everyone_who_can_sign_in_sorted_by_name(coordinator, personas):
    assert listed(coordinator.get("/people")) == [
        "Abe Mentor", "Ada Mentee", "Bea Mentee", "Bob Mentor", "Cora Coordinator"]


def test_people_are_filtered_by_role(coordinator, personas):
    assert listed(coordinator.get("/people?role=mentor")) == ["Abe Mentor", "Bob Mentor"]
    assert listed(coordinator.get("/people?role=mentee")) == ["Ada Mentee", "Bea Mentee"]
    assert listed(coordinator.get("/people?role=coordinator")) == ["Cora Coordinator"]
    assert len(listed(coordinator.get("/people?role=nonsense"))) == 5


def test_people_are_filtered_by_status(coordinator, personas):
    User.update(active=False).where(User.id == personas.mentee_b.id).execute()
    assert "Bea Mentee" not in listed(coordinator.get("/people"))
    assert listed(coordinator.get("/people?status=inactive")) == ["Bea Mentee"]
    assert len(listed(coordinator.get("/people?status=all"))) == 5


def test_people_are_found_by_part_of_their_name_or_email(coordinator, personas):
    assert listed(coordinator.get("/people?q=bea")) == ["Bea Mentee"]
    assert listed(coordinator.get("/people?q=MENTOR.B@")) == ["Bob Mentor"]
    assert listed(coordinator.get("/people?q=Mentor&role=mentor")) == ["Abe Mentor", "Bob Mentor"]
    empty = coordinator.get("/people?q=zzz-nobody")
    assert listed(empty) == []
    assert "No one matches these filters." in empty.text


def test_search_wildcards_are_taken_literally(coordinator, personas):
    assert listed(coordinator.get("/people?q=%25")) == []
    assert listed(coordinator.get("/people?q=_")) == []


def test_the_people_list_is_paginated(coordinator, personas):
    add_people(30)
    first = coordinator.get("/people?status=all")
    second = coordinator.get("/people?status=all&page=2")
    first_names, second_names = listed(first), listed(second)
    assert len(first_names) == 25
    assert len(second_names) == 10
    assert not set(first_names) & set(second_names)
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    assert "status=all" in re.search(r'href="([^"]*)" rel="next"', first.text).group(1)
    assert listed(coordinator.get("/people?status=all&page=3")) == []


def test_the_people_list_serves_only_its_rows_to_htmx(coordinator, personas):
    response = coordinator.get("/people?role=mentor", headers={"HX-Request": "true"})
    assert listed(response) == ["Abe Mentor", "Bob Mentor"]
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_the_people_list_costs_the_same_number_of_queries_for_10_or_60_people(coordinator, personas):
    def queries_for_list():
        coordinator.get("/people?status=all")  # warm up: pooled connection, cached templates
        with count_queries() as counter:
            response = coordinator.get("/people?status=all")
        assert response.status_code == 200
        return [q for q in counter.queries if q.startswith(("('", '("'))]

    add_people(5, prefix="Few")
    few = queries_for_list()
    add_people(50, prefix="Many")
    many = queries_for_list()
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 6


@pytest.mark.parametrize("persona", ["mentee_a", "mentor_a", "anonymous"])
def test_only_coordinators_reach_the_people_list(login_as, persona):
    response = login_as(persona).get("/people")
    if persona == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 404


# --- One person -------------------------------------------------------------

def test_the_detail_page_shows_the_person_and_their_matches(coordinator, personas):
    page = coordinator.get(f"/people/{personas.mentee_a.id}")
    assert page.status_code == 200
    assert "Ada Mentee" in page.text
    assert "mentee.a@example.org" in page.text
    assert "Abe Mentor with Ada Mentee" in page.text
    assert f"/matches/{personas.match_a.id}" in page.text
    assert "Bea Mentee" not in page.text


def test_an_unknown_person_is_not_found(coordinator, personas):
    assert coordinator.get("/people/999999").status_code == 404


def test_a_mentor_cannot_open_their_mentees_account_page(login_as, personas):
    assert login_as("mentor_a").get(f"/people/{personas.mentee_a.id}").status_code == 404


# --- Role changes -----------------------------------------------------------

def test_coordinator_changes_a_role_which_is_audited_and_signs_the_person_out(app, coordinator, personas,
                                                                               waiting_mentee):
    theirs = app.test_client()
    assert login(theirs, waiting_mentee).status_code == 303
    response = coordinator.post(f"/people/{waiting_mentee.id}/role", data={"role": "mentor"})
    assert response.status_code == 303
    assert User.get_by_id(waiting_mentee.id).role == "mentor"
    [event] = events("person.role_change")
    assert event.actor_id == personas.coordinator.id
    assert event.subject_id == waiting_mentee.id
    assert event.detail == "mentee -> mentor"
    assert not signed_in(theirs)


def test_coordinator_cannot_change_their_own_role(coordinator, personas):
    response = coordinator.post(f"/people/{personas.coordinator.id}/role", data={"role": "mentee"})
    assert response.status_code == 303
    assert User.get_by_id(personas.coordinator.id).role == "coordinator"
    assert events("person.role_change") == []
    assert "change your own role" in coordinator.get(response.headers["Location"]).text


def test_a_role_cannot_change_while_the_person_has_an_open_match(app, coordinator, personas):
    theirs = app.test_client()
    assert login(theirs, personas.mentor_a).status_code == 303
    for person in (personas.mentor_a, personas.mentee_a):
        response = coordinator.post(f"/people/{person.id}/role", data={"role": "coordinator"})
        assert response.status_code == 303
        assert User.get_by_id(person.id).role == person.role
        assert "Close this person" in coordinator.get(response.headers["Location"]).text
    assert events("person.role_change") == []
    assert signed_in(theirs)


def test_a_role_that_does_not_exist_is_refused(coordinator, personas, waiting_mentee):
    coordinator.post(f"/people/{waiting_mentee.id}/role", data={"role": "admin"})
    assert User.get_by_id(waiting_mentee.id).role == "mentee"
    assert events("person.role_change") == []


def test_the_role_form_ignores_fields_it_does_not_offer(coordinator, personas, waiting_mentee):
    coordinator.post(f"/people/{waiting_mentee.id}/role",
                     data={"role": "mentor", "active": "", "email": "taken@example.org", "name": "Renamed"})
    person = User.get_by_id(waiting_mentee.id)
    assert (person.role, person.active, person.email, person.name) == (
        "mentor", True, "wes.waiting@example.org", "Wes Waiting")


# --- Deactivate and reactivate ---------------------------------------------

def test_deactivation_shows_a_confirmation_page_first(coordinator, personas):
    page = coordinator.get(f"/people/{personas.mentee_b.id}/deactivate")
    assert page.status_code == 200
    assert "Deactivate Bea Mentee?" in page.text
    assert 'method="post"' in page.text
    assert User.get_by_id(personas.mentee_b.id).active
    assert events("person.deactivate") == []


def test_deactivation_signs_the_person_out_stops_sign_in_and_is_audited(app, coordinator, personas):
    theirs = app.test_client()
    assert login(theirs, personas.mentee_b).status_code == 303
    response = coordinator.post(f"/people/{personas.mentee_b.id}/deactivate", data={"reason": "Left the program"})
    assert response.status_code == 303
    assert not User.get_by_id(personas.mentee_b.id).active
    [event] = events("person.deactivate")
    assert (event.actor_id, event.subject_id) == (personas.coordinator.id, personas.mentee_b.id)
    assert not signed_in(theirs)
    assert login(app.test_client(), personas.mentee_b).status_code != 303


def test_coordinator_cannot_deactivate_themselves(coordinator, personas):
    coordinator.post(f"/people/{personas.coordinator.id}/deactivate", data={})
    assert User.get_by_id(personas.coordinator.id).active
    assert events("person.deactivate") == []
    assert signed_in(coordinator)


def test_reactivation_lets_the_person_sign_in_again_and_is_audited(app, coordinator, personas):
    coordinator.post(f"/people/{personas.mentee_b.id}/deactivate", data={})
    response = coordinator.post(f"/people/{personas.mentee_b.id}/reactivate")
    assert response.status_code == 303
    assert User.get_by_id(personas.mentee_b.id).active
    [event] = events("person.reactivate")
    assert event.subject_id == personas.mentee_b.id
    assert login(app.test_client(), personas.mentee_b).status_code == 303


def test_reactivating_someone_already_active_writes_nothing(coordinator, personas):
    coordinator.post(f"/people/{personas.mentee_b.id}/reactivate")
    assert events("person.reactivate") == []


def test_the_deactivation_form_ignores_fields_it_does_not_offer(coordinator, personas):
    coordinator.post(f"/people/{personas.mentee_b.id}/deactivate", data={"role": "coordinator"})
    person = User.get_by_id(personas.mentee_b.id)
    assert (person.active, person.role) == (False, "mentee")


# --- Fields a form does not offer ------------------------------------------

def test_a_person_cannot_promote_or_reactivate_themselves_through_the_profile_form(login_as, personas):
    client = login_as("mentee_a")
    response = client.post("/account/profile", data={
        "name": "Ada Renamed", "timezone": "Europe/Paris", "locale": "en",
        "role": "coordinator", "active": "0", "email": "ada.new@example.org", "password_hash": "x",
    })
    assert response.status_code == 303
    person = User.get_by_id(personas.mentee_a.id)
    assert person.name == "Ada Renamed"  # the offered fields were saved...
    assert person.timezone == "Europe/Paris"
    # ...and nothing else.
    assert (person.role, person.active, person.email) == ("mentee", True, "mentee.a@example.org")
    assert person.password_hash == password_hash()
    assert client.get("/people").status_code == 404
