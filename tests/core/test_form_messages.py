"""WTForms' own messages come in the viewer's language, from a catalogue loaded once per language
(app/core/forms.py), and every form of the app is built on that base."""
import importlib
import inspect

from babel import support
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField

from app.core import forms
from app.core.forms import TandemForm
from tests.core.test_form_controls import FORM_MODULES


class WhenForm(TandemForm):
    when = DateField("When")


def test_wtforms_messages_follow_the_viewers_language_from_one_load_per_language(app, monkeypatch):
    app.config["LANGUAGES"] = ["en", "es", "fr"]
    monkeypatch.setattr(forms, "_catalogues", {})
    loads = []
    real_load = support.Translations.load
    monkeypatch.setattr(support.Translations, "load",
                        lambda *args, **kwargs: loads.append(kwargs.get("domain")) or real_load(*args, **kwargs))
    errors = {}
    for language in ("es", "fr", "es", "en", "fr"):
        # A fresh app context, as each request of a running app has (the viewer's language is kept on it).
        with app.app_context(), app.test_request_context("/", method="POST", headers={"Accept-Language": language}):
            form = WhenForm(MultiDict({"when": "not a date"}), meta={"csrf": False})
            assert not form.validate()
            errors.setdefault(language, []).append(form.when.errors)
    assert errors["es"] == [["No es una fecha válida."]] * 2
    assert errors["fr"] == [["N'est pas une date valide."]] * 2
    assert errors["en"] == [["Not a valid date value."]]
    assert loads == ["wtforms"] * 3


def test_outside_a_request_the_messages_are_wtforms_own(app):
    assert forms.MESSAGES.gettext("Not a valid date value.") == "Not a valid date value."
    assert forms.MESSAGES.ngettext("one field", "%(num)d fields", 2) == "%(num)d fields"


def test_every_form_of_the_app_is_built_on_the_base():
    found = []
    for area in FORM_MODULES:
        module = importlib.import_module(f"app.{area}.forms")
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, FlaskForm) and value.__module__ == module.__name__:
                found.append(value)
                assert issubclass(value, TandemForm), value
    assert len(found) > 20
