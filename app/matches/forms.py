"""Coordinator forms for pairing and for pausing, resuming and closing matches."""
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.auth.forms import _strip
from app.core.forms import TandemForm
from app.i18n import lazy_gettext as _l


class NewMatchForm(TandemForm):
    mentor = SelectField(_l("Mentor"), coerce=int, validators=[InputRequired(_l("Choose a mentor."))])
    mentee = SelectField(_l("Mentee"), coerce=int, validators=[InputRequired(_l("Choose a mentee."))])


class MatchStatusForm(TandemForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Please give a short reason.")), Length(max=1000)],
                           filters=[_strip])


class ResumeForm(TandemForm):
    """Only the CSRF token."""
