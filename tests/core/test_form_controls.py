"""`field` and its quicker controls must render exactly what WTForms and a Jinja macro would."""
import datetime
import importlib
import inspect
import re

import pytest
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import html_params as wtforms_html_params

from app.core import form_controls

FORM_MODULES = ["account", "auth", "goals", "journal", "matches", "meetings", "people"]
TRICKY = 'He said "yes" <script>alert(1)</script> & left'


def every_form_class():
    for area in FORM_MODULES:
        module = importlib.import_module(f"app.{area}.forms")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, FlaskForm) and value.__module__ == module.__name__:
                yield pytest.param(value, id=f"{area}.{name}")


def rendered_both_ways(field, **attributes):
    """(WTForms' markup or its exception type, the quick markup or its exception type)."""
    outcomes = []
    for render in (lambda: field(**attributes), lambda: form_controls.control(field, **attributes)):
        try:
            outcomes.append(render())
        except Exception as error:  # a field that needs choices first fails alike both ways
            outcomes.append(type(error))
    return outcomes


@pytest.mark.parametrize("form_class", list(every_form_class()))
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_every_field_renders_as_wtforms_renders_it(app, form_class, filled):
    with app.test_request_context("/", method="POST"):
        form = form_class(formdata=None)
        if filled:
            form = form_class(formdata=MultiDict({field.name: TRICKY for field in form}))
        for field in form:
            for attributes in ({}, {"class_": "field__input"},
                               {"class_": "field__input", "maxlength": 200, "rows": 3,
                                "aria-describedby": "x-hint x-error", "aria-invalid": "true"}):
                wtforms_markup, quick_markup = rendered_both_ways(field, **attributes)
                assert quick_markup == wtforms_markup, (field.name, attributes)
            assert form_controls.label(field, class_="field__label") == field.label(class_="field__label")


class Sample(Form):
    title = StringField("Title <b>", validators=[DataRequired(), Length(max=80)], render_kw={"class": "wide"})
    body = TextAreaField("Body", validators=[Length(min=2)], render_kw={"placeholder": 'Say "hi"'})
    when = DateField("When", render_kw={"min": datetime.date(2026, 1, 1)})
    secret = PasswordField("Secret", widget=PasswordField.widget.__class__(hide_value=False))


def test_render_settings_flags_and_explicit_attributes_match_wtforms(app):
    form = Sample(formdata=MultiDict({"title": TRICKY, "body": "two\nlines <i>", "when": "2026-11-27",
                                      "secret": "shown on purpose"}))
    for field in form:
        for attributes in ({}, {"class_": "override"}, {"required": False, "data_role": "x", "for_": "y"}):
            wtforms_markup, quick_markup = rendered_both_ways(field, **attributes)
            assert quick_markup == wtforms_markup
        assert form_controls.label(field, for_="elsewhere") == field.label(for_="elsewhere")
    assert 'value="shown on purpose"' in form_controls.control(form.secret)  # its own widget, rendered by WTForms
    assert "&lt;script&gt;" in form_controls.control(form.title) and "<script>" not in form_controls.control(form.title)
    assert "Title &lt;b&gt;" in form_controls.label(form.title)


@pytest.mark.parametrize("attributes", [
    {},
    {"id": "a", "name": "b", "value": TRICKY},
    {"checked": True, "disabled": False, "required": True},
    {"class_": "c", "for_": "d", "data_some_thing": "e", "aria_label": "f"},
    {"value": Markup('already "safe" <b>')},
    {"maxlength": 200, "value": None, "min": datetime.date(2026, 1, 1)},
])
def test_attributes_are_written_as_wtforms_writes_them(attributes):
    assert form_controls.html_params(**attributes) == wtforms_html_params(**attributes)
    assert isinstance(form_controls.html_params(**attributes), Markup)


def test_common_inputs_skip_wtforms_own_rendering_and_others_keep_it(monkeypatch):
    form = Sample(formdata=None)
    taken = []
    monkeypatch.setattr(form.meta, "render_field", lambda field, render_kw: taken.append(field.name) or "")
    for field in form:
        form_controls.control(field)
    assert taken == ["secret"]  # a widget with settings of its own


