"""The mentor's session log: held or missed, times, topics, goals, summary, private note,
action items and the next meeting, in one form. Also for sessions never scheduled here."""
import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import policy
from app.current_person import current_person, login_required
from app.db import utcnow
from app.goals.models import Goal, GoalStep
from app.meetings import bp, service
from app.meetings.forms import LogForm
from app.meetings.models import ActionItem, Meeting, MeetingGoal
from app.meetings.views import _mentee_choices, _when
from app.timeutil import NonexistentTime, local_to_utc, utc_to_local


def _mentor():
    policy.require(current_person().role == "mentor")
    return current_person()


def _goal_choices(form, match):
    goals = list(Goal.select().where((Goal.mentee == match.mentee_id) & (Goal.status == "active")).order_by(Goal.title))
    form.goals.choices = [(goal.id, goal.title) for goal in goals]
    steps = list(GoalStep.select().where(GoalStep.goal.in_([g.id for g in goals] or [0]) & GoalStep.done_at.is_null())
                 .order_by(GoalStep.goal, GoalStep.position))
    titles = {goal.id: goal.title for goal in goals}
    form.steps_done.choices = [(step.id, f"{step.title} ({titles[step.goal_id]})") for step in steps]
    for item in form.action_items:
        item.form.goal.choices = [(0, _("Not a goal step"))] + [(goal.id, goal.title) for goal in goals]
    return goals


def _fill_from_meeting(form, meeting, tz):
    start = utc_to_local(meeting.actual_start or meeting.starts_at, tz)
    form.date.data = start.date()
    form.start_time.data = start.time().replace(second=0, microsecond=0)
    end = meeting.actual_end or (meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes or 60))
    form.end_time.data = utc_to_local(end, tz).time().replace(second=0, microsecond=0)
    form.format.data = meeting.format
    if meeting.is_logged:
        form.outcome.data = meeting.status
        form.missed_reason.data = meeting.missed_reason
        form.topics.data = meeting.topic_keys
        form.topics_other.data = meeting.topics_other
        form.summary.data = meeting.summary
        form.private_note.data = meeting.private_note
        form.goals.data = [link.goal_id for link in MeetingGoal.select().where(MeetingGoal.meeting == meeting)]


def _log_page(form, meeting, match, status=200):
    existing_items = list(ActionItem.select().where(ActionItem.meeting == meeting)) if meeting and meeting.id else []
    return render_template("meetings/log.html", form=form, meeting=meeting, match=match,
                           existing_items=existing_items), status


def _process(form, mentor, meeting, match):
    """Validate the times and hand everything to the service; returns a response or None."""
    tz = mentor.timezone
    try:
        start = local_to_utc(form.date.data, form.start_time.data or datetime.time(12, 0), tz)
        end = local_to_utc(form.date.data, form.end_time.data, tz) if form.end_time.data else None
    except NonexistentTime:
        form.start_time.errors.append(_("That time doesn't exist on that day because the clocks change."))
        return None
    if start > utcnow() + datetime.timedelta(minutes=5):
        form.date.errors.append(_("You can log a meeting once it has started. To plan one, schedule it instead."))
        return None
    next_meeting = None
    if form.next_date.data:
        next_start = _when(form, mentor, "next_date", "next_time")
        if next_start is None:
            return None
        if next_start <= utcnow():
            form.next_time.errors.append(_("Choose a time in the future for the next meeting."))
            return None
        place = form.next_place.data or ""
        next_meeting = {
            "starts_at": next_start, "duration_minutes": form.next_duration.data, "format": form.next_format.data,
            "place": place if form.next_format.data == "in_person" else "",
            "video_link": place if form.next_format.data == "video" else "",
        }
    held = form.outcome.data == "held"
    data = {
        "status": form.outcome.data,
        "missed_reason": "" if held else (form.missed_reason.data or ""),
        "actual_start": start if held else None,
        "actual_end": end if held else None,
        "format": form.format.data,
        "topics": ("|" + "|".join(form.topics.data) + "|") if held and form.topics.data else "",
        "topics_other": (form.topics_other.data or "") if held else "",
        "summary": form.summary.data or "",
        "private_note": form.private_note.data or "",
    }
    if meeting.id is None:
        meeting.starts_at = start
        meeting.duration_minutes = int((end - start).total_seconds() // 60) if end and end > start else 60
    items = [
        {"title": item.form.title.data, "owner": item.form.owner.data, "goal": item.form.goal.data or 0}
        for item in form.action_items if item.form.title.data
    ]
    follow_up = service.save_log(
        mentor, meeting, data, items, form.goals.data or [], (form.steps_done.data or []) if held else [],
        form.progress_note.data if held else "", next_meeting,
    )
    flash(_("The session is logged.") + (" " + _("The next meeting is scheduled.") if follow_up else ""), "success")
    return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303)


@bp.route("/<int:meeting_id>/log", methods=["GET", "POST"])
@login_required
def log_meeting(meeting_id):
    mentor = _mentor()
    meeting = policy.meeting_for(mentor, meeting_id)
    policy.require(policy.can_log_meeting(mentor, meeting) and meeting.status in ("scheduled", "proposed", "held", "missed"))
    match = meeting.match
    if meeting.starts_at > utcnow():
        # Refused for a posted form too: the form's own date must not let a future meeting be logged.
        flash(_("This meeting hasn't started yet. You can log it once it has."), "info")
        return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303 if request.method == "POST" else 302)
    form = LogForm()
    _goal_choices(form, match)
    if request.method == "GET":
        _fill_from_meeting(form, meeting, mentor.timezone)
    elif form.validate_on_submit():
        response = _process(form, mentor, meeting, match)
        if response is not None:
            return response
    return _log_page(form, meeting, match, 422 if request.method == "POST" else 200)


@bp.route("/log", methods=["GET", "POST"])
@login_required
def log_unscheduled():
    """Log a session that was never scheduled in Tandem."""
    mentor = _mentor()
    choices = _mentee_choices(mentor)
    if not choices:
        flash(_("You need an active match to log a meeting."), "error")
        return redirect(url_for("meetings.list_meetings"))
    match_id = request.values.get("match", type=int) or choices[0][0]
    match = policy.active_match_for(mentor, match_id)
    form = LogForm()
    _goal_choices(form, match)
    meeting = Meeting(match=match, proposed_by=mentor, status="scheduled", starts_at=utcnow())
    if request.method == "GET":
        form.date.data = utc_to_local(utcnow(), mentor.timezone).date()
    elif form.validate_on_submit():
        response = _process(form, mentor, meeting, match)
        if response is not None:
            return response
    return render_template("meetings/log.html", form=form, meeting=None, match=match, matches=choices,
                           existing_items=[]), (422 if request.method == "POST" else 200)
