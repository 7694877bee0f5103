"""Meetings: schedule, hold and log mentoring sessions in person, by phone or by video."""
from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

from app.meetings import calendar_views, log_views, supervision_views, views  # noqa: E402,F401  (routes)
