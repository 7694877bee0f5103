"""CSRF: every state-changing request without a valid token gets 400 and changes nothing.

SECURITY.md items 10 and 15. The app here has CSRF on, as in production.
Each POST route is tried twice with a form that would change something: without a
token (400, nothing changes) and with the page's token in the X-CSRFToken header,
as htmx sends it (something changes), which shows the form was a real one.
"""
import datetime
import json
import re
from dataclasses import dataclass, field

import pytest
import time_machine

from app.auth.models import PasswordReset, User, UserSession, expiry, hash_token, new_token
from app.goals.models import Goal, GoalStep
from app.matches.models import Match
from app.meetings.models import CalendarFeed, Meeting
from app.models import ALL_MODELS
from app.timeutil import utc_to_local
from tests.conftest import TEST_PASSWORD, csrf_token_from, login, make_user
from tests.core.routes import (
    app_rules,
    app_without_pushed_context,
    every_route_key,
    is_sent_to_login,
    key_of_url,
    make_invitation,
    make_goal_sample,
    make_journal_sample,
    make_meeting_samples,
    rule_methods,
    known_rule_urls,
    sample_values,
)

NEW_PASSWORD = "quiet maple rivers drift home"


@pytest.fixture
def app(app_factory):
    return app_without_pushed_context(app_factory)


@pytest.fixture
def csrf_app(app_factory, personas):
    return app_factory(WTF_CSRF_ENABLED=True)


def sign_in(app, user, password=TEST_PASSWORD):
    """Sign in the way a browser does: the form's token comes from the sign-in page."""
    client = app.test_client()
    token = csrf_token_from(client.get("/login").text)
    response = login(client, user, password, csrf_token=token)
    assert response.status_code == 303, response.text
    return client


def page_token(client, url):
    return csrf_token_from(client.get(url).text)


def rename_with_token(client, name, token):
    """Change the signed-in person's name, sending `token` in the header as htmx does."""
    return client.post("/account/profile", data={"name": name, "timezone": "UTC", "locale": "en"},
                       headers={"X-CSRFToken": token})


def snapshot():
    """Every row of every table, so any change at all shows."""
    return {
        model.__name__: list(model.select().order_by(model._meta.primary_key).tuples())
        for model in ALL_MODELS
    }


def changed_tables(before, after):
    return sorted(name for name in before if before[name] != after[name])


@dataclass
class Case:
    """One POST route: who posts a form that changes something, where, and what."""

    actor: str  # "coordinator", "mentee" (A), "mentor" (A), or "visitor" and "invitee" (other browsers)
    url: str
    data: dict = field(default_factory=dict)
    token_page: str = "/account"