# What `field` writes, as a template would: the oracle for the Python version.
FIELD_AS_A_TEMPLATE = """
{%- set describedby = [] -%}
{%- if f.description or hint %}{% set _ignored = describedby.append(f.id ~ '-hint') %}{% endif -%}
{%- if f.errors %}{% set _ignored = describedby.append(f.id ~ '-error') %}{% endif -%}
<div class="field{% if f.errors %} field--error{% endif %}">
  {{ label(f, class_='field__label') }}
  {% if f.description or hint %}<p class="field__hint" id="{{ f.id }}-hint">{{ hint or f.description }}</p>{% endif %}
  {% if f.errors %}<p class="field__error" id="{{ f.id }}-error">{% for error in f.errors %}{{ error }} {% endfor %}</p>{% endif %}
  {%- set attrs = dict(attributes) -%}
  {%- if describedby %}{% set _ignored = attrs.update({'aria-describedby': describedby|join(' ')}) %}{% endif -%}
  {%- if f.errors %}{% set _ignored = attrs.update({'aria-invalid': 'true'}) %}{% endif %}
  {{ control(f, class_='field__input', **attrs) }}
</div>"""


def tags_only(markup):
    return re.sub(r">\s+<", "><", str(markup).strip())


@pytest.mark.parametrize("form_class", list(every_form_class()))
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_every_field_is_written_as_the_template_would_write_it(app, form_class, filled):
    template = app.jinja_env.from_string(FIELD_AS_A_TEMPLATE)
    with app.test_request_context("/", method="POST"):
        form = form_class(formdata=MultiDict({name: TRICKY for name in form_class(formdata=None)._fields})
                          if filled else None)
        try:
            form.validate()  # errors for some fields, none for others
        except TypeError:  # choices are filled in by the view
            pass
        for field in form:
            if field.type in ("CSRFTokenField", "HiddenField"):
                continue
            for hint, attributes in ((None, {}), (Markup("See <a href='/help'>help</a>"), {"rows": 3}),
                                     (TRICKY, {"maxlength": 200, "autocomplete": "off"})):
                try:
                    expected = template.render(f=field, hint=hint, attributes=attributes,
                                               label=form_controls.label, control=form_controls.control)
                except Exception as error:  # a field that needs choices first fails alike both ways
                    with pytest.raises(type(error)):
                        form_controls.field(field, hint=hint, **attributes)
                    continue
                written = form_controls.field(field, hint=hint, **attributes)
                assert isinstance(written, Markup)
                assert tags_only(written) == tags_only(expected), (field.name, hint, attributes)


def test_a_field_ties_its_hint_and_errors_to_the_control(app):
    with app.test_request_context("/", method="POST"):
        form = Sample(formdata=MultiDict({"title": "", "body": "x"}))
        form.validate()
        title = str(form_controls.field(form.title, hint=TRICKY))
        body = str(form_controls.field(form.body))
        when = str(form_controls.field(form.when))
    assert '<label class="field__label" for="title">Title &lt;b&gt;</label>' in title
    assert '<p class="field__hint" id="title-hint">He said &#34;yes&#34; &lt;script&gt;' in title
    assert 'id="title-error">This field is required. </p>' in title
    assert 'aria-describedby="title-hint title-error"' in title and 'aria-invalid="true"' in title
    assert 'class="field field--error"' in body and 'aria-describedby="body-error"' in body
    assert "aria-" not in when and 'class="field"' in when


class OddFlags:
    """A flags object that is not WTForms' own: read the way WTForms reads it."""

    required = True

    def __init__(self):
        self.maxlength = 12


def test_flags_set_by_hand_or_callable_or_of_another_kind_match_wtforms(app):
    form = Sample(formdata=None)
    form.title.flags.pattern = "[a-z]+"
    form.title.flags.readonly = True
    form.body.flags.disabled = True
    form.when.flags.max = lambda: datetime.date(2027, 1, 1)
    form.when.flags.step = lambda: 7
    form.secret.flags = OddFlags()
    odd_title = StringField("Odd").bind(form, "odd")
    odd_title.process(None)
    odd_title.flags = OddFlags()
    for field in (*form, odd_title):
        for attributes in ({}, {"required": False, "maxlength": 3}):
            wtforms_markup, quick_markup = rendered_both_ways(field, **attributes)
            assert quick_markup == wtforms_markup, (field.name, attributes)
    assert 'max="2027-01-01"' in form_controls.control(form.when) and 'step="7"' in form_controls.control(form.when)
    assert 'maxlength="12"' in form_controls.control(odd_title) and " required" in form_controls.control(odd_title)


