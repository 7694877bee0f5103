"""The audit trail: coordinators browse it by person and by action; it never holds a secret."""
import logging
import re

import pytest

from app import audit
from app.audit import AuditEvent
from app.auth import views as auth_views
from app.auth.models import PasswordReset, User, hash_token
from tests.conftest import count_queries, login, password_hash, sqlite_plan

ACTION_CELL = re.compile(r"<td><code>([^<]+)</code>")
SENTINEL_PASSWORD = "sentinel-Pa55word-do-not-log-7f3a9c"
SENTINEL_NEW_PASSWORD = "sentinel quartz meadow kettle 41c2"
SENTINEL_TOKEN = "SentinelResetToken_b6d0e1f2a3c4d5e6f7a8b9c0d1e2f3a4b5"


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


@pytest.fixture
def trail(personas, coordinator):
    """A few events besides the coordinator's own sign-in."""
    p = personas
    audit.record("match.create", obj=p.match_a, subject=p.mentee_a, actor=p.coordinator, detail="mentor=1")
    audit.record("login.success", obj=p.mentor_b, subject=p.mentor_b, actor=p.mentor_b)
    audit.record("login.failure", subject=p.mentee_b)
    audit.record("logout", obj=p.mentee_b, subject=p.mentee_b, actor=p.mentee_b)
    audit.record("person.deactivate", obj=p.mentor_a, subject=p.mentor_a, actor=p.coordinator)
    audit.record("loginx.unrelated", actor=p.mentor_a)
    return p


def shown(client, **params):
    """The actions of the listed events, newest first (rows fragment only, as htmx asks for it)."""
    response = client.get("/audit", query_string=params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    return ACTION_CELL.findall(response.text)


def test_coordinator_sees_the_whole_trail_newest_first(coordinator, trail):
    page = coordinator.get("/audit")
    assert page.status_code == 200
    assert shown(coordinator) == ["loginx.unrelated", "person.deactivate", "logout", "login.failure",
                                  "login.success", "match.create", "login.success"]


def test_the_trail_is_filtered_by_person_as_actor_or_subject(coordinator, trail):
    assert shown(coordinator, person=trail.mentee_b.id) == ["logout", "login.failure"]
    assert shown(coordinator, person=trail.mentor_a.id) == ["loginx.unrelated", "person.deactivate"]
    assert shown(coordinator, person=trail.coordinator.id) == ["person.deactivate", "match.create", "login.success"]
    assert shown(coordinator, person=999999) == []


def test_an_action_filter_matches_the_action_and_its_subactions(coordinator, trail):
    assert shown(coordinator, action="login") == ["login.failure", "login.success", "login.success"]
    assert shown(coordinator, action="login.failure") == ["login.failure"]
    assert shown(coordinator, action="log") == []
    assert shown(coordinator, action="match") == ["match.create"]


def test_person_and_action_filters_combine(coordinator, trail):
    assert shown(coordinator, person=trail.mentor_b.id, action="login") == ["login.success"]
    assert shown(coordinator, person=trail.mentee_b.id, action="match") == []


def test_the_full_page_names_the_chosen_person_and_offers_the_actions_to_filter_by(coordinator, trail):
    page = coordinator.get("/audit", query_string={"person": trail.mentee_b.id}).text
    assert "Events by or about Bea Mentee (mentee.b@example.org)" in page
    assert f'name="person" value="{trail.mentee_b.id}"' in page
    for action in ("login.failure", "match.create", "person.deactivate"):
        assert f'<option value="{action}"' in page


def test_the_actions_to_filter_by_are_each_kind_once_in_order_found_by_index_lookups(app, trail):
    from app.auditlog.views import _ACTIONS_IN_USE, actions_in_use
    from app.db import is_sqlite

    for _ in range(30):
        audit.record("login.success", subject=trail.mentee_a, actor=trail.mentee_a)
    # What SELECT DISTINCT gives, in the database's own order (its collation, on PostgreSQL).
    expected = [row[0] for row in AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action).tuples()]
    assert actions_in_use() == expected
    assert {"loginx.unrelated", "login.failure", "match.create"} <= set(expected)
    if is_sqlite():  # one lookup per kind, never a read of every event (PostgreSQL plans its own way)
        plan = sqlite_plan(_ACTIONS_IN_USE)
        assert not [line for line in plan if line.startswith("SCAN") and "audit_event" in line], plan
    AuditEvent.delete().execute()
    assert actions_in_use() == []


def test_the_trail_is_searched_by_a_persons_name_or_email_without_listing_everyone(coordinator, trail):
    page = coordinator.get("/audit").text
    assert "mentee.b@example.org" not in page.split('id="audit-rows"')[0]  # no list of every person
    rows = coordinator.get("/audit", query_string={"who": "mentor.a@"}, headers={"HX-Request": "true"}).text
    assert "Abe Mentor" in rows
    assert "Bea Mentee" not in rows