@pytest.fixture
def cases(personas):
    """A change-making form for every POST route, each on its own object so they do not collide."""
    coordinator = personas.coordinator
    waiting = make_user("sam.spare@example.org", "Sam Spare", "mentee")
    role_change = make_user("rue.role@example.org", "Rue Rolechange", "mentee")
    inactive = make_user("ina.inactive@example.org", "Ina Inactive", "mentee", active=False)
    forgetful = make_user("fay.forgot@example.org", "Fay Forgot", "mentee")
    resetting = make_user("reese.reset@example.org", "Reese Reset", "mentee")
    reset_token = new_token()
    PasswordReset.create(user=resetting, token_hash=hash_token(reset_token), expires=expiry(minutes=60))
    mentor_c = make_user("mentor.c@example.org", "Cal Mentor", "mentor")
    mentee_c = make_user("mentee.c@example.org", "Cyd Mentee", "mentee")
    paused = Match.create(mentor=mentor_c, mentee=mentee_c, status="paused", status_reason="Holiday")
    to_revoke, _ = make_invitation(coordinator, email="revoke.me@example.org")
    _, invite_token = make_invitation(coordinator, email="new.mentor@example.org", role="mentor")
    journal = make_journal_sample(personas)
    entry, reply, prompt = journal["entry"].id, journal["reply"].id, journal["prompt"].id
    mentee_a = personas.mentee_a.id
    # Goals: mentee A's sample goal gets a second step to move, and one goal for each status change.
    goal, step = make_goal_sample(personas)["goal"].id, make_goal_sample(personas)["step"].id
    second_step = GoalStep.create(goal=goal, title="Set an alarm", position=1, created_by=personas.mentee_a)
    doomed_step = GoalStep.create(goal=goal, title="Buy a step counter", position=2, created_by=personas.mentee_a)
    by_status = {status: Goal.create(mentee=personas.mentee_a, title=f"A goal to mark {status}", status=start,
                                     created_by=personas.mentee_a).id
                 for status, start in (("achieved", "active"), ("paused", "active"), ("let_go", "active"),
                                       ("active", "paused"))}
    # Meetings: one to accept, one to move and one to cancel (all proposed by mentor A for a time to come),
    # one started but not logged, one held; and mentee A's calendar feed, to reset.
    meetings = make_meeting_samples(personas)
    later = meetings["upcoming"].starts_at
    to_move, to_cancel = (Meeting.create(match=personas.match_a, proposed_by=personas.mentor_a, starts_at=later)
                          for _ in range(2))
    CalendarFeed.create(user=personas.mentee_a)
    # Dates and times as the forms take them: in the poster's own time zone.
    future_day = (datetime.date.today() + datetime.timedelta(days=21)).isoformat()
    past_day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    unlogged_start = utc_to_local(meetings["unlogged"].starts_at, personas.mentor_a.timezone)
    return [
        Case("visitor", "/login", {"email": coordinator.email, "password": TEST_PASSWORD}, token_page="/login"),
        Case("visitor", "/logout"),  # the visitor is signed in by then
        Case("invitee", f"/invite/{invite_token}", {"name": "Nell Newcomer", "password": NEW_PASSWORD},
             token_page=f"/invite/{invite_token}"),
        Case("coordinator", "/forgot", {"email": forgetful.email}),
        Case("coordinator", f"/reset/{reset_token}", {"password": NEW_PASSWORD}),
        Case("coordinator", "/account/profile", {"name": "Cora Renamed", "timezone": "UTC", "locale": "en"}),
        # The journal before the matches change: mentor A replies through his active match.
        Case("mentee", "/journal/draft", {"slot": "new", "body": "Half a thought", "revision": "0"},
             token_page="/journal/new"),
        Case("mentee", "/journal/entries", {"body": "A new entry", "mood": "4", "idempotency_key": "csrf-case"},
             token_page="/journal/new"),
        Case("mentee", "/journal/settings", {"share_new_by_default": "y", "mood_visible_to_mentor": "y"},
             token_page="/journal/settings"),
        Case("mentee", f"/journal/entries/{entry}/edit", {"body": "Edited words", "mood": "3",
                                                           "idempotency_key": "sample-a"},
             token_page=f"/journal/entries/{entry}/edit"),
        Case("mentor", f"/journal/mentees/{mentee_a}/entries/{entry}/replies", {"body": "Proud of you"},
             token_page="/journal/shared"),
        Case("mentee", f"/journal/entries/{entry}/share", {"shared": "0"}, token_page=f"/journal/entries/{entry}"),
        Case("coordinator", "/journal/prompts", {"text": "What made you smile today?"}),
        Case("coordinator", f"/journal/prompts/{prompt}", {"text": "What helped you this week?", "active": "y"}),
        Case("mentee", f"/journal/entries/{entry}/replies/{reply}/delete", token_page=f"/journal/entries/{entry}"),
        Case("mentee", f"/journal/entries/{entry}/delete", token_page=f"/journal/entries/{entry}"),
        Case("coordinator", f"/journal/prompts/{prompt}/delete"),
        # Goals and meetings before the matches change: mentor A acts through his active match.
        Case("mentee", "/goals/new", {"title": "Sleep by eleven", "area": "mental_health"}, token_page="/goals/new"),
        Case("mentee", f"/goals/{goal}/edit", {"title": "Walk every morning before work", "area": "physical_health"},
             token_page=f"/goals/{goal}/edit"),
        Case("mentor", f"/goals/{goal}/steps", {"title": "Lay out clothes the night before"},
             token_page=f"/goals/{goal}"),
        Case("mentee", f"/goals/{goal}/steps/{step}/toggle", {"done": "1"}, token_page=f"/goals/{goal}"),
        Case("mentor", f"/goals/{goal}/steps/{step}/edit", {"edit-title": "Buy comfortable shoes"},
             token_page=f"/goals/{goal}/steps/{step}/edit"),
        Case("mentee", f"/goals/{goal}/steps/{second_step.id}/move", {"direction": "up"},
             token_page=f"/goals/{goal}"),
        Case("mentor", f"/goals/{goal}/updates", {"body": "Walked three mornings this week"},
             token_page=f"/goals/{goal}"),
        Case("mentee", f"/goals/{by_status['achieved']}/status/achieved", {"note": "Going with a friend helped"},
             token_page=f"/goals/{by_status['achieved']}/status/achieved"),
        Case("mentee", f"/goals/{by_status['paused']}/status/paused", token_page=f"/goals/{by_status['paused']}"),
        Case("mentor", f"/goals/{by_status['let_go']}/status/let_go", {"note": "Other things matter more now"},
             token_page=f"/goals/{by_status['let_go']}/status/let_go"),
        Case("mentee", f"/goals/{by_status['active']}/status/active", token_page=f"/goals/{by_status['active']}"),
        Case("mentee", f"/goals/{goal}/steps/{doomed_step.id}/delete",
             token_page=f"/goals/{goal}/steps/{doomed_step.id}/delete"),
        Case("mentee", "/meetings/new", {"date": future_day, "time": "10:00", "duration": "60", "format": "phone"},
             token_page="/meetings/new"),
        Case("mentee", f"/meetings/{meetings['upcoming'].id}/accept",
             token_page=f"/meetings/{meetings['upcoming'].id}"),
        Case("mentor", f"/meetings/{to_move.id}/reschedule", {"date": future_day, "time": "11:30", "duration": "45",
                                                                "reason": "I have a clinic appointment then"},
             token_page=f"/meetings/{to_move.id}/reschedule"),
        Case("mentee", f"/meetings/{to_cancel.id}/cancel", {"reason": "I start a new job that week"},
             token_page=f"/meetings/{to_cancel.id}/cancel"),
        Case("mentor", f"/meetings/{meetings['unlogged'].id}/log",
             {"outcome": "held", "date": unlogged_start.date().isoformat(),
              "start_time": unlogged_start.strftime("%H:%M"), "format": "in_person",
              "summary": "Ada found a morning routine that works."},
             token_page=f"/meetings/{meetings['unlogged'].id}/log"),
        Case("mentor", "/meetings/log", {"match": personas.match_a.id, "outcome": "held", "date": past_day,
                                         "start_time": "18:00", "end_time": "18:20", "format": "phone",
                                         "summary": "A short call after a hard day."},
             token_page=f"/meetings/log?match={personas.match_a.id}"),
        Case("mentee", f"/meetings/{meetings['held'].id}/reflection",
             {"reflection": "It helped to say it out loud.", "helpfulness": "4"},
             token_page=f"/meetings/{meetings['held'].id}"),
        Case("mentee", "/meetings/calendar/reset", token_page="/meetings/calendar"),
        Case("coordinator", f"/people/{role_change.id}/role", {"role": "mentor"}),
        Case("coordinator", f"/people/{personas.mentee_b.id}/deactivate", {"reason": "Left the program"}),
        Case("coordinator", f"/people/{inactive.id}/reactivate"),
        Case("coordinator", "/invitations", {"email": "someone.new@example.org", "role": "mentee"}),
        Case("coordinator", f"/invitations/{to_revoke.id}/revoke"),
        Case("coordinator", "/matches/new", {"mentor": personas.mentor_a.id, "mentee": waiting.id}),
        Case("coordinator", f"/matches/{personas.match_a.id}/pause", {"reason": "Exams"}),
        Case("coordinator", f"/matches/{personas.match_b.id}/close", {"reason": "Goals reached"}),
        Case("coordinator", f"/matches/{paused.id}/resume"),
        Case("coordinator", "/account/email", {"email-email": "cora.new@example.org",
                                               "email-current_password": TEST_PASSWORD}),
        # Last: it gives the coordinator a new session.
        Case("coordinator", "/account/password", {"password-current_password": TEST_PASSWORD,
                                                  "password-password": NEW_PASSWORD}),
    ]


