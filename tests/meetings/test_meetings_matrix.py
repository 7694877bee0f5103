"""Every meetings route × every persona, against a table written out here.

DESIGN.md "who sees what": meeting summaries and action items are for the mentee and her active
mentor (and coordinators, for supervision); anything outside the rules is a 404, never a 403.
The calendar feed is public by design (a phone's calendar cannot sign in): the token is the key.
"""
from urllib.parse import urlparse

import pytest

from app.matches.models import Match
from app.meetings import ics
from app.meetings.models import CalendarFeed
from tests.conftest import PERSONA_NAMES
from tests.meetings.conftest import make_meeting, reload

LOGIN = "sent to sign in"

# URLs name real objects of match A (mentee A with mentor A): {proposed_id} a meeting mentor A
# proposed for three days from now, {held_id} a held meeting two days ago (with a private note),
# {due_id} a meeting yesterday still waiting to be logged, {match_id} match A, {token} mentee A's
# feed token, {bad_token} a made-up one. Writes are posted with an empty form. Rows run in this
# order for each persona, on a fresh database: the feed before the reset, and the accept last.
#                                                         mentee_a  mentor_a  mentee_b  mentor_b  coordinator  anonymous
EXPECTED = {
    "GET /meetings":                                        (200,     200,      200,      200,      404,         LOGIN),
    "GET /meetings/new":                                    (200,     200,      200,      200,      404,         LOGIN),
    "GET /meetings/{proposed_id}":                          (200,     200,      404,      404,      302,         LOGIN),
    "GET /meetings/{held_id}":                              (200,     200,      404,      404,      302,         LOGIN),
    "GET /meetings/{proposed_id}/meeting.ics":              (200,     200,      404,      404,      404,         LOGIN),
    "GET /meetings/{proposed_id}/reschedule":               (200,     200,      404,      404,      404,         LOGIN),
    "GET /meetings/{proposed_id}/cancel":                   (200,     200,      404,      404,      404,         LOGIN),
    "GET /meetings/{due_id}/log":                           (404,     200,      404,      404,      404,         LOGIN),
    "GET /meetings/log":                                    (404,     200,      404,      200,      404,         LOGIN),
    "GET /meetings/calendar":                               (200,     200,      200,      200,      404,         LOGIN),
    "GET /meetings/feed/{token}.ics":                       (200,     200,      200,      200,      200,         200),
    "GET /meetings/feed/{bad_token}.ics":                   (404,     404,      404,      404,      404,         404),
    "GET /meetings/matches/{match_id}":                     (404,     404,      404,      404,      200,         LOGIN),
    "GET /meetings/quiet":                                  (404,     404,      404,      404,      200,         LOGIN),
    "POST /meetings/new":                                   (422,     422,      422,      422,      404,         LOGIN),
    "POST /meetings/{proposed_id}/reschedule":              (422,     422,      404,      404,      404,         LOGIN),
    "POST /meetings/{proposed_id}/cancel":                  (422,     422,      404,      404,      404,         LOGIN),
    "POST /meetings/{held_id}/reflection":                  (303,     404,      404,      404,      404,         LOGIN),
    "POST /meetings/{due_id}/log":                          (404,     422,      404,      404,      404,         LOGIN),
    "POST /meetings/log":                                   (404,     422,      404,      422,      404,         LOGIN),
    "POST /meetings/calendar/reset":                        (303,     303,      303,      303,      404,         LOGIN),
    "POST /meetings/{proposed_id}/accept":                  (303,     303,      404,      404,      404,         LOGIN),
}


@pytest.fixture
def samples(personas):
    proposed = make_meeting(personas.match_a, days=3, status="proposed", proposed_by=personas.mentor_a)
    held = make_meeting(personas.match_a, days=-2, status="held", summary="Held summary",
                        private_note="Held private note")
    due = make_meeting(personas.match_a, days=-1, status="scheduled")
    feed = CalendarFeed.create(user=personas.mentee_a)
    return {
        "proposed_id": proposed.id, "held_id": held.id, "due_id": due.id, "match_id": personas.match_a.id,
        "token": ics.feed_token(feed), "bad_token": f"{feed.id}-{'0' * 40}",
    }


def split(row):
    method, path = row.split(" ", 1)
    return method, path


def rule_of(app, method, url):
    adapter = app.url_map.bind("localhost")
    rule, _ = adapter.match(urlparse(url).path, method=method, return_rule=True)
    return rule


