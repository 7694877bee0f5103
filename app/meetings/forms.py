"""Meeting forms: propose, reschedule, cancel, log a session, reflect."""
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.auth.forms import _strip
from app.core.forms import TandemForm
from app.i18n import lazy_gettext as _l
from app.meetings.models import FORMATS, OWNERS, TOPICS

DURATIONS = [(15, _l("15 minutes")), (30, _l("30 minutes")), (45, _l("45 minutes")), (60, _l("1 hour")),
             (90, _l("1 hour 30 minutes")), (120, _l("2 hours"))]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _https_link(form, field):
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError(_l("Paste the full link, starting with https://"))


class ProposeForm(TandemForm):
    # Not checked against the choices: the view asks policy for the active match, which is a 404 otherwise.
    mentee = SelectField(_l("With"), coerce=int, validators=[Optional()], validate_choice=False)
    date = DateField(_l("Date"), validators=[InputRequired(_l("Choose a date."))])
    time = TimeField(_l("Start time"), validators=[InputRequired(_l("Choose a start time."))])
    duration = SelectField(_l("Length"), coerce=int, choices=DURATIONS, default=60)
    format = RadioField(_l("How you'll meet"), choices=list(FORMATS.items()), default="in_person")
    place = StringField(_l("Place (for in person)"), description=_l("A public place you both know, like a library or café."),
                        validators=[Length(max=200)], filters=[_strip])
    video_link = StringField(_l("Video link (for video)"), validators=[Length(max=500), _https_link], filters=[_strip])
    agenda = TextAreaField(_l("What you'd like to talk about (optional)"), validators=[Length(max=2000)],
                           filters=[_strip])

    def validate_place(self, field):
        if self.format.data == "in_person" and not field.data:
            raise ValidationError(_l("Say where you'll meet."))

    def validate_video_link(self, field):
        if self.format.data == "video" and not field.data:
            raise ValidationError(_l("Add the video link, so you can both join."))


class RescheduleForm(TandemForm):
    date = DateField(_l("New date"), validators=[InputRequired(_l("Choose a date."))])
    time = TimeField(_l("New start time"), validators=[InputRequired(_l("Choose a start time."))])
    duration = SelectField(_l("Length"), coerce=int, choices=DURATIONS, default=60)
    reason = StringField(_l("Why the change?"), description=_l("A few words, e.g. \u201cI have a clinic appointment then.\u201d"),
                         validators=[DataRequired(_l("Give a short reason.")), Length(max=500)], filters=[_strip])


class CancelForm(TandemForm):
    reason = StringField(_l("Why cancel?"), validators=[DataRequired(_l("Give a short reason.")), Length(max=500)],
                         filters=[_strip])


class ActionItemForm(Form):
    title = StringField(_l("Action item"), validators=[Length(max=200)], filters=[_strip])
    owner = SelectField(_l("Who does it"), choices=list(OWNERS.items()), default="mentee")
    goal = SelectField(_l("Make it a step of"), coerce=int, default=0, validate_choice=False)


class LogForm(TandemForm):
    outcome = RadioField(_l("Did the meeting happen?"), choices=[("held", _l("Yes, we met")), ("missed", _l("No, it was missed"))],
                         validators=[InputRequired(_l("Say whether you met."))], default="held")
    missed_reason = StringField(_l("Why was it missed? (optional)"), validators=[Length(max=500)], filters=[_strip])
    date = DateField(_l("Date"), validators=[InputRequired(_l("Choose the date."))])
    start_time = TimeField(_l("Started"), validators=[Optional()])
    end_time = TimeField(_l("Ended"), validators=[Optional()])
    format = RadioField(_l("How you met"), choices=list(FORMATS.items()), default="in_person")
    topics = MultiCheckboxField(_l("Topics"), choices=list(TOPICS.items()), validators=[Optional()])
    topics_other = StringField(_l("Other topics, in your words"), validators=[Length(max=200)], filters=[_strip])
    goals = MultiCheckboxField(_l("Goals you talked about"), coerce=int, validators=[Optional()])
    steps_done = MultiCheckboxField(_l("Steps finished"), coerce=int, validators=[Optional()])
    progress_note = TextAreaField(_l("Progress note for the goals you talked about (optional)"),
                                  validators=[Length(max=2000)], filters=[_strip])
    summary = TextAreaField(
        _l("Summary for your mentee"),
        description=_l("Your mentee will read this. Focus on strengths and what they did; use their own words where you can."),
        validators=[Length(max=5000)], filters=[_strip])
    private_note = TextAreaField(
        _l("Private note for supervision"),
        description=_l("Only you and program coordinators can read this. Your mentee never sees it."),
        validators=[Length(max=5000)], filters=[_strip])
    action_items = FieldList(FormField(ActionItemForm), min_entries=3, max_entries=10)
    next_date = DateField(_l("Next meeting: date (optional)"), validators=[Optional()])
    next_time = TimeField(_l("Next meeting: start time"), validators=[Optional()])
    next_duration = SelectField(_l("Next meeting: length"), coerce=int, choices=DURATIONS, default=60)
    next_format = RadioField(_l("Next meeting: how"), choices=list(FORMATS.items()), default="in_person")
    next_place = StringField(_l("Next meeting: place or link"), validators=[Length(max=500)], filters=[_strip])

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The end time must be after the start time."))

    def validate_next_time(self, field):
        if self.next_date.data and not field.data:
            raise ValidationError(_l("Choose a start time for the next meeting."))

    def validate_next_place(self, field):
        # For video it becomes the meeting's link (shown as a link), so it gets the same check as when proposing.
        if self.next_date.data and self.next_format.data == "video":
            if not field.data:
                raise ValidationError(_l("Add the video link, so you can both join."))
            _https_link(self, field)
        if self.next_date.data and self.next_format.data == "in_person" and not field.data:
            raise ValidationError(_l("Say where you'll meet."))


class ReflectionForm(TandemForm):
    reflection = TextAreaField(_l("Your reflection (optional)"),
                               description=_l("What stayed with you? Your mentor will see this."),
                               validators=[Length(max=3000)], filters=[_strip])
    helpfulness = RadioField(_l("How helpful was this meeting?"),
                             choices=[("1", _l("1 · Not helpful")), ("2", _l("2")), ("3", _l("3 · Somewhat")),
                                      ("4", _l("4")), ("5", _l("5 · Very helpful"))],
                             validators=[Optional()])