def test_the_cases_cover_every_route_that_accepts_post(csrf_app, cases):
    covered = {key_of_url(csrf_app, "POST", case.url) for case in cases}
    required = {key for key in every_route_key(csrf_app, include_public=True) if key[0] == "POST"}
    missing = sorted(required - covered)
    assert not missing, (
        f"add a Case to `cases` in tests/core/test_csrf.py (a form that changes something) for: {missing}"
    )


def test_every_post_without_a_token_gets_400_and_changes_nothing(csrf_app, personas, cases):
    coordinator = sign_in(csrf_app, personas.coordinator)
    clients = {"coordinator": coordinator, "mentee": sign_in(csrf_app, personas.mentee_a),
               "mentor": sign_in(csrf_app, personas.mentor_a), "visitor": csrf_app.test_client(),
               "invitee": csrf_app.test_client()}
    for case in cases:
        before = snapshot()
        refused = coordinator.post(case.url, data=case.data)
        assert refused.status_code == 400, f"POST {case.url} without a token answered {refused.status_code}"
        assert "This form has expired" in refused.text
        assert changed_tables(before, snapshot()) == [], f"POST {case.url} without a token changed something"

        # The same form with the page's token does change something: the form above was a real one.
        client = clients[case.actor]
        token = page_token(client, case.token_page)
        before = snapshot()  # again: reading the page may be audited
        accepted = client.post(case.url, data=case.data, headers={"X-CSRFToken": token})
        assert accepted.status_code in (200, 303), f"POST {case.url} with a token answered {accepted.status_code}"
        assert changed_tables(before, snapshot()), f"POST {case.url} with a token changed nothing"


