"""Templates compiled per language with their texts translated in must render exactly as the
runtime `_` renders them, and no language may ever see another language's compiled texts."""
import os

import pytest
from markupsafe import Markup

from tests.conftest import write_catalogue

SOURCES = [
    "{{ _('Fish & <em>chips</em>') }}",
    "{{ _('100%% sure') }}",
    "{{ _('With %(name)s', name=name) }}",
    "{{ gettext('%(a)s and %(b)s', a=name, b=other) }}",
    "{% set label = _('Label') %}[{{ label }}]",
    "{{ _('Label')|upper }} {{ '%s!'|format(_('Label')) }} {{ _('Joined') ~ name }}",
    "{% macro show(x) %}<{{ x }}>{% endmacro %}{{ show(_('Passed %(n)s', n=name)) }}{{ show(_('Plain')) }}",
    "{% macro shadow(_) %}{{ _('quiet') }}{% endmacro %}{{ shadow(shout) }}",  # `_` rebound: not folded
    "{{ _(name) }} {{ ngettext('%(num)d reply', '%(num)d replies', count) }}",  # not literals: runtime
    "{% for word in ['a', 'b'] %}{{ _('Item %(w)s', w=word) }} {% endfor %}",
    # Texts with values written straight out as template text and values:
    "<p>{{ _('%(a)s, then %(b)s, then %(a)s', a=name, b=safe) }}</p>",
    "{{ _('%(n)s%% done', n=count) }} {{ _('%(n)s of %(m)s', n=count, m=nothing, unused=name) }}",
    "{{ _('Before ') }}{{ _('%(a)s', a=name) }}{{ 'x' }}{{ _('%(a)s at the end', a=safe) }}",
    "{{ _('%(n)d replies', n=count) }} {{ _('%(n)d of %(m)d', n=count, m=ratio) }} {{ _('%(b)d', b=yes) }}",
    # ...or still formatted, so a bad or unusual text behaves as it did:
    "{{ _('%(n)05.1f', n=count) }} {{ _('%(n)5d', n=count) }} {{ _('%(n)i', n=count) }}",
]
CONTEXT = {"name": '<script>alert("x")</script> & Co', "other": "<b>", "shout": str.upper, "count": 3,
           "safe": Markup("<em>kept</em>"), "nothing": None, "digits": "5", "ratio": 3.7, "yes": True}


@pytest.mark.parametrize("escaping", ["true", "false"])
@pytest.mark.parametrize("source", SOURCES)
def test_translated_in_renders_as_the_runtime_gettext(app, source, escaping):
    wrapped = f"{{% autoescape {escaping} %}}{source}{{% endautoescape %}}"
    with app.test_request_context("/"):
        app.preprocess_request()
        runtime = app.jinja_env.from_string(wrapped).render(**CONTEXT)
        compiled = app.jinja_env.for_viewer().from_string(wrapped).render(**CONTEXT)
    assert compiled == runtime


def test_literal_texts_no_longer_call_gettext_when_rendering(app):
    source = "{{ _('Steps') }} {{ _('due %(date)s', date=day) }}"
    with app.test_request_context("/"):
        app.preprocess_request()
        language = app.jinja_env.for_viewer()
        assert language is not app.jinja_env
        assert "resolve('_')" in app.jinja_env.compile(source, raw=True)
        assert "resolve('_')" not in language.compile(source, raw=True)
        assert language.from_string(source).render(day="<today>") == "Steps due &lt;today&gt;"
    with app.app_context():  # outside a request (command-line tasks) nothing changes
        assert app.jinja_env.for_viewer() is app.jinja_env


@pytest.mark.parametrize("escaping", ["true", "false"])
def test_a_number_place_takes_what_the_runtime_gettext_takes(app, escaping):
    """Markup's formatting reads `%(n)d` through int() (so "5" passes); plain text formatting does not."""
    source = f"{{% autoescape {escaping} %}}{{{{ _('%(n)d days', n=digits) }}}}{{% endautoescape %}}"
    outcomes = []
    with app.test_request_context("/"):
        app.preprocess_request()
        for environment in (app.jinja_env, app.jinja_env.for_viewer()):
            try:
                outcomes.append(environment.from_string(source).render(digits="5"))
            except TypeError as error:
                outcomes.append(type(error))
    assert outcomes[0] == outcomes[1] == ("5 days" if escaping == "true" else TypeError)


def test_texts_with_values_in_a_whole_output_are_not_formatted_at_render_time(app):
    source = "<li>{{ _('Mark “%(step)s” as done', step=step) }} {{ _('Page %(n)d', n=page) }}</li>"
    with app.test_request_context("/"):
        app.preprocess_request()
        language = app.jinja_env.for_viewer()
        code = language.compile(source, raw=True)
        assert "%" not in code.split("def root", 1)[1]
        assert language.from_string(source).render(step="<b>", page=2) == "<li>Mark “&lt;b&gt;” as done Page 2</li>"


@pytest.mark.parametrize("source, error", [
    ("{{ _('Hello %(who)s', whom=name) }}", KeyError),  # a name without a value
    ("{{ _('50% (%(who)s)', who=name) }}", ValueError),  # a lone %
    ("{{ _('%(n)d days', n=name) }}", ValueError),  # not a number
    ("{{ _('%(n)d days', n=nothing) }}", TypeError),
])
def test_a_malformed_text_fails_as_the_runtime_gettext_does(app, source, error):
    with app.test_request_context("/"):
        app.preprocess_request()
        with pytest.raises(error):
            app.jinja_env.from_string(source).render(name="x", nothing=None)
        with pytest.raises(error):
            app.jinja_env.for_viewer().from_string(source).render(name="x", nothing=None)


