"""Goals: set together by a mentee and their mentor, worked towards step by step."""
from flask import Blueprint

bp = Blueprint("goals", __name__, url_prefix="/goals")

from app.goals import step_views, views  # noqa: E402,F401  (routes)