def test_every_route_that_accepts_post_refuses_a_post_without_a_token(csrf_app, personas):
    """Every POST rule of url_map (including ones with no Case yet), with real ids, as the coordinator."""
    client = sign_in(csrf_app, personas.coordinator)
    values = sample_values(personas)
    urls = [url for rule in app_rules(csrf_app) if "POST" in rule_methods(rule)
            for url, _ in known_rule_urls(rule, values)]  # makes the sample objects first
    assert len(urls) >= 20
    for url in urls:
        before = snapshot()
        response = client.post(url, data={"name": "Changed", "reason": "Changed", "body": "Changed"})
        assert response.status_code == 400, f"POST {url} without a token answered {response.status_code}"
        assert changed_tables(before, snapshot()) == [], f"POST {url} without a token changed something"


def test_a_token_in_the_form_field_works_too(csrf_app, personas):
    client = sign_in(csrf_app, personas.coordinator)
    token = page_token(client, "/account")
    response = client.post("/account/profile", data={"name": "Cora Field", "timezone": "UTC", "locale": "en",
                                                     "csrf_token": token})
    assert response.status_code == 303
    assert User.get_by_id(personas.coordinator.id).name == "Cora Field"


def test_a_token_from_another_browser_is_refused(csrf_app, personas):
    client = sign_in(csrf_app, personas.coordinator)
    stranger_token = page_token(csrf_app.test_client(), "/login")
    response = rename_with_token(client, "Mallory", stranger_token)
    assert response.status_code == 400
    assert User.get_by_id(personas.coordinator.id).name == "Cora Coordinator"


def test_a_garbled_token_is_refused(csrf_app, personas):
    client = sign_in(csrf_app, personas.coordinator)
    token = page_token(client, "/account")
    response = rename_with_token(client, "Mallory", token[:-3] + "xyz")
    assert response.status_code == 400
    assert User.get_by_id(personas.coordinator.id).name == "Cora Coordinator"


def test_signing_out_with_the_meta_tag_token_in_the_header_works(csrf_app, personas):
    client = sign_in(csrf_app, personas.coordinator)
    page = client.get("/home").text
    token = csrf_token_from(page)
    # htmx sends the same token on every request: it is set on <body> for all elements to inherit.
    hx_headers = re.search(r"<body hx-headers:inherited='([^']+)'", page)
    assert hx_headers and json.loads(hx_headers.group(1)) == {"X-CSRFToken": token}

    response = client.post("/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 303
    assert is_sent_to_login(response)
    assert UserSession.select().where(UserSession.user == personas.coordinator.id).count() == 0
    assert is_sent_to_login(client.get("/home"))


def test_the_token_keeps_working_through_an_hour_of_activity(csrf_app, personas):
    """A journal page left open for an hour must still save (WTF_CSRF_TIME_LIMIT is None)."""
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] is None
    start = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.timezone.utc)
    with time_machine.travel(start, tick=False) as traveller:
        client = sign_in(csrf_app, personas.coordinator)
        token = page_token(client, "/account")
        for _ in range(7):  # a page now and then: never idle for long, 70 minutes in all
            traveller.shift(datetime.timedelta(minutes=10))
            assert client.get("/home").status_code == 200
        response = rename_with_token(client, "Cora After An Hour", token)
    assert response.status_code == 303
    assert User.get_by_id(personas.coordinator.id).name == "Cora After An Hour"