def _french_catalogue(directory):
    return write_catalogue(directory, "fr",
                           {"Sign in": "Se connecter", "Forgot your password?": "Mot de passe oublié ?"})


def test_each_language_gets_its_own_compiled_texts(app_factory, tmp_path):
    app = app_factory(LANGUAGES=["en", "fr"],
                      BABEL_TRANSLATION_DIRECTORIES=str(_french_catalogue(tmp_path / "translations")))
    client = app.test_client()
    pages = [client.get("/login", headers={"Accept-Language": language}).get_data(as_text=True)
             for language in ("fr", "en", "fr", "en")]
    for page in pages[0::2]:
        assert "Se connecter" in page and "Mot de passe oublié ?" in page and "Sign in" not in page
    for page in pages[1::2]:
        assert "Sign in" in page and "Forgot your password?" in page and "Se connecter" not in page


def test_labels_are_kept_per_language_and_each_request_gets_its_own(app_factory, tmp_path):
    """Label texts are worked out once per catalogue: requests in turn in two languages each get theirs."""
    from app.i18n import label_of, translated_labels
    from app.meetings.models import FORMATS, STATUSES

    # Dutch: Flask-Babel keeps loaded catalogues per language for the process, and no other test uses it.
    write_catalogue(tmp_path / "translations", "nl", {"Held": "Gehouden", "Phone": "Telefoon"})
    app = app_factory(LANGUAGES=["en", "nl"], BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    seen = []

    @app.get("/_probe/labels")
    def probe():
        seen.append((label_of(STATUSES, "held"), translated_labels(FORMATS)["phone"], label_of(STATUSES, "gone")))
        return "ok"

    client = app.test_client()
    for language in ("nl", "en", "nl", "en"):
        assert client.get("/_probe/labels", headers={"Accept-Language": language}).status_code == 200
    assert seen == [("Gehouden", "Telefoon", "gone"), ("Held", "Phone", "gone")] * 2


def test_templates_are_found_once_per_language_and_reloaded_when_asked(app_factory, tmp_path):
    """Without auto-reload a page's templates are looked up once per language and reused; with it
    (development), a changed template is picked up as Jinja does."""
    from jinja2 import FileSystemLoader

    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "probe.html"
    page.write_text("<p>{{ _('Sign in') }} one</p>")
    for auto_reload, expected in ((False, "one"), (True, "two")):
        page.write_text("<p>{{ _('Sign in') }} one</p>")
        app = app_factory()
        app.jinja_env.loader = FileSystemLoader(str(tmp_path / "pages"))
        app.jinja_env.auto_reload = auto_reload

        @app.get("/_probe/template")
        def probe():
            from flask import render_template

            return render_template("probe.html")

        client = app.test_client()
        assert client.get("/_probe/template").get_data(as_text=True) == "<p>Sign in one</p>"
        page.write_text("<p>{{ _('Sign in') }} two</p>")
        future = page.stat().st_mtime + 5
        os.utime(page, (future, future))
        assert client.get("/_probe/template").get_data(as_text=True) == f"<p>Sign in {expected}</p>"
        overlay = next(iter(app.jinja_env._languages.values()))
        assert ("probe.html" in overlay._ready) is not auto_reload
        assert app.jinja_env._ready == {}  # requests render from the language's overlay


def test_pages_render_without_walking_a_chain_of_globals(app, personas, monkeypatch):
    """Without auto-reload each template's globals are one plain dict, taken when it loads: no page
    or include walks Jinja's ChainMap of template and environment globals key by key."""
    import collections

    from tests.conftest import signed_in_client

    client = signed_in_client(app, personas.mentee_a)
    assert client.get("/journal").status_code == 200  # the templates are loaded
    walked = []
    real_iter, real_getitem = collections.ChainMap.__iter__, collections.ChainMap.__getitem__
    monkeypatch.setattr(collections.ChainMap, "__iter__", lambda self: walked.append(1) or real_iter(self))
    monkeypatch.setattr(collections.ChainMap, "__getitem__",
                        lambda self, key: walked.append(1) or real_getitem(self, key))
    for url in ("/journal", "/goals", "/meetings", "/home"):
        page = client.get(url)
        assert page.status_code == 200 and 'name="csrf-token"' in page.text
    assert walked == []


def test_a_template_has_every_global_the_app_set_and_its_own_stay_its_own(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        environment = app.jinja_env.for_viewer()
        page = environment.get_template("base.html")
        assert app.jinja_env.globals.items() <= page.globals.items()
        own = environment.from_string("{{ extra }} {{ program_name }}", globals={"extra": "only here"})
        assert own.render(program_name="Tandem") == "only here Tandem"
        assert "extra" not in page.globals and "extra" not in app.jinja_env.globals


def test_with_auto_reload_a_global_added_later_still_shows(app_factory, tmp_path):
    from jinja2 import FileSystemLoader

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "probe.html").write_text("<p>{{ added_later|default('missing') }}</p>")
    app = app_factory()
    app.jinja_env.loader = FileSystemLoader(str(tmp_path / "pages"))
    app.jinja_env.auto_reload = True
    with app.test_request_context("/"):
        app.preprocess_request()
        environment = app.jinja_env.for_viewer()
        assert environment.get_template("probe.html").render() == "<p>missing</p>"
        app.jinja_env.globals["added_later"] = "found"
        assert environment.get_template("probe.html").render() == "<p>found</p>"
