"""iCalendar files and feeds (the `icalendar` package), so meetings land in the phone's own calendar.

Times are written in UTC, which every calendar converts to its own zone, so
they stay right across daylight-saving changes.
"""
import datetime
import hashlib
import hmac

from flask import current_app, url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event

from app.meetings.models import CalendarFeed

UTC = datetime.timezone.utc


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_event(meeting, viewer):
    """One VEVENT. It names the other person and the place, nothing from the session log."""
    match = meeting.match
    other = match.mentee if viewer.id == match.mentor_id else match.mentor
    event = Event()
    event.add("uid", f"{meeting.ical_uid}@tandem")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated.replace(tzinfo=UTC))
    start = meeting.starts_at.replace(tzinfo=UTC)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=meeting.duration_minutes or 60))
    event.add("summary", _("Mentoring meeting with %(name)s", name=other.name))
    if meeting.format == "in_person" and meeting.place:
        event.add("location", meeting.place)
    elif meeting.format == "video" and meeting.video_link:
        event.add("location", meeting.video_link)
    elif meeting.format == "phone":
        event.add("location", _("Phone call"))
    event.add("status", {"proposed": "TENTATIVE", "cancelled": "CANCELLED"}.get(meeting.status, "CONFIRMED"))
    event.add("url", current_app.config["BASE_URL"] + url_for("meetings.show_meeting", meeting_id=meeting.id))
    return event


def calendar_for(meetings, viewer, name):
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, viewer))
    return calendar.to_ical()


def _signature(feed):
    key = current_app.config["SECRET_KEY"].encode()
    message = f"calendar-feed:{feed.id}:{feed.user_id}:{feed.version}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def feed_token(feed):
    """The secret part of the feed URL: derived, never stored; a reset bumps the version."""
    return f"{feed.id}-{_signature(feed)}"


def feed_from_token(token):
    feed_id, _sep, signature = (token or "").partition("-")
    if not feed_id.isdigit() or len(signature) != 40:
        return None
    feed = CalendarFeed.get_or_none(CalendarFeed.id == int(feed_id))
    if feed is None or not hmac.compare_digest(signature, _signature(feed)):
        return None
    return feed
