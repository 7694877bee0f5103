"""Helpers for the meetings tests: per-request app contexts, quick sign-in, meetings made directly,
forms as the pages post them, and iCalendar parsing."""
import datetime
import re

import pytest

UTC = datetime.timezone.utc


@pytest.fixture
def login_as(quick_login_as):
    """Sign-ins here skip password hashing (tests/conftest.py signed_in_client)."""
    return quick_login_as


def utc(*args):
    """A naive UTC datetime, as the database stores it."""
    return datetime.datetime(*args)


def aware(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def now():
    from app.db import utcnow

    return utcnow()


def make_meeting(match, starts_at=None, status="scheduled", proposed_by=None, days=None, **fields):
    """A meeting written straight into the database (for tests about reading, not scheduling).

    `days` places it that many days from now (negative: in the past).
    """
    from app.meetings.models import Meeting

    if starts_at is None:
        starts_at = now().replace(second=0, microsecond=0) + datetime.timedelta(days=days if days is not None else 3)
    if status in ("held", "missed"):
        fields.setdefault("logged_at", starts_at + datetime.timedelta(hours=2))
        fields.setdefault("logged_by", match.mentor_id)
    if status == "held":
        fields.setdefault("actual_start", starts_at)
        fields.setdefault("actual_end", starts_at + datetime.timedelta(minutes=fields.get("duration_minutes", 60)))
    return Meeting.create(match=match, starts_at=starts_at, status=status,
                          proposed_by=proposed_by or match.mentor_id, **fields)


def reload(meeting):
    from app.meetings.models import Meeting

    return Meeting.get_by_id(meeting.id)


def propose_form(day, time="09:00", **fields):
    """The propose page's form as the browser posts it (an in-person meeting by default)."""
    data = {"date": day.isoformat() if hasattr(day, "isoformat") else day, "time": time, "duration": "60",
            "format": "in_person", "place": "Central Library, 2nd floor", "video_link": "", "agenda": ""}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def log_form(day, start="10:00", end="11:00", action_items=(), **fields):
    """The session log form as the browser posts it: held, in person, three empty action item rows.

    `action_items` holds (title, owner, goal_id or 0) triples.
    """
    data = {"outcome": "held", "missed_reason": "", "date": day.isoformat() if hasattr(day, "isoformat") else day,
            "start_time": start, "end_time": end, "format": "in_person", "topics_other": "", "progress_note": "",
            "summary": "", "private_note": "", "next_date": "", "next_time": "", "next_duration": "60",
            "next_format": "in_person", "next_place": ""}
    rows = list(action_items) + [("", "mentee", 0)] * max(0, 3 - len(action_items))
    for index, (title, owner, goal) in enumerate(rows):
        data[f"action_items-{index}-title"] = title
        data[f"action_items-{index}-owner"] = owner
        data[f"action_items-{index}-goal"] = str(goal)
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def audit_rows(action=None, **where):
    from app.audit import AuditEvent

    query = AuditEvent.select().order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    for field, value in where.items():
        query = query.where(getattr(AuditEvent, field) == value)
    return list(query)


def meeting_path(response):
    """The meeting id a 303 after a write points at."""
    found = re.search(r"/meetings/(\d+)$", response.headers.get("Location", ""))
    assert found, f"not a redirect to a meeting: {response.status_code} {response.headers.get('Location')}"
    return int(found.group(1))


def parse_calendar(body):
    """The VEVENTs of an iCalendar body, parsed with the icalendar package."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


def unfolded(text):
    """iCalendar folds long lines (CRLF + space); unfold so a phrase is found whole."""
    return re.sub(r"\r?\n[ \t]", "", text)


def feed_url_of(page):
    """The private feed URL shown on /meetings/calendar, as a path."""
    found = re.search(r'id="calendar-link"[^>]*value="([^"]+)"', page)
    assert found, "the calendar page shows no feed link"
    return found.group(1).replace("http://localhost", "")


def when_shown(page):
    """The "When" line of a meeting page, as the viewer reads it."""
    found = re.search(r"<dt>When</dt><dd>(.*?)</dd>", page)
    assert found, "the page shows no meeting time"
    return found.group(1).replace("\u202f", " ")
