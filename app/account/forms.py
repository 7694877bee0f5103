"""A person's own settings: profile, email, password."""
import functools
import zoneinfo

from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.auth.forms import NewPasswordMixin, _strip
from app.auth.passwords import MAX_LENGTH
from app.core.forms import TandemForm
from app.i18n import lazy_gettext as _l

LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}


@functools.cache
def timezone_choices():
    """(name, label) of every time zone, UTC first. Worked out once per process: the list comes from
    the zone files on disk (7.6 ms to walk them), which only change with the system's time zone
    data, and the app restarts for that."""
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return (("UTC", "UTC"),) + tuple((zone, zone.replace("_", " ")) for zone in zones)


class ProfileForm(TandemForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Tell us what to call you.")), Length(max=120)],
                       filters=[_strip])
    timezone = SelectField(_l("Time zone"), validate_choice=True)
    locale = SelectField(_l("Language"), validate_choice=True)


class EmailChangeForm(TandemForm):
    """Prefixed: it shares the settings page with the password form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "email")
        super().__init__(*args, **kwargs)

    email = EmailField(_l("New email"), validators=[DataRequired(_l("Enter your new email address.")),
                                                    Email(_l("Enter a valid email address."), check_deliverability=False),
                                                    Length(max=254)], filters=[_strip])
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password to confirm it's you.")), Length(max=MAX_LENGTH + 1)])


class PasswordChangeForm(NewPasswordMixin, TandemForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "password")
        super().__init__(*args, **kwargs)

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=MAX_LENGTH + 1)])
    password = PasswordField(_l("New password"),
                             description=_l("At least 12 characters. A few random words make a good passphrase."),
                             validators=[DataRequired(_l("Choose a new password."))])
