"""The journal: a mentee's private entries with mood, shared with their mentor only by consent."""
from flask import Blueprint

bp = Blueprint("journal", __name__, url_prefix="/journal")

from app.journal import insights_views, mentor_views, prompt_views, views, write_views  # noqa: E402,F401  (routes)
