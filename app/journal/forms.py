"""Journal forms: writing an entry, replying, prompts and preferences."""
import datetime

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.auth.forms import _strip
from app.core.forms import TandemForm
from app.i18n import lazy_gettext as _l
from app.journal.models import BODY_MAX, FEELINGS, MOOD_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _keep_newlines(value):
    """Normalise line endings but keep every character the mentee typed."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class EntryForm(TandemForm):
    body = TextAreaField(_l("What's on your mind?"), validators=[Length(max=BODY_MAX, message=_l(
        "Entries can be up to %(max)d characters. Your text is kept as a draft: shorten it, or split it into two entries.",
        max=BODY_MAX))], filters=[_keep_newlines])
    mood = RadioField(_l("How are you feeling overall?"), choices=[(str(k), v) for k, v in MOOD_LABELS.items()],
                      validators=[Optional()])
    feelings = MultiCheckboxField(_l("Feelings (optional)"), choices=list(FEELINGS.items()), validators=[Optional()])
    feelings_other = StringField(_l("In your own words (optional)"), validators=[Length(max=200)], filters=[_strip])
    entry_date = DateField(_l("Date"), validators=[Optional()])
    share = BooleanField(_l("Share with my mentor"))
    prompt = HiddenField(validators=[Length(max=300)])
    idempotency_key = HiddenField(validators=[DataRequired(), Length(max=64)])
    revision = HiddenField()

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_entry_date(self, field):
        if field.data and self.today and field.data > self.today:
            raise ValidationError(_l("The date can't be in the future."))
        if field.data and field.data < datetime.date(2000, 1, 1):
            raise ValidationError(_l("Choose a date after the year 2000."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and not (self.body.data or "").strip() and not self.mood.data:
            self.body.errors.append(_l("Write something or choose a mood before saving."))
            return False
        return ok


class ReplyForm(TandemForm):
    body = TextAreaField(_l("Reply"), description=_l("A short, supportive note. Your mentee will see it on this entry."),
                         validators=[DataRequired(_l("Write a reply first.")), Length(max=1000)], filters=[_strip])


class JournalSettingsForm(TandemForm):
    share_new_by_default = BooleanField(_l("Share new entries with my mentor by default"),
                                        description=_l("You can still switch sharing off for any entry."))
    mood_visible_to_mentor = BooleanField(_l("Let my mentor see my mood chart"),
                                          description=_l("Your mentor sees mood numbers only, never what you wrote."))


class PromptForm(TandemForm):
    text = StringField(_l("Prompt"), validators=[DataRequired(_l("Write the prompt.")), Length(max=300)],
                       filters=[_strip])
    active = BooleanField(_l("Offer this prompt"), default=True)


class ConfirmForm(TandemForm):
    """Only the CSRF token."""
