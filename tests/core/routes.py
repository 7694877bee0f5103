"""Shared by the route tests: the public allowlist, and real URLs for every rule in `app.url_map`.

A rule's URL is built from real objects (mentee A's id, her match's id, her journal
entry's id, ...: SAMPLE_FACTORIES), so a refusal means the route refused, not that
the object was missing. A rule with an argument this module does not know makes
test_route_access fail with a message that says what to add.
"""
import datetime
import itertools
from urllib.parse import urlparse

from werkzeug.routing.converters import AnyConverter

# Routes anyone may reach without signing in, and why.
PUBLIC_ENDPOINTS = {
    "core.index": "sends visitors to sign in (or home)",
    "core.get_help": "crisis lines must reach everyone, signed in or not",
    "core.healthz": "the load balancer's probe",
    "auth.login": "signing in",
    "auth.logout": "signing out is harmless for someone not signed in",
    "auth.accept_invitation": "an invitee has no account yet",
    "auth.forgot_password": "someone who forgot their password cannot sign in",
    "auth.reset_password": "the link from the reset email",
}

SKIPPED_ENDPOINTS = {"static"}

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def app_rules(app):
    """Every rule but static files, in a stable order."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED_ENDPOINTS]
    return sorted(rules, key=lambda rule: (rule.rule, rule.endpoint))


def rule_methods(rule):
    return sorted(rule.methods - IGNORED_METHODS)


def is_public(rule):
    return rule.endpoint in PUBLIC_ENDPOINTS


def make_invitation(inviter, email="invitee@example.org", role="mentee", token=None):
    """A pending invitation; returns (invitation, token)."""
    from app.auth.models import Invitation, expiry, hash_token, new_token

    token = token or new_token()
    invitation = Invitation.create(
        email=email, role=role, token_hash=hash_token(token), invited_by=inviter, expires=expiry(days=7)
    )
    return invitation, token


def make_journal_sample(personas):
    """Mentee A's entry shared with mentor A (who replied), a writing prompt, and mentee A's
    permission for her mentor to see her mood chart. Made once per personas."""
    from app.journal.models import JournalEntry, JournalPrompt, JournalReply, JournalSettings

    if not hasattr(personas, "_journal_sample"):
        entry = JournalEntry.create(
            author=personas.mentee_a, entry_date=datetime.date(2026, 1, 5), body="Ada's sample entry", mood=3,
            shared_with=personas.mentor_a, shared_at=datetime.datetime(2026, 1, 5, 12, 0), idempotency_key="sample-a",
        )
        reply = JournalReply.create(entry=entry, author=personas.mentor_a, body="Thank you for sharing this.")
        prompt = JournalPrompt.create(text="What helped you today?")
        JournalSettings.create(user=personas.mentee_a, mood_visible_to_mentor=True)
        personas._journal_sample = {"entry": entry, "reply": reply, "prompt": prompt}
    return personas._journal_sample


def make_goal_sample(personas):
    """A goal of mentee A with one step. Made once per personas."""
    from app.goals.models import Goal, GoalStep

    if not hasattr(personas, "_goal_sample"):
        goal = Goal.create(mentee=personas.mentee_a, title="Walk every morning", created_by=personas.mentee_a)
        step = GoalStep.create(goal=goal, title="Find comfortable shoes", position=0, created_by=personas.mentee_a)
        personas._goal_sample = {"goal": goal, "step": step}
    return personas._goal_sample


def make_meeting_samples(personas):
    """Meetings in mentee A's match with mentor A, made once per personas:

    "upcoming": proposed by mentor A for a time to come (the mentee may accept it; either may move or cancel it),
    "unlogged": scheduled, started two hours ago and not logged yet (mentor A may log it),
    "held": held a week ago, with a summary and a private note (mentee A may add her reflection).
    """
    from app.db import utcnow
    from app.meetings.models import Meeting

    if not hasattr(personas, "_meeting_samples"):
        now = utcnow().replace(second=0, microsecond=0)
        match, mentor = personas.match_a, personas.mentor_a
        held_start = now - datetime.timedelta(days=7)
        personas._meeting_samples = {
            "upcoming": Meeting.create(match=match, proposed_by=mentor, starts_at=now + datetime.timedelta(days=10)),
            "unlogged": Meeting.create(match=match, proposed_by=mentor, status="scheduled",
                                       starts_at=now - datetime.timedelta(hours=2)),
            "held": Meeting.create(
                match=match, proposed_by=mentor, status="held", starts_at=held_start, actual_start=held_start,
                actual_end=held_start + datetime.timedelta(minutes=50), summary="Ada planned her mornings.",
                private_note="Supervision: talk about boundaries.", logged_at=held_start, logged_by=mentor,
            ),
        }
    return personas._meeting_samples


# How to get a real value for each URL argument the app's rules use. A new area adds
# its arguments here: a factory gets the personas and returns the id of a real object
# that belongs to mentee A, her mentor A or their match, so that a refusal is the
# refusal of something that exists. Factories run only when a rule needs them.
SAMPLE_FACTORIES = {
    "person_id": lambda personas: personas.mentee_a.id,
    "match_id": lambda personas: personas.match_a.id,
    "invitation_id": lambda personas: make_invitation(personas.coordinator)[0].id,
    "token": lambda personas: "not-a-real-token",
    "mentee_id": lambda personas: personas.mentee_a.id,
    "entry_id": lambda personas: make_journal_sample(personas)["entry"].id,
    "reply_id": lambda personas: make_journal_sample(personas)["reply"].id,
    "prompt_id": lambda personas: make_journal_sample(personas)["prompt"].id,
    "goal_id": lambda personas: make_goal_sample(personas)["goal"].id,
    "step_id": lambda personas: make_goal_sample(personas)["step"].id,
    "meeting_id": lambda personas: make_meeting_samples(personas)["upcoming"].id,
    # Not rule arguments: the persona matrix names these meetings in rows where the upcoming one
    # would be refused for its state (logging needs a started meeting, a reflection a held one).
    "unlogged_meeting_id": lambda personas: make_meeting_samples(personas)["unlogged"].id,
    "held_meeting_id": lambda personas: make_meeting_samples(personas)["held"].id,
}


class SampleValues(dict):
    """Real values for URL arguments, each made the first time a rule asks for it."""

    def __init__(self, personas):
        super().__init__()
        self.personas = personas

    def __contains__(self, name):
        return name in SAMPLE_FACTORIES or dict.__contains__(self, name)

    def __missing__(self, name):
        if name not in SAMPLE_FACTORIES:
            raise KeyError(name)
        self[name] = SAMPLE_FACTORIES[name](self.personas)
        return self[name]


def sample_values(personas):
    return SampleValues(personas)


class UnknownArgument(LookupError):
    pass


def rule_urls(rule, values):
    """All URLs of a rule: one per choice of each `any(...)` argument, others from `values`.

    Returns a list of (url, choices) where choices maps each `any` argument to its value.
    """
    any_args = {
        name: sorted(converter.items)
        for name, converter in rule._converters.items()
        if isinstance(converter, AnyConverter)
    }
    missing = sorted(arg for arg in rule.arguments if arg not in any_args and arg not in values)
    if missing:
        raise UnknownArgument(
            f"{rule.rule} ({rule.endpoint}) takes {', '.join(missing)}: add a real sample value for it "
            "to SAMPLE_FACTORIES in tests/core/routes.py"
        )
    names = sorted(any_args)
    urls = []
    for combination in itertools.product(*(any_args[name] for name in names)):
        choices = dict(zip(names, combination))
        arguments = {arg: values[arg] for arg in rule.arguments if arg not in any_args}
        arguments.update(choices)
        _, url = rule.build(arguments, append_unknown=False)
        urls.append((url, choices))
    return urls


def known_rule_urls(rule, values):
    """rule_urls, or none when the rule takes an argument without a sample value.

    Only test_route_access insists on sample values for every argument (and says
    what to add); the other checks use every URL they can build.
    """
    try:
        return rule_urls(rule, values)
    except UnknownArgument:
        return []


def route_key(method, rule, choices):
    """Identifies one method of one URL shape, e.g. ('POST', '/matches/<int:match_id>/<...>', 'close')."""
    return (method, rule.rule, tuple(sorted(choices.items())))


def every_route_key(app, include_public=False):
    keys = set()
    for rule in app_rules(app):
        if is_public(rule) and not include_public:
            continue
        for method in rule_methods(rule):
            for _, choices in rule_urls(rule, _ANY_VALUES):
                keys.add(route_key(method, rule, choices))
    return keys


class _AnyValues(dict):
    """Stands in for sample values when only the shape of URLs matters."""

    def __contains__(self, key):
        return True

    def __missing__(self, key):
        return 1 if key.endswith("_id") else "x"


_ANY_VALUES = _AnyValues()


def key_of_url(app, method, url):
    """The route key that a concrete URL lands on."""
    adapter = app.url_map.bind("localhost")
    rule, arguments = adapter.match(urlparse(url).path, method=method, return_rule=True)
    any_args = {name for name, converter in rule._converters.items() if isinstance(converter, AnyConverter)}
    return route_key(method, rule, {name: arguments[name] for name in any_args})


def redirect_path(response):
    """The path a redirect points at, or None when the response is not a redirect."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return urlparse(response.headers.get("Location", "")).path


def is_sent_to_login(response):
    return redirect_path(response) == "/login"


def is_htmx_sent_to_login(response):
    return response.status_code == 401 and urlparse(response.headers.get("HX-Redirect", "")).path == "/login"


def app_without_pushed_context(app_factory):
    """The app for these tests, with no application context held open around requests.

    tests/conftest.py's `app` fixture keeps one app context pushed for the whole test.
    Flask then reuses it for every request of the test client, so `g` (where
    flask-login caches the signed-in user) carries over from one request, and one
    client, to the next: a second client would look signed in as the first. Without
    the pushed context, each request gets its own `g`, as in production.
    """
    return app_factory()
