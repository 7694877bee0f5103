"""Template helpers that remember work between calls must answer exactly as Flask and Babel do."""
import datetime

import pytest
from babel import dates as babel_dates
from flask import url_for

from app.core.templating import day, when
from app.core.urls import RememberingUrlFor

CASES = [
    ("core.home", {}),
    ("goals.show_goal", {"goal_id": 12}),
    ("goals.toggle_step", {"goal_id": 7, "step_id": 4031}),
    ("goals.toggle_step", {"step_id": 1, "goal_id": 0}),
    ("goals.show_goal", {"goal_id": 12, "page": 3}),  # an extra argument becomes a query string
    ("meetings.propose_meeting", {"match": 4}),
    ("meetings.list_meetings", {"page": 0}),
    ("goals.change_status", {"goal_id": 5, "status": "achieved"}),  # a word
    ("goals.change_status", {"status": "paused", "goal_id": 6}),
    ("people.list_people", {"role": "mentee"}),
    ("people.list_people", {"role": "a-b_c.9"}),
    ("journal.list_entries", {"page": 2, "q": "walk"}),
    ("journal.list_entries", {"page": 2, "q": "a walk & talk"}),  # text that is encoded
    ("journal.list_entries", {"q": "tandemwordmarker0x"}),
    ("journal.list_entries", {"q": "/?#%", "mood": "3"}),
    ("journal.list_entries", {"q": "café"}),
    ("journal.list_entries", {"q": ""}),
    ("journal.show_entry", {"entry_id": "12"}),  # a word where the rule takes a number
    ("journal.show_entry", {"entry_id": 12, "_anchor": "replies"}),
    ("static", {"filename": "favicon.svg"}),
    ("static", {"filename": "css/tandem.css"}),
    ("goals.show_goal", {"goal_id": 12, "_anchor": "timeline"}),
    # After a link with numbers is remembered, other values under the same names still build as Flask does.
    ("goals.show_goal", {"goal_id": -3}),
    ("goals.show_goal", {"goal_id": True}),
    ("goals.show_goal", {"goal_id": "12"}),
    ("goals.toggle_step", {"goal_id": 7, "step_id": 2.5}),
    ("meetings.list_meetings", {"page": None}),
]


@pytest.mark.parametrize("script_root", ["", "/tandem"])
def test_remembered_urls_are_flasks_urls(app, script_root):
    remembering = RememberingUrlFor()
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        for _round in range(2):  # the second round comes from what was remembered
            for endpoint, values in CASES:
                assert remembering(endpoint, **values) == url_for(endpoint, **values), (endpoint, values)
        assert remembering("goals.show_goal", goal_id=99).startswith(f"{script_root}/goals/99")


def test_numbers_and_plain_words_are_put_into_a_remembered_url(app, monkeypatch):
    from app.core import urls

    remembering = RememberingUrlFor()
    with app.test_request_context("/"):
        expected = [url_for("people.list_people", role="mentor"),
                    url_for("goals.change_status", goal_id=9, status="achieved"),
                    url_for("journal.list_entries", page=3, mood="2")]
        remembering("people.list_people", role="mentee")
        remembering("goals.change_status", goal_id=1, status="achieved")  # a rule of certain words:
        remembering("goals.change_status", goal_id=1, status="paused")    # learned word by word
        remembering("journal.list_entries", page=2, mood="4")
        remembering("journal.show_entry", entry_id="12")  # refused by the rule's number converter

        def flask_must_not_be_asked(endpoint, **values):
            raise AssertionError(f"{endpoint} went to Flask")

        monkeypatch.setattr(urls, "flask_url_for", flask_must_not_be_asked)
        assert [remembering("people.list_people", role="mentor"),
                remembering("goals.change_status", goal_id=9, status="achieved"),
                remembering("journal.list_entries", page=3, mood="2")] == expected
        for endpoint, values in [("journal.list_entries", {"q": "a walk"}), ("journal.show_entry", {"entry_id": "13"}),
                                 ("goals.change_status", {"goal_id": 1, "status": "let_go"}),
                                 ("journal.show_entry", {"entry_id": 12, "_anchor": "replies"})]:
            with pytest.raises(AssertionError, match="went to Flask"):
                remembering(endpoint, **values)


def test_links_with_braces_in_their_rules_are_built_as_flask_builds_them():
    from flask import Flask

    odd = Flask("odd")
    odd.add_url_rule("/a{b}}/<int:n>/c{", "odd", lambda n: "")
    odd.add_url_rule("/plain{x}", "plain", lambda: "")
    remembering = RememberingUrlFor()
    with odd.test_request_context("/"):
        for _round in range(2):
            assert remembering("odd", n=5) == url_for("odd", n=5)
            assert remembering("plain") == url_for("plain")
        assert remembering._number_links  # the second round came from the remembered links
    # Werkzeug encodes braces, but a remembered link keeps any text between its numbers as it is.
    remembering._remember_number_link(("", "x", "n"), ["/a{b}/", "/c}{"], ("n",))
    assert remembering._number_links[("", "x", "n")].format_map({"n": 5}) == "/a{b}/5/c}{"


