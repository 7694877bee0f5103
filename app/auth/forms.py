"""Sign-in, invitation, and password reset forms."""
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.auth.passwords import MAX_LENGTH, password_problems
from app.core.forms import TandemForm
from app.i18n import lazy_gettext as _l


class NewPasswordMixin:
    """Checks `password` against the rules, using `name`/`email` of the form or of `self.person`."""

    person = None

    def validate_password(self, field):
        name = getattr(getattr(self, "name", None), "data", None) or (self.person.name if self.person else "")
        email = getattr(self, "known_email", None) or (self.person.email if self.person else "")
        problems = password_problems(field.data or "", name=name, email=email)
        if problems:
            raise ValidationError(" ".join(problems))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(TandemForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
                       filters=[_strip])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         Length(max=MAX_LENGTH + 1)])


class AcceptInvitationForm(NewPasswordMixin, TandemForm):
    name = StringField(
        _l("Your name"),
        description=_l("How you'd like to be called here. A first name is fine."),
        validators=[DataRequired(_l("Tell us what to call you.")), Length(max=120)],
        filters=[_strip],
    )
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 12 characters. A few random words make a good passphrase."),
        validators=[DataRequired(_l("Choose a password."))],
    )


class ForgotPasswordForm(TandemForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")),
                                                Email(_l("Enter a valid email address."), check_deliverability=False),
                                                Length(max=254)], filters=[_strip])


class ResetPasswordForm(NewPasswordMixin, TandemForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few random words make a good passphrase."),
        validators=[DataRequired(_l("Choose a password."))],
    )
