"""Template globals, filters and translation callables shared by every page.

Lists format dozens of dates and translate hundreds of strings per page, so the
viewer's locale, time zone and translations are looked up once per request
(kept on `g`) rather than once per call.
"""
import datetime

from babel import dates as babel_dates
from flask import current_app, g
from flask_babel import get_locale, get_timezone, get_translations
from flask_login import current_user
from peewee import PeeweeException

from app.config import DEFAULT_CRISIS_TEXT

UTC = datetime.timezone.utc


def _viewer():
    """The signed-in person, or None; never fails when the database is down."""
    try:
        if current_user and current_user.is_authenticated:
            return current_user._get_current_object()
    except PeeweeException:
        current_app.logger.warning("could not load the signed-in person (database unavailable)")
    return None


def crisis_lines():
    return current_app.config.get("CRISIS_LINE_TEXT") or DEFAULT_CRISIS_TEXT


def _formatting():
    """(locale, time zone) of this request's viewer."""
    found = g.get("_tandem_formatting")
    if found is None:
        found = g._tandem_formatting = (get_locale(), get_timezone())
    return found


def _translations():
    found = g.get("_tandem_translations")
    if found is None:
        found = g._tandem_translations = get_translations()
    return found


def local_datetime(value):
    """A naive UTC timestamp in the viewer's time zone."""
    return value.replace(tzinfo=UTC).astimezone(_formatting()[1])


def when(value, style="medium"):
    """A UTC timestamp shown in the viewer's time zone and language (minutes, never seconds)."""
    if not value:
        return ""
    locale, zone = _formatting()
    local = local_datetime(value)
    if style == "short":
        return babel_dates.format_datetime(local, "short", tzinfo=zone, locale=locale)
    time = babel_dates.format_time(local, "short", tzinfo=zone, locale=locale)
    return f"{babel_dates.format_date(local.date(), style, locale=locale)}, {time}"


def day(value, style="medium"):
    """A date (or the local date of a UTC timestamp) in the viewer's language."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = local_datetime(value).date()
    return babel_dates.format_date(value, style, locale=_formatting()[0])


def register(app):
    @app.context_processor
    def _globals():
        return {
            "viewer": _viewer(),
            "program_name": app.config["PROGRAM_NAME"],
            "crisis_lines_configured": bool(app.config.get("CRISIS_LINE_TEXT")),
            "crisis_lines": crisis_lines,
            "locale_code": str(get_locale() or "en"),
        }

    @app.template_filter("role_label")
    def _role_label(role):
        from app.auth.models import ROLE_LABELS

        return ROLE_LABELS.get(role, role)

    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")
    # Same behaviour as Flask-Babel's callables (newstyle: %(name)s, autoescaped), cached per request.
    app.jinja_env.install_gettext_callables(
        lambda string: _translations().ugettext(string),
        lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n),
    )
