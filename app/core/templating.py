"""Template globals and filters shared by every page."""
import datetime

from flask import current_app
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_login import current_user
from peewee import PeeweeException

from app.config import DEFAULT_CRISIS_TEXT


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

    @app.template_filter("when")
    def _when(value, style="medium"):
        """A UTC timestamp shown in the viewer's time zone and language (minutes, never seconds)."""
        if not value:
            return ""
        if style == "short":
            return format_datetime(value, "short")
        return f"{format_date(value, style)}, {format_time(value, 'short')}"

    @app.template_filter("day")
    def _day(value, style="medium"):
        """A date (or the local date of a UTC timestamp) in the viewer's language."""
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            value = _to_local(value)
        return format_date(value, style)


def _to_local(value):
    from flask_babel import to_user_timezone

    return to_user_timezone(value.replace(tzinfo=datetime.timezone.utc)).date()
