"""Goal, step, progress note and status forms."""
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.forms import _strip
from app.core.forms import TandemForm
from app.goals.models import AREAS
from app.i18n import lazy_gettext as _l


class GoalForm(TandemForm):
    title = StringField(
        _l("Goal"),
        description=_l("Make it specific and something you can check: \u201cWalk for 20 minutes, three times a week\u201d works better than \u201cGet fit\u201d."),
        validators=[DataRequired(_l("Give the goal a short name.")), Length(max=200)], filters=[_strip])
    why = TextAreaField(_l("Why it matters to you"), description=_l("A line or two in your own words. This helps on hard days."),
                        validators=[Length(max=2000)], filters=[_strip])
    area = SelectField(_l("Area of life"), choices=list(AREAS.items()), default="recovery")
    target_date = DateField(_l("Target date (optional)"),
                            description=_l("A date gives you something to aim for. You can always move it."),
                            validators=[Optional()])
    mentee = HiddenField()


class StepForm(TandemForm):
    title = StringField(_l("New step"), description=_l("A small action, like \u201cCall the clinic on Monday\u201d."),
                        validators=[DataRequired(_l("Describe the step.")), Length(max=200)], filters=[_strip])
    due_date = DateField(_l("Due (optional)"), validators=[Optional()])


class RenameStepForm(TandemForm):
    """Prefixed: it is shown inside the steps list, next to the add-step form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "edit")
        super().__init__(*args, **kwargs)

    title = StringField(_l("Step"), validators=[DataRequired(_l("Describe the step.")), Length(max=200)],
                        filters=[_strip])
    due_date = DateField(_l("Due (optional)"), validators=[Optional()])


class NoteForm(TandemForm):
    body = TextAreaField(_l("Progress note"), description=_l("What went well? What got in the way?"),
                         validators=[DataRequired(_l("Write a few words first.")), Length(max=2000)], filters=[_strip])


class StatusForm(TandemForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=1000)], filters=[_strip])


class AchievedForm(TandemForm):
    note = TextAreaField(_l("What helped you get there?"),
                         description=_l("One line is enough. It may help you, or someone else, next time."),
                         validators=[DataRequired(_l("Write a line about what helped.")), Length(max=1000)],
                         filters=[_strip])


class ConfirmForm(TandemForm):
    """Only the CSRF token."""