def test_rows_show_who_did_what_to_whom_and_from_where(app, coordinator, trail):
    row = coordinator.get("/audit", query_string={"action": "person.deactivate"},
                          headers={"HX-Request": "true"}).text
    assert "Cora Coordinator" in row
    assert "Abe Mentor" in row
    assert f"user #{trail.mentor_a.id}" in row
    sign_in = AuditEvent.select().where(AuditEvent.actor == trail.coordinator.id,
                                        AuditEvent.action == "login.success").get()
    assert sign_in.ip == "127.0.0.1"


def test_the_trail_is_paginated_and_pages_keep_the_filters(coordinator, personas):
    AuditEvent.insert_many([{"action": "match.pause", "subject": personas.mentee_a.id} for _ in range(60)]).execute()
    page_one = coordinator.get("/audit", query_string={"person": personas.mentee_a.id})
    assert len(ACTION_CELL.findall(page_one.text)) == 50
    next_link = re.search(r'href="([^"]*)" rel="next"', page_one.text).group(1).replace("&amp;", "&")
    assert "page=2" in next_link and f"person={personas.mentee_a.id}" in next_link
    assert len(shown(coordinator, person=personas.mentee_a.id, page=2)) == 10
    assert shown(coordinator, person=personas.mentee_a.id, page=3) == []


@pytest.mark.parametrize("persona", ["mentee_a", "mentor_a"])
def test_only_coordinators_read_the_trail(login_as, persona):
    assert login_as(persona).get("/audit").status_code == 404


def test_the_audit_list_costs_the_same_number_of_queries_for_10_or_60_events(coordinator, personas):
    def add_events(count):
        AuditEvent.insert_many([
            {"action": f"match.pause{n % 3}", "actor": personas.coordinator.id, "subject": personas.mentee_a.id,
             "object_type": "match", "object_id": personas.match_a.id}
            for n in range(count)
        ]).execute()

    def queries_for_list():
        coordinator.get("/audit")  # warm up: pooled connection, cached templates
        with count_queries() as counter:
            response = coordinator.get("/audit")
        assert response.status_code == 200
        return [q for q in counter.queries if q.startswith(("('", '("'))]

    add_events(10)
    few = queries_for_list()
    add_events(50)
    User.insert_many([{"email": f"extra{n}@example.org", "name": f"Extra {n}", "role": "mentee",
                       "password_hash": password_hash()} for n in range(20)]).execute()
    many = queries_for_list()
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 7


# --- No secrets -------------------------------------------------------------

def test_passwords_and_tokens_never_reach_the_audit_trail_or_the_logs(app, personas, monkeypatch, caplog):
    caplog.set_level(logging.INFO)  # production's level; peewee's SQL echo (DEBUG) is never on there
    monkeypatch.setattr(auth_views, "new_token", lambda: SENTINEL_TOKEN)
    client = app.test_client()
    # A wrong password for a real account, and for an unknown address.
    assert login(client, personas.mentee_a, SENTINEL_PASSWORD).status_code == 422
    assert login(client, "nobody@example.org", SENTINEL_PASSWORD).status_code == 422
    # A password typed into the email field by mistake.
    client.post("/login", data={"email": SENTINEL_PASSWORD, "password": SENTINEL_PASSWORD})
    # A reset request, and the reset itself to a new password.
    assert client.post("/forgot", data={"email": personas.mentee_a.email}).status_code == 200
    assert PasswordReset.get(PasswordReset.user == personas.mentee_a.id).token_hash == hash_token(SENTINEL_TOKEN)
    response = client.post(f"/reset/{SENTINEL_TOKEN}", data={"password": SENTINEL_NEW_PASSWORD})
    assert response.status_code == 303
    assert login(app.test_client(), personas.mentee_a, SENTINEL_NEW_PASSWORD).status_code == 303

    recorded = {e.action for e in AuditEvent.select()}
    assert {"login.failure", "password.reset_requested", "password.reset", "login.success"} <= recorded
    secrets = [SENTINEL_PASSWORD, SENTINEL_NEW_PASSWORD, SENTINEL_TOKEN, hash_token(SENTINEL_TOKEN)]
    for row in AuditEvent.select().tuples():
        for value in row:
            for secret in secrets:
                assert secret.lower() not in str(value).lower(), (row, secret)
    logged = caplog.text.lower()
    assert "mail not sent" in logged  # the reset mail went to the log (no SMTP here)...
    assert "/reset/[redacted]" in logged
    for secret in (SENTINEL_PASSWORD, SENTINEL_NEW_PASSWORD, SENTINEL_TOKEN):
        assert secret.lower() not in logged  # ...with its link's token redacted
