"""Home pages per role, the always-available help page, and the health check."""
from flask import Blueprint, current_app, redirect, render_template, url_for

from app.current_person import current_person, login_required
from app.db import database

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    if current_person().is_authenticated:
        return redirect(url_for("core.home"))
    return redirect(url_for("auth.login"))


@bp.get("/home")
@login_required
def home():
    """Each role's starting point."""
    from app.core import home as home_pages

    return home_pages.render_home(current_person())


@bp.get("/help")
def get_help():
    """Crisis lines. Must render even when the database is down: it uses no query of its own."""
    return render_template("core/help.html")


@bp.get("/healthz")
def healthz():
    try:
        database.execute_sql("SELECT 1")
    except Exception:  # any failure to reach the database means unhealthy
        current_app.logger.warning("health check: database unreachable")
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200