def test_an_unknown_endpoint_still_fails_loudly(app):
    from werkzeug.routing import BuildError

    with app.test_request_context("/"), pytest.raises(BuildError):
        RememberingUrlFor()("goals.no_such_page", goal_id=1)


@pytest.mark.parametrize("zone, language", [("America/New_York", "en"), ("Europe/Berlin", "de"), ("Asia/Kolkata", "en")])
def test_remembered_dates_and_times_are_babels(app, personas, zone, language):
    from flask_login import login_user

    from app.auth.models import User

    app.config["LANGUAGES"] = ["en", "de"]
    User.update(timezone=zone, locale=language).where(User.id == personas.mentee_a.id).execute()
    person = User.get_by_id(personas.mentee_a.id)
    moments = [datetime.datetime(2026, 3, 29, 0, 30, 15), datetime.datetime(2026, 3, 29, 1, 30),  # Berlin DST
               datetime.datetime(2026, 11, 1, 5, 59, 59), datetime.datetime(2026, 11, 1, 6, 0)]   # New York DST
    tz = babel_dates.get_timezone(zone)
    for _round in range(2):
        with app.test_request_context("/"):
            login_user(person)
            for moment in moments:
                aware = moment.replace(tzinfo=datetime.timezone.utc)
                assert when(moment, "short") == babel_dates.format_datetime(aware, "short", tzinfo=tz, locale=language)
                assert when(moment) == (babel_dates.format_date(aware.astimezone(tz).date(), "medium", locale=language)
                                        + ", " + babel_dates.format_time(aware, "short", tzinfo=tz, locale=language))
                assert day(moment.date(), "full") == babel_dates.format_date(moment.date(), "full", locale=language)
                # A timestamp's day is its date where the viewer is.
                assert day(moment) == babel_dates.format_date(aware.astimezone(tz).date(), "medium", locale=language)


def test_translated_text_escapes_what_is_put_into_it_in_pages_but_not_in_mail(app):
    """The template gettext marks the catalogue's own text safe; the values put into it stay escaped
    in HTML, and come through as typed in plain-text mail."""
    name = '<script>alert("x")</script> & Co'
    source = "{{ _('With %(name)s', name=name) }} / {{ ngettext('%(num)d reply', '%(num)d replies', 2) }}"
    with app.test_request_context("/"):
        html = app.jinja_env.from_string("{% autoescape true %}" + source + "{% endautoescape %}").render(name=name)
        text = app.jinja_env.from_string("{% autoescape false %}" + source + "{% endautoescape %}").render(name=name)
    assert html == "With &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co / 2 replies"
    assert text == f"With {name} / 2 replies"


def test_the_request_state_lasts_exactly_one_request(app, personas, quick_login_as):
    """Locale, zone and catalogue are kept for one request only: the next request on the same thread,
    by someone in another time zone, gets its own, and nothing is left once a request ends."""
    from app import per_request
    from app.auth.models import User
    from app.i18n import formatting, translations

    User.update(timezone="Asia/Kolkata").where(User.id == personas.mentee_b.id).execute()
    seen = []

    @app.get("/_probe/state")
    def probe():
        state = per_request.current()
        seen.append((state, str(formatting()[1]), translations() is state.translations))
        return "ok"

    for name in ("mentee_a", "mentee_b", "mentee_a"):
        assert quick_login_as(name).get("/_probe/state").status_code == 200
        assert per_request.current() is None
    states = [state for state, _zone, _same in seen]
    assert len({id(state) for state in states}) == 3
    assert [zone for _state, zone, _same in seen] == [personas.mentee_a.timezone, "Asia/Kolkata",
                                                        personas.mentee_a.timezone]
    assert all(same for _state, _zone, same in seen)


def test_labels_are_the_catalogues_and_unknown_keys_come_back_as_they_are(app, personas, quick_login_as):
    """Status and format labels are translated once per language; a key with no label (an old value
    in the database) is shown as it is rather than failing the page."""
    from app.i18n import formatting, label_of
    from app.meetings.models import FORMATS, STATUSES

    seen = []

    @app.get("/_probe/labels")
    def probe():
        seen.append((label_of(STATUSES, "held"), label_of(STATUSES, "held"), label_of(FORMATS, "phone"),
                     label_of(STATUSES, "retired"), label_of(STATUSES, None), formatting()[0]))
        return "ok"

    for _round in range(2):
        assert quick_login_as("mentee_a").get("/_probe/labels").status_code == 200
    for held, again, phone, unknown, missing, _locale in seen:
        assert (held, again, phone, unknown, missing) == (str(STATUSES["held"]), str(STATUSES["held"]),
                                                          str(FORMATS["phone"]), "retired", None)
    assert seen[0][5] is seen[1][5]  # one locale object for both requests, so date caches hit by identity
    with app.app_context():
        assert label_of(STATUSES, "held") == str(STATUSES["held"])
