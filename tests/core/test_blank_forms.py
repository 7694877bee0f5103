"""A blank form's fields written from the cache must be exactly what the real blank form writes."""
import pytest
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField

from app import per_request
from app.core import blank_forms
from app.core.blank_forms import BlankForm, blank
from app.core.form_controls import field
from app.goals.forms import NoteForm, RenameStepForm, StepForm
from tests.conftest import csrf_token_from
from tests.core.test_form_controls import every_form_class

ARGUMENTS = ({}, {"maxlength": 200}, {"rows": 3, "maxlength": 2000, "hint": "Your own words <b>"})


@pytest.fixture(autouse=True)
def empty_cache():
    blank_forms._markup.clear()
    yield
    blank_forms._markup.clear()


@pytest.mark.parametrize("form_class", list(every_form_class()))
def test_every_blank_field_is_written_as_the_real_blank_form_writes_it(app, form_class):
    with app.test_request_context("/"):
        app.preprocess_request()
        real = form_class(formdata=None)
        stand_in = blank(form_class)
        for real_field in real:
            if real_field.type in ("CSRFTokenField", "HiddenField", "SelectField"):
                continue  # written by their own widgets, not through field()
            for arguments in ARGUMENTS:
                expected = field(real_field, **arguments)
                assert field(getattr(stand_in, real_field.short_name), **arguments) == expected
                assert field(getattr(blank(form_class), real_field.short_name), **arguments) == expected  # cached


def test_the_cache_is_used_and_keyed_by_the_arguments(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        first = field(blank(StepForm).title, maxlength=200)
        assert len(blank_forms._markup) == 1
        assert field(blank(StepForm).title, maxlength=200) is first
        assert len(blank_forms._markup) == 1
        other = field(blank(StepForm).title, maxlength=100)
        assert 'maxlength="100"' in other and 'maxlength="200"' in first
        assert len(blank_forms._markup) == 2


class Shouting:
    """A catalogue that translates every text into capitals, standing in for another language."""

    def ugettext(self, text):
        return text.upper()

    gettext = ugettext


def test_another_language_gets_its_own_markup(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        english = field(blank(NoteForm).body)
        per_request.current().translations = Shouting()
        shouted = field(blank(NoteForm).body)
        assert "Progress note" in english and "PROGRESS NOTE" in shouted
        assert shouted == field(NoteForm(formdata=None).body)


class WithDefault(FlaskForm):
    when = DateField("When", default=lambda: __import__("datetime").date.today())


class WithChoices(FlaskForm):
    kind = SelectField("Kind", choices=[("a", "A")])
    name = StringField("Name")


def test_forms_that_may_differ_per_request_are_built_for_real(app):
    with app.test_request_context("/"):
        assert isinstance(blank(RenameStepForm), RenameStepForm)  # an __init__ of its own
        assert isinstance(blank(WithDefault), WithDefault)  # a default may change from day to day
        assert isinstance(blank(StepForm), BlankForm)


def test_the_stand_in_answers_everything_else_from_the_real_form_and_is_read_only(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        stand_in = blank(WithChoices)
        assert stand_in.name.label.text == "Name" and stand_in.name.data is None and not stand_in.name.errors
        real = WithChoices(formdata=None)
        assert stand_in.data == real.data and stand_in["kind"].choices == [("a", "A")]
        assert [field.name for field in stand_in] == [field.name for field in real]
        with pytest.raises(AttributeError):
            stand_in.kind.choices = [("b", "B")]
        with pytest.raises(AttributeError):
            stand_in.name = None


def test_the_goal_page_writes_blank_forms_and_the_one_with_errors_for_real(app, personas, quick_login_as):
    from tests.goals.conftest import make_goal

    goal = make_goal(personas.mentee_a, steps=["Call the clinic"])
    client = quick_login_as("mentee_a")
    for _ in range(2):  # the second page is written from the cache
        page = client.get(f"/goals/{goal.id}").get_data(as_text=True)
        assert 'name="title"' in page and 'name="due_date"' in page and 'name="body"' in page
        assert 'aria-describedby="title-hint"' in page and 'aria-describedby="body-hint"' in page
        assert "field--error" not in page
    token = csrf_token_from(page)
    refused = client.post(f"/goals/{goal.id}/steps", data={"csrf_token": token, "title": "  "})
    assert refused.status_code == 422 and "Describe the step." in refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
