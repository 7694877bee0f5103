"""Private calendar feeds: a secret URL a phone's calendar subscribes to, which the owner can reset."""
from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import audit, policy
from app.current_person import current_person, login_required
from app.db import database, utcnow
from app.meetings import bp, ics, queries
from app.meetings.models import CalendarFeed


def _feed_of(user, create=False):
    feed = CalendarFeed.get_or_none(CalendarFeed.user == user)
    if feed is None and create:
        feed = CalendarFeed.create(user=user)
    return feed


@bp.get("/calendar")
@login_required
def calendar_settings():
    policy.require(current_person().role in ("mentee", "mentor"))
    feed = _feed_of(current_person())
    url = current_app.config["BASE_URL"] + url_for("meetings.calendar_feed", token=ics.feed_token(feed)) if feed else None
    return render_template("meetings/calendar.html", feed_url=url)


@bp.post("/calendar/reset")
@login_required
def reset_calendar_feed():
    """Make (or remake) the feed URL; any earlier URL stops working at once."""
    policy.require(current_person().role in ("mentee", "mentor"))
    user = current_person()
    with database.atomic():
        feed = _feed_of(user)
        if feed is None:
            feed = CalendarFeed.create(user=user)
            audit.record("calendar.create", obj=feed, subject=user)
            flash(_("Your calendar link is ready. Add it to your phone's calendar."), "success")
        else:
            CalendarFeed.update(version=CalendarFeed.version + 1, created=utcnow()).where(
                CalendarFeed.id == feed.id).execute()
            audit.record("calendar.reset", obj=feed, subject=user)
            flash(_("You have a new calendar link. The old one no longer works."), "success")
    return redirect(url_for("meetings.calendar_settings"), 303)


@bp.get("/feed/<token>.ics")
def calendar_feed(token):
    """Public by design (calendar apps cannot sign in): the token in the URL is the key."""
    feed = ics.feed_from_token(token)
    if feed is None or not feed.user.active or feed.user.role not in ("mentee", "mentor"):
        abort(404)
    user = feed.user
    meetings = queries.upcoming(user, queries.party_matches(user), limit=200, full=True)
    body = ics.calendar_for(meetings, user, _("Tandem meetings"))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="tandem.ics"'
    return response
