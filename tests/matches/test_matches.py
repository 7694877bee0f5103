"""Coordinators pair mentors with mentees, and pause, resume or close matches with a reason."""
import html
import re

import pytest

from app import policy
from app.audit import AuditEvent
from app.auth.models import User
from app.matches.models import Match
from tests.conftest import count_queries, make_user, password_hash

MATCH_LINK = re.compile(r'<a class="item__title" href="/matches/(\d+)">([^<]+)</a>')


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


@pytest.fixture
def waiting_mentee(personas):
    return make_user("wes.waiting@example.org", "Wes Waiting", "mentee")


def options(page, name):
    """{value: label} of a <select name=...> on the page."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {name}"
    return {value: html.unescape(label.strip())
            for value, label in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))}


def listed(response):
    assert response.status_code == 200, response.status_code
    return [html.unescape(label) for _, label in MATCH_LINK.findall(response.text)]


def actions():
    return [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]


def reload(match):
    return Match.get_by_id(match.id)


# --- Creating a match -------------------------------------------------------

def test_only_waiting_mentees_are_offered_for_a_new_match(coordinator, personas, waiting_mentee):
    page = coordinator.get("/matches/new")
    assert page.status_code == 200
    mentees = options(page.text, "mentee")
    assert "Wes Waiting" in mentees.values()
    assert "Ada Mentee" not in mentees.values()
    assert "Bea Mentee" not in mentees.values()
    mentors = options(page.text, "mentor")
    assert mentors[str(personas.mentor_a.id)] == "Abe Mentor (1 current mentees)"
    assert not {"Ada Mentee", "Wes Waiting"} & {label.split(" (")[0] for label in mentors.values()}


def test_a_deactivated_mentee_is_not_offered(coordinator, personas, waiting_mentee):
    User.update(active=False).where(User.id == waiting_mentee.id).execute()
    page = coordinator.get("/matches/new")
    assert "Wes Waiting" not in page.text
    assert "Every active mentee already has a mentor." in page.text


def test_coordinator_creates_a_match_which_is_audited(coordinator, personas, waiting_mentee):
    response = coordinator.post("/matches/new", data={"mentor": personas.mentor_b.id, "mentee": waiting_mentee.id})
    assert response.status_code == 303
    match = Match.get(Match.mentee == waiting_mentee.id)
    assert response.headers["Location"].endswith(f"/matches/{match.id}")
    assert (match.mentor_id, match.status, match.created_by_id) == (personas.mentor_b.id, "active",
                                                                   personas.coordinator.id)
    event = AuditEvent.get(AuditEvent.action == "match.create")
    assert (event.actor_id, event.subject_id, event.object_id) == (personas.coordinator.id, waiting_mentee.id,
                                                                  match.id)
    assert policy.is_active_mentor_of(personas.mentor_b, waiting_mentee)
    show = coordinator.get(response.headers["Location"])
    assert "Bob Mentor with Wes Waiting" in show.text


def test_a_mentee_who_already_has_an_open_match_is_refused(coordinator, personas):
    before = Match.select().count()
    response = coordinator.post("/matches/new", data={"mentor": personas.mentor_b.id, "mentee": personas.mentee_a.id})
    assert response.status_code == 422
    assert Match.select().count() == before
    assert not policy.is_active_mentor_of(personas.mentor_b, personas.mentee_a)
    assert "match.create" not in actions()


def test_a_paused_match_still_counts_as_open(coordinator, personas):
    Match.update(status="paused").where(Match.id == personas.match_a.id).execute()
    response = coordinator.post("/matches/new", data={"mentor": personas.mentor_b.id, "mentee": personas.mentee_a.id})
    assert response.status_code == 422
    assert Match.select().where(Match.mentee == personas.mentee_a.id).count() == 1


def test_a_match_needs_a_mentor_who_is_a_mentor(coordinator, personas, waiting_mentee):
    for mentor in (0, personas.mentee_b.id, personas.coordinator.id):
        response = coordinator.post("/matches/new", data={"mentor": mentor, "mentee": waiting_mentee.id})
        assert response.status_code == 422, mentor
    assert Match.select().where(Match.mentee == waiting_mentee.id).count() == 0


# --- Pausing, resuming, closing --------------------------------------------

def test_pausing_needs_a_reason(coordinator, personas):
    response = coordinator.post(f"/matches/{personas.match_a.id}/pause", data={"reason": "   "})
    assert response.status_code == 422
    assert "Please give a short reason." in response.text
    assert reload(personas.match_a).status == "active"
    assert "match.pause" not in actions()


def test_coordinator_pauses_a_match_with_a_reason_which_is_audited(coordinator, personas):
    confirm = coordinator.get(f"/matches/{personas.match_a.id}/pause")
    assert confirm.status_code == 200
    assert "Pause this match?" in confirm.text
    response = coordinator.post(f"/matches/{personas.match_a.id}/pause", data={"reason": "Ada is travelling"})
    assert response.status_code == 303
    match = reload(personas.match_a)
    assert (match.status, match.status_reason) == ("paused", "Ada is travelling")
    event = AuditEvent.get(AuditEvent.action == "match.pause")
    assert (event.actor_id, event.subject_id, event.object_id) == (personas.coordinator.id, personas.mentee_a.id,
                                                                  match.id)
    assert "Ada is travelling" not in event.detail
    assert not policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)


def test_coordinator_resumes_a_paused_match_which_is_audited(coordinator, personas):
    coordinator.post(f"/matches/{personas.match_a.id}/pause", data={"reason": "Ada is travelling"})
    response = coordinator.post(f"/matches/{personas.match_a.id}/resume")
    assert response.status_code == 303
    match = reload(personas.match_a)
    assert (match.status, match.status_reason) == ("active", "")
    assert actions()[-1] == "match.resume"
    assert AuditEvent.get(AuditEvent.action == "match.resume").subject_id == personas.mentee_a.id
    assert policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)


def test_resuming_an_active_match_changes_nothing(coordinator, personas):
    coordinator.post(f"/matches/{personas.match_a.id}/resume")
    assert reload(personas.match_a).status == "active"
    assert "match.resume" not in actions()


def test_closing_shows_a_confirmation_page_first(coordinator, personas):
    page = coordinator.get(f"/matches/{personas.match_a.id}/close")
    assert page.status_code == 200
    assert "Close this match?" in page.text
    assert "Abe Mentor will lose access" in page.text
    assert reload(personas.match_a).status == "active"
    assert "match.close" not in actions()


def test_closing_needs_a_reason(coordinator, personas):
    response = coordinator.post(f"/matches/{personas.match_a.id}/close", data={})
    assert response.status_code == 422
    assert "Please give a short reason." in response.text
    assert reload(personas.match_a).status == "active"


def test_closing_a_match_ends_the_mentors_access_and_is_audited(login_as, coordinator, personas):
    mentor = login_as("mentor_a")
    assert "Ada Mentee" in mentor.get("/home").text
    response = coordinator.post(f"/matches/{personas.match_a.id}/close", data={"reason": "Goals reached"})
    assert response.status_code == 303
    match = reload(personas.match_a)
    assert (match.status, match.closure_reason) == ("closed", "Goals reached")
    assert match.ended is not None and match.ended >= match.started
    event = AuditEvent.get(AuditEvent.action == "match.close")
    assert (event.actor_id, event.subject_id, event.object_id) == (personas.coordinator.id, personas.mentee_a.id,
                                                                  match.id)
    home = mentor.get("/home")
    assert home.status_code == 200
    assert "Ada Mentee" not in home.text
    assert not policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)
    assert policy.active_mentor_of(personas.mentee_a) is None
    assert list(policy.mentees_of(personas.mentor_a)) == []


def test_a_closed_match_cannot_be_paused_resumed_or_closed_again(coordinator, personas):
    coordinator.post(f"/matches/{personas.match_a.id}/close", data={"reason": "Goals reached"})
    coordinator.post(f"/matches/{personas.match_a.id}/pause", data={"reason": "again"})
    coordinator.post(f"/matches/{personas.match_a.id}/resume")
    coordinator.post(f"/matches/{personas.match_a.id}/close", data={"reason": "again"})
    match = reload(personas.match_a)
    assert (match.status, match.closure_reason) == ("closed", "Goals reached")
    assert actions().count("match.close") == 1
    assert "match.pause" not in actions() and "match.resume" not in actions()


def test_after_closing_the_mentee_waits_for_a_new_mentor(coordinator, personas):
    coordinator.post(f"/matches/{personas.match_a.id}/close", data={"reason": "Mentor moved away"})
    assert "Ada Mentee" in options(coordinator.get("/matches/new").text, "mentee").values()
    response = coordinator.post("/matches/new", data={"mentor": personas.mentor_b.id, "mentee": personas.mentee_a.id})
    assert response.status_code == 303
    assert policy.active_mentor_of(personas.mentee_a).id == personas.mentor_b.id


@pytest.mark.parametrize("persona", ["mentor_a", "mentee_a"])
def test_people_in_a_match_cannot_change_it(login_as, personas, persona):
    client = login_as(persona)
    assert client.get(f"/matches/{personas.match_a.id}").status_code == 404
    assert client.post(f"/matches/{personas.match_a.id}/close", data={"reason": "x"}).status_code == 404
    assert client.post(f"/matches/{personas.match_a.id}/pause", data={"reason": "x"}).status_code == 404
    assert reload(personas.match_a).status == "active"


# --- The list ---------------------------------------------------------------

@pytest.fixture
def matches_in_every_status(personas):
    mentor_c = make_user("mentor.c@example.org", "Cal Mentor", "mentor")
    mentee_c = make_user("mentee.c@example.org", "Cy Mentee", "mentee")
    mentee_d = make_user("mentee.d@example.org", "Dee Mentee", "mentee")
    Match.create(mentor=mentor_c, mentee=mentee_c, status="paused", status_reason="holiday")
    Match.create(mentor=mentor_c, mentee=mentee_d, status="closed", closure_reason="moved")


def test_the_list_shows_open_matches_by_default(coordinator, matches_in_every_status):
    assert sorted(listed(coordinator.get("/matches"))) == [
        "Abe Mentor with Ada Mentee", "Bob Mentor with Bea Mentee", "Cal Mentor with Cy Mentee"]


@pytest.mark.parametrize("status, expected", [
    ("active", ["Abe Mentor with Ada Mentee", "Bob Mentor with Bea Mentee"]),
    ("paused", ["Cal Mentor with Cy Mentee"]),
    ("closed", ["Cal Mentor with Dee Mentee"]),
    ("all", ["Abe Mentor with Ada Mentee", "Bob Mentor with Bea Mentee", "Cal Mentor with Cy Mentee",
             "Cal Mentor with Dee Mentee"]),
])
def test_the_list_filters_by_status(coordinator, matches_in_every_status, status, expected):
    assert sorted(listed(coordinator.get(f"/matches?status={status}"))) == expected


def test_the_list_serves_only_its_rows_to_htmx(coordinator, matches_in_every_status):
    response = coordinator.get("/matches?status=closed", headers={"HX-Request": "true"})
    assert listed(response) == ["Cal Mentor with Dee Mentee"]
    assert "<html" not in response.text


def add_matches(count, prefix):
    User.insert_many(
        [{"email": f"{prefix}.mentor{n}@example.org", "name": f"{prefix} Mentor {n}", "role": "mentor",
          "password_hash": password_hash()} for n in range(count)]
        + [{"email": f"{prefix}.mentee{n}@example.org", "name": f"{prefix} Mentee {n}", "role": "mentee",
            "password_hash": password_hash()} for n in range(count)]
    ).execute()
    mentors = User.select().where(User.email.startswith(f"{prefix}.mentor")).order_by(User.email)
    mentees = User.select().where(User.email.startswith(f"{prefix}.mentee")).order_by(User.email)
    Match.insert_many([{"mentor": mentor.id, "mentee": mentee.id, "status": status}
                       for (mentor, mentee), status in zip(zip(mentors, mentees),
                                                           ["active", "paused", "closed"] * count)]).execute()


def test_the_matches_list_costs_the_same_number_of_queries_for_10_or_60_matches(coordinator, personas):
    def queries_for_list():
        coordinator.get("/matches?status=all")  # warm up: pooled connection, cached templates
        with count_queries() as counter:
            response = coordinator.get("/matches?status=all")
        assert response.status_code == 200
        return [q for q in counter.queries if q.startswith(("('", '("'))]

    add_matches(8, "few")
    few = queries_for_list()
    add_matches(50, "many")
    many = queries_for_list()
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 6
