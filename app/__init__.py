"""Tandem: a self-hosted peer-mentoring program in a box."""
import functools
import logging
import os
from pathlib import Path

from babel import Locale
from dotenv import load_dotenv
from flask import Flask, g, has_request_context, redirect, request, url_for
from flask_babel import Babel
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from peewee import PeeweeException

from app import db, per_request
from app.config import load_settings
from app.csrf_tokens import SignedTokens
from app.current_person import current_person
from app.security import set_security_headers
from app.session_cookies import RememberingSessionInterface
from app.template_translation import LanguageEnvironment

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()
babel = Babel()


class TandemFlask(Flask):
    # Templates are compiled once per language with their fixed texts translated in.
    jinja_environment = LanguageEnvironment


@functools.lru_cache(maxsize=64)
def _parsed_locale(name):
    """One Locale object per language for the process: Flask-Babel parses the selector's answer
    afresh on every request unless it is already a Locale."""
    return Locale.parse(name)


def _select_locale():
    supported = _supported_languages()
    if not has_request_context():
        # Command-line tasks (create-coordinator, set-password) have no browser to ask.
        return _parsed_locale(supported[0])
    try:
        person = current_person()
        if person is not None and person.is_authenticated and person.locale in supported:
            return _parsed_locale(person.locale)
    except PeeweeException:
        pass
    return _parsed_locale(request.accept_languages.best_match(supported) or supported[0])


def _select_timezone():
    try:
        person = current_person()
        if person is not None and person.is_authenticated:
            return person.timezone
    except PeeweeException:
        pass
    from flask import current_app

    return current_app.config["DEFAULT_TIMEZONE"]


def _supported_languages():
    from flask import current_app

    return current_app.config["LANGUAGES"] or ["en"]


def create_app(overrides=None):
    """Build the app. `overrides` (tests) replace settings read from the environment."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("TANDEM_INSTANCE") or str(ROOT / "instance")
    app = TandemFlask(
        __name__,
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_dotenv(os.path.join(os.getcwd(), ".env"), override=False)
    environ = dict(os.environ)
    # Simple overrides also feed the settings parser, so derived settings follow them.
    environ.update({key: str(value) for key, value in overrides.items() if isinstance(value, (str, int))})
    app.config.update(load_settings(instance_path, environ))
    app.config.update(overrides)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600 * 24 * 7
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "translations"))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    _configure_logging(app)
    db.init_app(app)
    per_request.init_app(app)  # first, so every later hook and error page can use it
    app.session_interface = RememberingSessionInterface()
    csrf.init_app(app)
    SignedTokens(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_timezone)

    from app.auth.sessions import login_manager

    # Templates get the signed-in person as `viewer`, which survives a database outage;
    # flask-login's own `current_user` context processor would fail every page (even /help).
    login_manager.init_app(app, add_context_processor=False)
    _register_login_handlers(app, login_manager)
    _register_blueprints(app)
    _register_error_handlers(app)
    _register_template_helpers(app)
    app.after_request(set_security_headers)
    if app.config.get("BENCH_BARE_ROUTE"):
        _register_bench_route(app)

    from app import cli

    cli.register(app)
    return app


def _configure_logging(app):
    if not app.logger.handlers or app.config["TANDEM_ENV"] == "production":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _register_blueprints(app):
    from app.account.views import bp as account_bp
    from app.auditlog.views import bp as auditlog_bp
    from app.auth.views import bp as auth_bp
    from app.core.views import bp as core_bp
    from app.goals import bp as goals_bp
    from app.journal import bp as journal_bp
    from app.meetings import bp as meetings_bp
    from app.matches.views import bp as matches_bp
    from app.people.views import bp as people_bp

    for blueprint in (core_bp, auth_bp, account_bp, people_bp, matches_bp, auditlog_bp, journal_bp, goals_bp, meetings_bp):
        app.register_blueprint(blueprint)


def _register_login_handlers(app, login_manager):
    from app.htmx import is_htmx

    @login_manager.unauthorized_handler
    def _unauthorized():
        """Plain requests go to the sign-in page; htmx gets 401 with HX-Redirect."""
        message = _("Your session has ended. Please sign in again; nothing you saved is lost.") if g.get(
            "session_expired"
        ) else _("Please sign in to continue.")
        from flask import flash, make_response

        flash(message, "info")
        if is_htmx():
            current = request.headers.get("HX-Current-URL", "")
            from urllib.parse import urlparse

            parsed = urlparse(current)
            next_path = parsed.path + (("?" + parsed.query) if parsed.query else "") if current else request.path
            response = make_response("", 401)
            response.headers["HX-Redirect"] = url_for("auth.login", next=next_path)
            return response
        next_path = request.full_path if request.method == "GET" else request.path
        return redirect(url_for("auth.login", next=next_path.rstrip("?")))


def _register_error_handlers(app):
    from flask import render_template

    def _page(status, title, message):
        try:
            return render_template("errors/error.html", status=status, title=title, message=message), status
        except PeeweeException:
            # The database is down: render without anything that needs it.
            return render_template("errors/error.html", status=status, title=title, message=message,
                                   safe_mode=True), status

    @app.errorhandler(400)
    def _bad_request(error):
        return _page(400, _("Something was wrong with that request"), _("Please go back and try again."))

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return _page(
            400,
            _("This form has expired"),
            _("For your safety, forms stop working after you sign out. Go back, reload the page and try again."),
        )

    @app.errorhandler(404)
    def _not_found(error):
        return _page(404, _("Page not found"), _("We could not find that page. It may have moved, or the link may be incomplete."))

    @app.errorhandler(405)
    def _method_not_allowed(error):
        return _page(405, _("That didn't work"), _("This page can't be used that way. Please go back and try again."))

    @app.errorhandler(413)
    def _too_large(error):
        return _page(413, _("That was too much to send at once"), _("Please shorten what you wrote and try again."))

    @app.errorhandler(429)
    def _too_many(error):
        return _page(429, _("Too many attempts"), _("Please wait a few minutes and try again."))

    @app.errorhandler(500)
    def _server_error(error):
        return _page(500, _("Something went wrong on our side"), _("Please try again in a moment. If it keeps happening, tell your coordinator."))

    @app.errorhandler(PeeweeException)
    def _database_error(error):
        app.logger.exception("database error")
        return _page(503, _("Tandem is having trouble right now"), _("Please try again in a moment. If you need help now, the crisis lines below are always available."))


def _register_bench_route(app):
    """A tiny page with no database work: the yardstick benchmarks divide by (bench/README.md)."""
    from flask import render_template

    @app.get("/bench/bare")
    def bench_bare():
        return render_template("bench_bare.html")


def _register_template_helpers(app):
    from app.core.templating import register

    register(app)
