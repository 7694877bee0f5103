"""Who reaches what: every non-public route × every persona, against a table written out here.

DESIGN.md "who sees what": anything outside the rules is a 404 (never 403), and
a mentor reaches a mentee only through an active match.
"""
import pytest
from flask_login import AnonymousUserMixin

from app import policy
from app.auth.models import User
from app.matches.models import Match
from tests.conftest import PERSONA_NAMES, csrf_token_from
from tests.core.routes import (
    app_rules,
    app_without_pushed_context,
    every_route_key,
    is_htmx_sent_to_login,
    is_public,
    is_sent_to_login,
    key_of_url,
    make_invitation,
    redirect_path,
    rule_methods,
    rule_urls,
    sample_values,
)

LOGIN = "sent to sign in"
RAN = "ran"  # the view ran and answered (200, a 303 back to a page, or a 422 form)

# Every non-public route, and what each persona gets. URLs name real objects
# (tests/core/routes.py SAMPLE_FACTORIES): {person_id} and {mentee_id} are Ada (mentee A),
# {match_id} her match with mentor A, {invitation_id} a pending invitation, {entry_id} Ada's
# journal entry shared with mentor A, {reply_id} his reply on it, {prompt_id} a writing
# prompt; Ada lets her mentor see her mood chart; {goal_id} her goal with one step {step_id};
# {meeting_id} a meeting mentor A proposed for a time to come, {unlogged_meeting_id} one that
# started two hours ago and is not logged yet, {held_meeting_id} a held one with a private note;
# {token} is not a real calendar feed token. Writes are posted with an empty form, GETs run
# first, and POSTs in this order (the deleting ones last).
# Columns follow PERSONA_NAMES: mentee_a, mentor_a, mentee_b, mentor_b, coordinator, anonymous.
#                                                                    tee A  tor A  tee B  tor B  coord  anon
EXPECTED = {
    "GET /home":                                                    (200,   200,   200,   200,   200,   LOGIN),
    "GET /account":                                                 (200,   200,   200,   200,   200,   LOGIN),
    "GET /people":                                                  (404,   404,   404,   404,   200,   LOGIN),
    "GET /people/{person_id}":                                      (404,   404,   404,   404,   200,   LOGIN),
    "GET /people/{person_id}/deactivate":                           (404,   404,   404,   404,   200,   LOGIN),
    "GET /invitations":                                             (404,   404,   404,   404,   200,   LOGIN),
    "GET /matches":                                                 (404,   404,   404,   404,   200,   LOGIN),
    "GET /matches/new":                                             (404,   404,   404,   404,   200,   LOGIN),
    "GET /matches/{match_id}":                                      (404,   404,   404,   404,   200,   LOGIN),
    "GET /matches/{match_id}/pause":                                (404,   404,   404,   404,   200,   LOGIN),
    "GET /matches/{match_id}/close":                                (404,   404,   404,   404,   200,   LOGIN),
    "GET /audit":                                                   (404,   404,   404,   404,   200,   LOGIN),
    # The journal: the mentee's own; shared entries for her active mentor; nothing for coordinators.
    "GET /journal":                                                 (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/new":                                             (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/prompt":                                          (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/mood":                                            (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/settings":                                        (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/export":                                          (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/export.json":                                     (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/export.csv":                                      (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/export/print":                                    (200,   404,   200,   404,   404,   LOGIN),
    "GET /journal/entries/{entry_id}":                              (200,   404,   404,   404,   404,   LOGIN),
    "GET /journal/entries/{entry_id}/edit":                         (200,   404,   404,   404,   404,   LOGIN),
    "GET /journal/entries/{entry_id}/delete":                       (200,   404,   404,   404,   404,   LOGIN),
    "GET /journal/entries/{entry_id}/replies/{reply_id}/delete":    (200,   404,   404,   404,   404,   LOGIN),
    "GET /journal/shared":                                          (404,   200,   404,   200,   404,   LOGIN),
    "GET /journal/mentees/{mentee_id}":                             (404,   200,   404,   404,   404,   LOGIN),
    "GET /journal/mentees/{mentee_id}/entries/{entry_id}":          (404,   200,   404,   404,   404,   LOGIN),
    "GET /journal/mentees/{mentee_id}/mood":                        (404,   200,   404,   404,   404,   LOGIN),
    "GET /journal/prompts":                                         (404,   404,   404,   404,   200,   LOGIN),
    "GET /journal/prompts/{prompt_id}":                             (404,   404,   404,   404,   200,   LOGIN),
    "GET /journal/prompts/{prompt_id}/delete":                      (404,   404,   404,   404,   200,   LOGIN),
    # Goals: the mentee's own, and her active mentor's. Coordinators see only counts, on the match
    # page: every goal URL is a 404 for them. ?mentee= names whose goal a mentor creates; a mentee's own.
    "GET /goals":                                                   (200,   200,   200,   200,   404,   LOGIN),
    "GET /goals/past":                                              (200,   404,   200,   404,   404,   LOGIN),
    "GET /goals/mentees/{mentee_id}":                               (302,   200,   404,   404,   404,   LOGIN),
    "GET /goals/new?mentee={mentee_id}":                            (200,   200,   200,   404,   404,   LOGIN),
    "GET /goals/{goal_id}":                                         (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/edit":                                    (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/status/active":                           (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/status/achieved":                         (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/status/paused":                           (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/status/let_go":                           (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/steps/{step_id}/edit":                    (200,   200,   404,   404,   404,   LOGIN),
    "GET /goals/{goal_id}/steps/{step_id}/delete":                  (200,   200,   404,   404,   404,   LOGIN),
    # Meetings: the mentee and the active mentor of the match. Coordinators supervise: a meeting's
    # page sends them to the match's supervision page; the supervision pages are theirs alone.
    # The calendar feed is public by its secret token (a calendar app cannot sign in): a bad one is a 404.
    "GET /meetings":                                                (200,   200,   200,   200,   404,   LOGIN),
    "GET /meetings/new":                                            (200,   200,   200,   200,   404,   LOGIN),
    "GET /meetings/log?match={match_id}":                           (404,   200,   404,   404,   404,   LOGIN),
    "GET /meetings/calendar":                                       (200,   200,   200,   200,   404,   LOGIN),
    "GET /meetings/feed/{token}.ics":                               (404,   404,   404,   404,   404,   404),
    "GET /meetings/quiet":                                          (404,   404,   404,   404,   200,   LOGIN),
    "GET /meetings/matches/{match_id}":                             (404,   404,   404,   404,   200,   LOGIN),
    "GET /meetings/{meeting_id}":                                   (200,   200,   404,   404,   302,   LOGIN),
    "GET /meetings/{meeting_id}/meeting.ics":                       (200,   200,   404,   404,   404,   LOGIN),
    "GET /meetings/{meeting_id}/reschedule":                        (200,   200,   404,   404,   404,   LOGIN),
    "GET /meetings/{meeting_id}/cancel":                            (200,   200,   404,   404,   404,   LOGIN),
    "GET /meetings/{unlogged_meeting_id}/log":                      (404,   200,   404,   404,   404,   LOGIN),
    "POST /account/profile":                                        (422,   422,   422,   422,   422,   LOGIN),
    "POST /account/email":                                          (422,   422,   422,   422,   422,   LOGIN),
    "POST /account/password":                                       (422,   422,   422,   422,   422,   LOGIN),
    "POST /people/{person_id}/role":                                (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /people/{person_id}/reactivate":                          (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /people/{person_id}/deactivate":                          (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /invitations":                                            (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /invitations/{invitation_id}/revoke":                     (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /matches/new":                                            (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /matches/{match_id}/pause":                               (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /matches/{match_id}/close":                               (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /matches/{match_id}/resume":                              (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /journal/draft":                                          (200,   404,   200,   404,   404,   LOGIN),
    "POST /journal/entries":                                        (422,   404,   422,   404,   404,   LOGIN),
    "POST /journal/settings":                                       (RAN,   404,   RAN,   404,   404,   LOGIN),
    "POST /journal/entries/{entry_id}/edit":                        (422,   404,   404,   404,   404,   LOGIN),
    "POST /journal/entries/{entry_id}/share":                       (RAN,   404,   404,   404,   404,   LOGIN),
    "POST /journal/mentees/{mentee_id}/entries/{entry_id}/replies": (404,   422,   404,   404,   404,   LOGIN),
    "POST /journal/prompts":                                        (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /journal/prompts/{prompt_id}":                            (404,   404,   404,   404,   RAN,   LOGIN),
    "POST /goals/new?mentee={mentee_id}":                           (422,   422,   422,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/edit":                                   (422,   422,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/updates":                                (422,   422,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/steps":                                  (422,   422,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/steps/{step_id}/edit":                   (422,   422,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/steps/{step_id}/toggle":                 (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/steps/{step_id}/move":                   (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/status/achieved":                        (422,   422,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/status/paused":                          (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/status/let_go":                          (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/status/active":                          (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /meetings/new":                                           (422,   422,   422,   422,   404,   LOGIN),
    "POST /meetings/log?match={match_id}":                          (404,   422,   404,   404,   404,   LOGIN),
    "POST /meetings/calendar/reset":                                (RAN,   RAN,   RAN,   RAN,   404,   LOGIN),
    "POST /meetings/{meeting_id}/accept":                           (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /meetings/{meeting_id}/reschedule":                       (422,   422,   404,   404,   404,   LOGIN),
    "POST /meetings/{meeting_id}/cancel":                           (422,   422,   404,   404,   404,   LOGIN),
    "POST /meetings/{unlogged_meeting_id}/log":                     (404,   422,   404,   404,   404,   LOGIN),
    "POST /meetings/{held_meeting_id}/reflection":                  (RAN,   404,   404,   404,   404,   LOGIN),
    "POST /journal/entries/{entry_id}/replies/{reply_id}/delete":   (RAN,   404,   404,   404,   404,   LOGIN),
    "POST /goals/{goal_id}/steps/{step_id}/delete":                 (RAN,   RAN,   404,   404,   404,   LOGIN),
    "POST /journal/entries/{entry_id}/delete":                      (RAN,   404,   404,   404,   404,   LOGIN),
    "POST /journal/prompts/{prompt_id}/delete":                     (404,   404,   404,   404,   RAN,   LOGIN),
}

MENTORS_AND_MENTEES = ["mentee_a", "mentor_a", "mentee_b", "mentor_b"]


@pytest.fixture
def app(app_factory):
    return app_without_pushed_context(app_factory)


@pytest.fixture
def ids(personas):
    return sample_values(personas)


def _expand(row, ids):
    method, template = row.split(" ", 1)
    return method, template.format_map(ids)


def _outcome(response, htmx=False):
    if htmx and is_htmx_sent_to_login(response):
        return LOGIN
    if is_sent_to_login(response):
        return LOGIN
    return response.status_code


def _matches(expected, response, htmx=False):
    actual = _outcome(response, htmx)
    if expected == RAN:
        return actual in (200, 303, 422)
    return actual == expected


def _describe(response, htmx=False):
    actual = _outcome(response, htmx)
    where = redirect_path(response)
    return f"{actual}" + (f" -> {where}" if where and actual != LOGIN else "")


def test_the_table_lists_every_route_that_is_not_public(app, ids):
    listed = {key_of_url(app, *_expand(row, ids)) for row in EXPECTED}
    required = every_route_key(app)
    missing = sorted(required - listed)
    extra = sorted(listed - required)
    assert not missing, (
        "these routes are not in EXPECTED of tests/core/test_persona_matrix.py; add a row saying "
        f"what each persona gets: {missing}"
    )
    assert not extra, f"these rows of EXPECTED match no route any more: {extra}"


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_each_persona_reaches_only_what_the_table_allows(login_as, ids, persona):
    """Pages, and the same pages asked by htmx (fragments), then writes."""
    client = login_as(persona)
    column = PERSONA_NAMES.index(persona)
    mismatches = []
    # GETs first: the coordinator's empty-form POSTs may change things (deactivate, revoke).
    for row, expected in sorted(EXPECTED.items(), key=lambda item: not item[0].startswith("GET")):
        method, url = _expand(row, ids)
        response = client.open(url, method=method)
        if not _matches(expected[column], response):
            mismatches.append(f"{row}: expected {expected[column]}, got {_describe(response)}")
        if method == "GET":
            fragment = client.get(url, headers={"HX-Request": "true"})
            if not _matches(expected[column], fragment, htmx=True):
                mismatches.append(f"{row} (HX-Request): expected {expected[column]}, got {_describe(fragment, True)}")
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


def test_what_is_refused_shows_nothing_of_the_object(login_as, personas, ids):
    """A 404 looks the same whether or not the object exists: no names leak into it."""
    client = login_as("mentor_a")
    for row, expected in EXPECTED.items():
        method, url = _expand(row, ids)
        if method == "GET" and expected[1] == 404:
            text = client.get(url).text
            assert "Ada Mentee" not in text and "mentee.a@example.org" not in text, row
    real = client.get(f"/people/{personas.mentee_a.id}")
    missing = client.get("/people/987654")
    assert real.status_code == missing.status_code == 404
    # The pages differ only in the CSRF token, which is signed with the time.
    assert _without_csrf_token(real.text) == _without_csrf_token(missing.text)


def _without_csrf_token(html):
    return html.replace(csrf_token_from(html), "TOKEN")


COORDINATOR_AREAS = ("people.", "matches.")


@pytest.mark.parametrize("persona", MENTORS_AND_MENTEES)
def test_mentors_and_mentees_get_404_for_every_person_match_and_invitation_url(login_as, personas, persona):
    """Whoever's id is in the URL (their own, their mentee's, their mentor's, a stranger's), and any method:
    the people, invitation and match pages are the coordinators' alone."""
    invitation, _ = make_invitation(personas.coordinator)
    candidates = {
        "person_id": [personas.by_name(name).id for name in PERSONA_NAMES if name != "anonymous"],
        "match_id": [personas.match_a.id, personas.match_b.id],
        "invitation_id": [invitation.id],
    }
    client = login_as(persona)
    app = client.application
    checked = 0
    wrong = []
    for rule in app_rules(app):
        id_args = [arg for arg in rule.arguments if arg in candidates]
        if is_public(rule) or not id_args or not rule.endpoint.startswith(COORDINATOR_AREAS):
            continue
        (arg,) = id_args
        for value in candidates[arg]:
            for url, _ in rule_urls(rule, {arg: value}):
                for method in rule_methods(rule):
                    response = client.open(url, method=method)
                    checked += 1
                    if response.status_code != 404:
                        wrong.append(f"{method} {url}: {_describe(response)}")
    assert checked >= 30
    assert not wrong, f"{persona} reached:\n" + "\n".join(wrong)
    # Nothing was changed along the way.
    assert User.get_by_id(personas.mentee_a.id).active
    assert Match.get_by_id(personas.match_a.id).status == "active"


def test_a_coordinator_gets_404_for_people_and_matches_that_do_not_exist(login_as):
    client = login_as("coordinator")
    for url in ("/people/987654", "/people/987654/deactivate", "/matches/987654", "/matches/987654/close"):
        assert client.get(url).status_code == 404, url
    for url in ("/people/987654/role", "/people/987654/reactivate", "/invitations/987654/revoke",
                "/matches/987654/resume"):
        assert client.post(url).status_code == 404, url


def test_a_mentor_home_lists_their_mentee_only_until_the_match_is_closed(login_as, personas):
    mentor = login_as("mentor_a")
    mentee = login_as("mentee_a")
    assert "Ada Mentee" in mentor.get("/home").text
    assert "Bea Mentee" not in mentor.get("/home").text
    assert "Abe Mentor" in mentee.get("/home").text

    coordinator = login_as("coordinator")
    response = coordinator.post(f"/matches/{personas.match_a.id}/close", data={"reason": "Ada moved away"})
    assert response.status_code == 303
    assert Match.get_by_id(personas.match_a.id).status == "closed"

    home = mentor.get("/home")
    assert home.status_code == 200
    assert "Ada Mentee" not in home.text
    assert "Abe Mentor" not in mentee.get("/home").text
    assert list(policy.mentees_of(personas.mentor_a)) == []


# policy, directly

def _set_status(match, status):
    match.status = status
    match.save()


def test_an_active_match_gives_the_mentor_access_to_their_mentee(personas):
    assert [m.id for m in policy.mentees_of(personas.mentor_a)] == [personas.mentee_a.id]
    assert policy.active_mentor_of(personas.mentee_a).id == personas.mentor_a.id
    assert policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)


@pytest.mark.parametrize("status", ["paused", "closed"])
def test_a_paused_or_closed_match_gives_no_access(personas, status):
    _set_status(personas.match_a, status)
    assert list(policy.mentees_of(personas.mentor_a)) == []
    assert policy.active_mentor_of(personas.mentee_a) is None
    assert not policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)
    # The other pair is untouched.
    assert policy.is_active_mentor_of(personas.mentor_b, personas.mentee_b)


def test_a_mentor_has_no_access_to_another_mentors_mentee(personas):
    assert not policy.is_active_mentor_of(personas.mentor_a, personas.mentee_b)
    assert not policy.is_active_mentor_of(personas.mentor_b, personas.mentee_a)
    assert personas.mentee_b.id not in [m.id for m in policy.mentees_of(personas.mentor_a)]


def test_only_a_mentor_can_be_an_active_mentor(personas):
    for user in (personas.coordinator, personas.mentee_a, personas.mentee_b, AnonymousUserMixin(), None):
        assert not policy.is_active_mentor_of(user, personas.mentee_a)


def test_a_mentor_whose_role_changed_loses_access_even_with_an_active_match(personas):
    personas.mentor_a.role = "mentee"
    personas.mentor_a.save()
    assert not policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)


def test_a_new_active_match_after_a_closed_one_gives_access_again(personas):
    _set_status(personas.match_a, "closed")
    Match.create(mentor=personas.mentor_a, mentee=personas.mentee_a)
    assert policy.is_active_mentor_of(personas.mentor_a, personas.mentee_a)
    assert policy.active_mentor_of(personas.mentee_a).id == personas.mentor_a.id


def test_a_deactivated_mentee_is_not_among_the_mentors_mentees(personas):
    personas.mentee_a.active = False
    personas.mentee_a.save()
    assert list(policy.mentees_of(personas.mentor_a)) == []


def test_only_coordinators_see_every_person_and_match(personas):
    everyone = {personas.by_name(name).id for name in PERSONA_NAMES if name != "anonymous"}
    assert {u.id for u in policy.people_visible_to(personas.coordinator)} == everyone
    assert {u.id for u in policy.people_visible_to(personas.mentor_a)} == {personas.mentor_a.id}
    assert {m.id for m in policy.matches_visible_to(personas.coordinator)} == {personas.match_a.id, personas.match_b.id}
    assert {m.id for m in policy.matches_visible_to(personas.mentor_a)} == {personas.match_a.id}
    assert {m.id for m in policy.matches_visible_to(personas.mentee_b)} == {personas.match_b.id}