def outcome(response):
    if response.status_code == 302 and urlparse(response.headers.get("Location", "")).path == "/login":
        return LOGIN
    return response.status_code


def test_the_table_covers_every_meetings_route_and_method(app, samples):
    in_table = {(method, rule_of(app, method, path.format(**samples)).rule)
                for method, path in map(split, EXPECTED)}
    in_app = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("meetings.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}

    assert in_app - in_table == set(), "meetings routes missing from EXPECTED: add a row for each"
    assert in_table - in_app == set(), "EXPECTED has rows for routes that are not meetings routes"


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_each_persona_reaches_exactly_what_the_table_says(personas, samples, login_as, persona):
    client = login_as(persona)
    column = PERSONA_NAMES.index(persona)
    mismatches = []
    for row, statuses in EXPECTED.items():
        method, path = split(row)
        response = client.open(path.format(**samples), method=method, data={})
        if outcome(response) != statuses[column]:
            mismatches.append(f"{row}: expected {statuses[column]}, got {outcome(response)}")
    assert mismatches == []


def test_the_coordinator_is_sent_to_the_supervision_page_for_a_meeting(personas, samples, login_as):
    response = login_as("coordinator").get(f"/meetings/{samples['held_id']}")

    assert response.headers["Location"].endswith(f"/meetings/matches/{personas.match_a.id}#meeting-{samples['held_id']}")


def test_refused_writes_change_nothing(personas, samples, login_as):
    for name in ("mentee_b", "mentor_b", "coordinator"):
        client = login_as(name)
        client.post(f"/meetings/{samples['proposed_id']}/accept")
        client.post(f"/meetings/{samples['proposed_id']}/cancel", data={"reason": "Not mine"})
        client.post(f"/meetings/{samples['held_id']}/reflection", data={"reflection": "Not mine", "helpfulness": "1"})

    from app.meetings.models import Meeting

    assert reload(Meeting(id=samples["proposed_id"])).status == "proposed"
    assert reload(Meeting(id=samples["held_id"])).mentee_reflection == ""


def meeting_routes(app):
    """(method, rule) for every meetings route that names a meeting."""
    return [(method, rule) for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("meetings.") and "meeting_id" in rule.arguments
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def test_after_the_match_is_closed_its_mentor_gets_404_on_all_of_its_meetings(app, personas, samples, login_as):
    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()
    mentor = login_as("mentor_a")
    routes = meeting_routes(app)
    assert len(routes) >= 10

    answers = {}
    for key in ("proposed_id", "held_id", "due_id"):
        for method, rule in routes:
            url = rule.build({"meeting_id": samples[key]}, append_unknown=False)[1]
            answers[f"{method} {url}"] = mentor.open(url, method=method, data={}).status_code

    assert set(answers.values()) == {404}, answers
    for page in ("/meetings", "/home"):
        text = mentor.get(page).text
        assert not any(f'/meetings/{samples[key]}"' in text for key in ("proposed_id", "held_id", "due_id"))


def test_after_the_match_is_closed_the_mentee_still_reads_but_cannot_change_its_meetings(personas, samples, login_as):
    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()
    mentee = login_as("mentee_a")

    assert mentee.get(f"/meetings/{samples['held_id']}").status_code == 200
    assert mentee.post(f"/meetings/{samples['proposed_id']}/accept").status_code == 404
    assert mentee.post(f"/meetings/{samples['proposed_id']}/cancel", data={"reason": "x"}).status_code == 404
    assert mentee.get(f"/meetings/{samples['proposed_id']}/reschedule").status_code == 404
    assert "Held private note" not in mentee.get(f"/meetings/{samples['held_id']}").text


def test_after_the_match_is_closed_its_coming_meetings_leave_the_mentees_lists_and_feed(personas, samples, login_as):
    mentee = login_as("mentee_a")
    assert f'/meetings/{samples["proposed_id"]}"' in mentee.get("/home").text

    Match.update(status="closed").where(Match.id == personas.match_a.id).execute()

    for page in ("/home", "/meetings"):
        assert f'/meetings/{samples["proposed_id"]}"' not in mentee.get(page).text
    feed = login_as("anonymous").get(f"/meetings/feed/{samples['token']}.ics")
    assert feed.status_code == 200
    assert b"BEGIN:VEVENT" not in feed.data