def test_the_token_stops_working_once_the_person_signs_out(csrf_app, personas):
    client = sign_in(csrf_app, personas.coordinator)
    token = page_token(client, "/account")
    assert client.post("/logout", headers={"X-CSRFToken": token}).status_code == 303
    response = rename_with_token(client, "Ghost", token)
    assert response.status_code == 400
    assert User.get_by_id(personas.coordinator.id).name == "Cora Coordinator"


class SigningCounter:
    """Counts how often flask-wtf signs a form token (it makes a serializer for each signing)."""

    def __init__(self, monkeypatch):
        import flask_wtf.csrf

        self.count = 0
        real = flask_wtf.csrf.URLSafeTimedSerializer

        def counting(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", counting)


def test_later_pages_of_a_session_reuse_its_signed_token(csrf_app, personas, monkeypatch):
    client = sign_in(csrf_app, personas.coordinator)
    first = page_token(client, "/account")
    signings = SigningCounter(monkeypatch)
    later = [page_token(client, url) for url in ("/home", "/account", "/people")]
    assert later == [first] * 3
    assert signings.count == 0
    response = rename_with_token(client, "Cora Reused", later[-1])
    assert response.status_code == 303
    assert User.get_by_id(personas.coordinator.id).name == "Cora Reused"


def test_each_session_keeps_its_own_token(csrf_app, personas):
    """Two browsers of the same person: neither is handed the other's remembered token."""
    first, second = sign_in(csrf_app, personas.coordinator), sign_in(csrf_app, personas.coordinator)
    tokens = [page_token(client, "/home") for client in (first, second, first, second)]
    assert tokens[0] == tokens[2] and tokens[1] == tokens[3] and tokens[0] != tokens[1]
    response = rename_with_token(second, "Cora Crossed", tokens[0])
    assert response.status_code == 400
    assert User.get_by_id(personas.coordinator.id).name == "Cora Coordinator"


def test_signing_in_again_gives_a_new_token_and_the_old_one_stops_working(csrf_app, personas):
    client = sign_in(csrf_app, personas.coordinator)
    old = page_token(client, "/home")
    assert client.post("/logout", headers={"X-CSRFToken": old}).status_code == 303
    login_token = page_token(client, "/login")
    assert login(client, personas.coordinator, csrf_token=login_token).status_code == 303
    new = page_token(client, "/home")
    assert new not in (old, login_token)
    assert rename_with_token(client, "Cora Again", old).status_code == 400
    assert rename_with_token(client, "Cora Again", new).status_code == 303


def test_no_get_request_changes_anything(csrf_app, personas):
    """GET never changes state. Audit rows are left out: reading someone's data is audited."""
    client = sign_in(csrf_app, personas.coordinator)
    values = sample_values(personas)
    urls = [url for rule in app_rules(csrf_app) if "GET" in rule_methods(rule)
            for url, _ in known_rule_urls(rule, values)]  # makes the sample objects first
    assert len(urls) >= 15
    before = snapshot()
    for url in urls:
        client.get(url)
    after = snapshot()
    assert [name for name in changed_tables(before, after) if name != "AuditEvent"] == []
    assert client.get("/home").status_code == 200  # and still signed in


def test_a_page_of_many_forms_asks_for_the_token_once_and_each_form_carries_it(csrf_app, personas, monkeypatch):
    from app import csrf_tokens
    from tests.goals.conftest import make_goal

    goal = make_goal(personas.mentee_a, steps=["Call the clinic", "Book the visit"])
    client = sign_in(csrf_app, personas.mentee_a)
    asked = []
    real = csrf_tokens.generate_csrf
    monkeypatch.setattr(csrf_tokens, "generate_csrf", lambda: asked.append(1) or real())
    seen = set()
    for visit in (1, 2):
        page = client.get(f"/goals/{goal.id}").text
        tokens = re.findall(r'name="csrf_token" value="([^"]+)"', page)
        tokens += re.findall(r'<meta name="csrf-token" content="([^"]+)"', page)
        assert len(tokens) >= 5 and len(set(tokens)) == 1
        seen.update(tokens)
        # Once on the first visit, not once per form; on the next, the worker's remembered token
        # is the page's token from the start, and nothing asks.
        assert len(asked) == 1
    assert len(seen) == 1
    step = GoalStep.get(GoalStep.title == "Call the clinic")
    ticked = client.post(f"/goals/{goal.id}/steps/{step.id}/toggle", data={"csrf_token": tokens[0], "done": "1"})
    assert ticked.status_code == 303 and GoalStep.get_by_id(step.id).done_at is not None