def select_cases():
    """Select fields with the choices views give them, and odd ones that WTForms must still render."""
    from wtforms import SelectField, SelectMultipleField

    from app.account.forms import timezone_choices
    from app.i18n import lazy_gettext

    class Selects(Form):
        zone = SelectField("Time zone", validators=[DataRequired()])
        number = SelectField("Length", coerce=int)
        lazy = SelectField("Area")
        tricky = SelectField("Tricky <b>")
        empty_label = SelectField("Empty label")
        flagged = SelectField("Flagged", render_kw={"data-x": "y"})
        several = SelectMultipleField("Several")

    form = Selects(formdata=MultiDict({"zone": "Europe/Paris", "number": "45", "tricky": TRICKY, "lazy": "work",
                                       "empty_label": "", "flagged": "b", "several": ["a", "b"]}))
    form.zone.choices = timezone_choices()
    form.number.choices = [(30, "30 minutes"), (45, "45 minutes"), (60, "An hour")]
    form.lazy.choices = [("recovery", lazy_gettext("Recovery")), ("work", lazy_gettext("Work & money"))]
    form.tricky.choices = [(TRICKY, TRICKY), ("plain", Markup("<i>already safe</i>"))]
    form.empty_label.choices = [("", ""), ("a", "A")]
    form.flagged.choices = [("a", "A"), ("b", "B")]
    form.several.choices = [("a", "A"), ("b", "B"), ("c", "C")]
    return form


def test_select_fields_render_as_wtforms_renders_them(app):
    with app.test_request_context("/"):
        form = select_cases()
        form.validate()
        for field in form:
            for attributes in ({}, {"class_": "field__input"}, {"required": False, "aria-describedby": "x-hint"}):
                wtforms_markup, quick_markup = rendered_both_ways(field, **attributes)
                assert quick_markup == wtforms_markup, (field.name, attributes)
        zone = str(form_controls.control(form.zone))
    assert '<option selected value="Europe/Paris">Europe/Paris</option>' in zone
    assert zone.count("<option") == len(form.zone.choices) > 300 and zone.count("selected") == 1


def test_long_selects_skip_wtforms_own_option_rendering(app, monkeypatch):
    """The time zones and the lists of people are written by the quick select, not option by option."""
    from wtforms import widgets

    calls = []
    monkeypatch.setattr(widgets.Select, "render_option", classmethod(lambda cls, *args, **kw: calls.append(args) or ""))
    with app.test_request_context("/"):
        form = select_cases()
        form_controls.control(form.zone)
        form_controls.control(form.number)
        form_controls.control(form.lazy)
        assert calls == []
        form_controls.control(form.empty_label)  # an empty label: WTForms decides what it shows
        assert calls


@pytest.mark.parametrize("form_class", list(every_form_class()))
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_every_radio_and_box_of_a_list_renders_as_wtforms_renders_it(app, form_class, filled):
    """Templates write a list's options one by one inside their own labels: `control(option)`."""
    with app.test_request_context("/", method="POST"):
        blank = form_class(formdata=None)
        listed = [field for field in blank if field.type in ("RadioField", "SelectMultipleField", "MultiCheckboxField")]
        for field in listed:
            if field.choices is None:  # filled in by the view
                field.choices = [("1", TRICKY), ("2", "Two"), (3, Markup("<b>three</b>"))]
        if filled:
            data = MultiDict([(field.name, value) for field in listed for value, _label in
                              ([field.choices[0], field.choices[-1]] if field.choices else [])])
            blank.process(formdata=data)
        for field in listed:
            for option in field:
                for attributes in ({}, {"class_": "choice"}, {"required": True, "disabled": False}):
                    wtforms_markup, quick_markup = rendered_both_ways(option, **attributes)
                    assert quick_markup == wtforms_markup, (field.name, option.data, attributes)


def test_lists_and_checkboxes_skip_wtforms_own_rendering(app, monkeypatch):
    from app.journal.forms import EntryForm

    with app.test_request_context("/"):
        form = EntryForm(formdata=MultiDict({"mood": "3", "feelings": ["calm"], "share": "y"}))
        taken = []
        monkeypatch.setattr(form.meta, "render_field", lambda field, render_kw: taken.append(field.name) or "")
        written = [str(form_controls.control(option)) for option in form.mood] + [
            str(form_controls.control(option)) for option in form.feelings] + [str(form_controls.control(form.share))]
    assert taken == []
    assert sum(" checked " in html for html in written) == 3
