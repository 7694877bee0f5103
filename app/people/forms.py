"""Coordinator forms for people and invitations."""
from wtforms import EmailField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from app.auth.forms import _strip
from app.auth.models import ROLE_LABELS
from app.core.forms import TandemForm
from app.i18n import lazy_gettext as _l


def role_choices():
    return [(role, str(label)) for role, label in ROLE_LABELS.items()]


class InvitationForm(TandemForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter the person's email address.")),
                                                Email(_l("Enter a valid email address."), check_deliverability=False),
                                                Length(max=254)], filters=[_strip])
    role = SelectField(_l("Role"), choices=role_choices, default="mentee")


class RoleForm(TandemForm):
    role = SelectField(_l("Role"), choices=role_choices)


class ReasonForm(TandemForm):
    """Used by confirmations that may carry a short note (deactivation)."""
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=500)], filters=[_strip])


class ConfirmForm(TandemForm):
    """An empty form: only the CSRF token."""
