"""Template globals, filters and translation callables shared by every page.

Translations and date formats come from app/i18n.py, which looks the
viewer's locale, time zone and catalogue up once per request.
"""
from flask import current_app
from peewee import PeeweeException

from app.config import DEFAULT_CRISIS_TEXT
from app.core import form_controls
from app.core.site_nav import SiteNav
from app.core.urls import RememberingUrlFor
from app.csrf_tokens import csrf_token
from app.current_person import current_person
from app.goals.progress import progress
from app.i18n import day, formatting, install_template_callables, label_of, when


def _viewer():
    """The signed-in person, or None; never fails when the database is down."""
    try:
        person = current_person()
        if person is not None and person.is_authenticated:
            return person
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
            "locale_code": formatting()[2] or "en",
            "csrf_token": csrf_token,  # over flask-wtf's own: asked once per request (app/csrf_tokens.py)
        }

    @app.template_filter("role_label")
    def _role_label(role):
        from app.auth.models import ROLE_LABELS

        return label_of(ROLE_LABELS, role)

    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")
    install_template_callables(app.jinja_env)
    app.jinja_env.globals["url_for"] = RememberingUrlFor()
    app.jinja_env.globals["field"] = form_controls.field
    app.jinja_env.globals["control"] = form_controls.control  # a bare control: a radio or a box in a label
    app.jinja_env.globals["progress"] = progress
    app.jinja_env.globals["site_nav"] = SiteNav()  # written once per language, role and page (app/core/site_nav.py)
