"""Every journal route and fragment × every persona, against a table written out here.

DESIGN.md "who sees what": a mentee reads and writes their own journal; their active
mentor reads (and replies to) only what they shared; coordinators see no journal text
(they only edit prompts); everything else is 404, and anonymous visitors are sent to
sign in. A journal route missing from the table fails the test.

URLs name real objects of mentee A: {private} is an entry she kept private, {shared}
one she shared with mentor A, {reply} mentor A's reply on it, {mentee_a} and {mentee_b}
the mentees, {prompt} a writing prompt. A write that is refused must change nothing.
"""
from urllib.parse import urlparse

import pytest

from app.journal.models import JournalDraft, JournalEntry, JournalPrompt, JournalRead, JournalReply, JournalSettings
from tests.conftest import signed_in_client
from tests.journal.conftest import entry_form, make_entry, make_reply

LOGIN = "sent to sign in"
PERSONAS = ["mentee_a", "mentor_a", "mentee_b", "mentor_b", "coordinator", "anonymous"]

# " [htmx]" sends HX-Request (a fragment); " (mood allowed)" first lets mentor A see A's mood chart.
#                                                               mentee_a mentor_a mentee_b mentor_b coordinator anonymous
EXPECTED = {
    "GET /journal":                                               (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal?q=words&mood=3&feeling=calm&month=2026-01":     (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal?page=2 [htmx]":                                 (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/new":                                           (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/prompt":                                        (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/prompt?skip=1 [htmx]":                          (200,    404,     200,     404,     404,        LOGIN),
    "POST /journal/draft":                                        (200,    404,     200,     404,     404,        LOGIN),
    "POST /journal/draft (edit slot of {private})":               (200,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries":                                      (303,    404,     303,     404,     404,        LOGIN),
    "GET /journal/entries/{private}":                             (200,    404,     404,     404,     404,        LOGIN),
    "GET /journal/entries/{shared}":                              (200,    404,     404,     404,     404,        LOGIN),
    "GET /journal/entries/{private}/edit":                        (200,    404,     404,     404,     404,        LOGIN),
    "GET /journal/entries/{shared}/edit":                         (200,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{private}/edit":                       (303,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{shared}/edit":                        (303,    404,     404,     404,     404,        LOGIN),
    "GET /journal/entries/{private}/delete":                      (200,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{private}/delete":                     (303,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{shared}/delete":                      (303,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{private}/share":                      (303,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{private}/share [htmx]":               (200,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{shared}/share (unshare)":             (303,    404,     404,     404,     404,        LOGIN),
    "GET /journal/entries/{shared}/replies/{reply}/delete":       (200,    404,     404,     404,     404,        LOGIN),
    "POST /journal/entries/{shared}/replies/{reply}/delete":      (303,    404,     404,     404,     404,        LOGIN),
    "GET /journal/shared":                                        (404,    200,     404,     200,     404,        LOGIN),
    "GET /journal/shared?page=2 [htmx]":                          (404,    200,     404,     200,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}":                            (404,    200,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}?page=2 [htmx]":              (404,    200,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_b}":                            (404,    404,     404,     200,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}/entries/{shared}":           (404,    200,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}/entries/{private}":          (404,    404,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_b}/entries/{shared}":           (404,    404,     404,     404,     404,        LOGIN),
    "POST /journal/mentees/{mentee_a}/entries/{shared}/replies":  (404,    303,     404,     404,     404,        LOGIN),
    "POST /journal/mentees/{mentee_a}/entries/{shared}/replies [htmx]": (404, 200,  404,     404,     404,        LOGIN),
    "POST /journal/mentees/{mentee_a}/entries/{private}/replies": (404,    404,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}/mood":                       (404,    404,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}/mood (mood allowed)":        (404,    200,     404,     404,     404,        LOGIN),
    "GET /journal/mentees/{mentee_a}/mood?days=90 (mood allowed)": (404,   200,     404,     404,     404,        LOGIN),
    "GET /journal/mood":                                          (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/mood?days=90":                                  (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/settings":                                      (200,    404,     200,     404,     404,        LOGIN),
    "POST /journal/settings":                                     (303,    404,     303,     404,     404,        LOGIN),
    "GET /journal/export":                                        (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/export.json":                                   (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/export.csv":                                    (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/export/print":                                  (200,    404,     200,     404,     404,        LOGIN),
    "GET /journal/prompts":                                       (404,    404,     404,     404,     200,        LOGIN),
    "POST /journal/prompts":                                      (404,    404,     404,     404,     303,        LOGIN),
    "GET /journal/prompts/{prompt}":                              (404,    404,     404,     404,     200,        LOGIN),
    "POST /journal/prompts/{prompt}":                             (404,    404,     404,     404,     303,        LOGIN),
    "GET /journal/prompts/{prompt}/delete":                       (404,    404,     404,     404,     200,        LOGIN),
    "POST /journal/prompts/{prompt}/delete":                      (404,    404,     404,     404,     303,        LOGIN),
}

# What each write posts: a valid form, so that a 404 is a refusal and not a validation error.
FORMS = {
    "/journal/draft": lambda ids: {"body": "Autosaved words.", "revision": "0", "slot": "new"},
    "/journal/draft (edit slot of {private})": lambda ids: {"body": "Edit in progress.", "revision": "0",
                                                            "slot": f"entry-{ids['private']}"},
    "/journal/entries": lambda ids: entry_form(body="A new entry."),
    "/journal/entries/{private}/edit": lambda ids: entry_form(body="Edited words.", slot=f"entry-{ids['private']}"),
    "/journal/entries/{shared}/edit": lambda ids: entry_form(body="Edited words.", slot=f"entry-{ids['shared']}"),
    "/journal/entries/{private}/share": lambda ids: {"shared": "1"},
    "/journal/entries/{shared}/share (unshare)": lambda ids: {"shared": "0"},
    "/journal/mentees/{mentee_a}/entries/{shared}/replies": lambda ids: {"body": "Thank you for sharing."},
    "/journal/mentees/{mentee_a}/entries/{private}/replies": lambda ids: {"body": "Thank you for sharing."},
    "/journal/settings": lambda ids: {"share_new_by_default": "y", "mood_visible_to_mentor": "y"},
    "/journal/prompts": lambda ids: {"text": "A brand new prompt?"},
    "/journal/prompts/{prompt}": lambda ids: {"text": "An edited prompt?", "active": "y"},
}


def parse_row(row):
    """'POST /x/{id} (label) [htmx]' -> (method, url template, form key, htmx, label)."""
    method, rest = row.split(" ", 1)
    htmx = rest.endswith(" [htmx]")
    rest = rest.removesuffix(" [htmx]")
    label = rest[rest.index(" (") + 2:-1] if " (" in rest else ""
    template = rest.split(" (")[0]
    form_key = template + (f" ({label})" if label and label not in ("mood allowed",) else "")
    return method, template, form_key, htmx, label


def build_world(personas):
    """Fresh objects of mentee A (and one of mentee B) for the next requests."""
    private = make_entry(personas.mentee_a, body="Private words of Ada.", mood=3, feelings=["calm"])
    shared = make_entry(personas.mentee_a, body="Shared words of Ada.", mood=4, shared_with=personas.mentor_a)
    reply = make_reply(shared, personas.mentor_a)
    prompt = JournalPrompt.create(text="What helped you today?")
    make_entry(personas.mentee_b, body="Bea's shared words.", shared_with=personas.mentor_b)
    return {"private": private.id, "shared": shared.id, "reply": reply.id, "prompt": prompt.id,
            "mentee_a": personas.mentee_a.id, "mentee_b": personas.mentee_b.id}


def snapshot():
    """Everything a journal write could change (the audit trail aside)."""
    entries = [(e.id, e.author_id, e.body, e.mood, e.shared_with_id, e.entry_date) for e in
               JournalEntry.select().order_by(JournalEntry.id)]
    drafts = [(d.id, d.slot, d.body, d.revision) for d in JournalDraft.select().order_by(JournalDraft.id)]
    replies = [(r.id, r.entry_id, r.body) for r in JournalReply.select().order_by(JournalReply.id)]
    reads = [(r.entry_id, r.reader_id) for r in JournalRead.select().order_by(JournalRead.id)]
    prompts = [(p.id, p.text, p.active) for p in JournalPrompt.select().order_by(JournalPrompt.id)]
    settings = [(s.user_id, s.share_new_by_default, s.mood_visible_to_mentor) for s in JournalSettings.select()]
    return entries, drafts, replies, reads, prompts, settings


def outcome(response, htmx):
    """The response in the table's words: a status code, or LOGIN."""
    if htmx and response.status_code == 401:
        return LOGIN if urlparse(response.headers.get("HX-Redirect", "")).path == "/login" else 401
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlparse(response.headers.get("Location", ""))
        if location.path == "/login":
            return LOGIN
    return response.status_code


def allow_mood(personas, allowed):
    settings = JournalSettings.for_user(personas.mentee_a)
    settings.mood_visible_to_mentor = allowed
    settings.save()


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_journal_route_answers_the_persona_as_the_table_says(app, personas, persona):
    column = PERSONAS.index(persona)
    client = app.test_client() if persona == "anonymous" else signed_in_client(app, personas.by_name(persona))
    JournalPrompt.delete().execute()
    ids = build_world(personas)
    wrong = []
    for row, expected_row in EXPECTED.items():
        expected = expected_row[column]
        method, template, form_key, htmx, label = parse_row(row)
        if label == "mood allowed":
            allow_mood(personas, True)
        url = template.format(**ids)
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "GET":
            response = client.get(url, headers=headers)
        else:
            before = snapshot()
            data = FORMS[form_key](ids) if form_key in FORMS else {}
            response = client.post(url, data=data, headers=headers)
        got = outcome(response, htmx)
        if got != expected:
            wrong.append(f"{row}: expected {expected}, got {got}")
        if label == "mood allowed":
            allow_mood(personas, False)
        if method == "POST" and snapshot() != before:
            if got in (404, LOGIN):
                wrong.append(f"{row}: refused with {got} but changed data")
            ids = build_world(personas)  # the next rows get objects in their starting state
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_every_journal_route_is_in_the_table(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    sample = {"private": 1, "shared": 2, "reply": 3, "prompt": 4, "mentee_a": 5, "mentee_b": 6}
    for row in EXPECTED:
        method, template, _, _, _ = parse_row(row)
        rule, _ = adapter.match(urlparse(template.format(**sample)).path, method=method, return_rule=True)
        covered.add((method, rule.rule))
    journal = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("journal.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(journal - covered)
    assert not missing, f"journal routes missing from EXPECTED in {__file__}: {missing}"

