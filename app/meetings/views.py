"""Meetings: list, propose, accept, move, cancel, read, reflect, and a .ics per meeting."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import audit, policy
from app.auth.models import User
from app.current_person import current_person, login_required
from app.db import utcnow
from app.matches.models import Match
from app.meetings import bp, ics, queries, service
from app.meetings.forms import CancelForm, ProposeForm, ReflectionForm, RescheduleForm
from app.meetings.list_rows import meeting_rows
from app.meetings.models import ActionItem, MeetingGoal
from app.pagination import page_number
from app.timeutil import NonexistentTime, local_to_utc, utc_to_local


def _party():
    policy.require(current_person().role in ("mentee", "mentor"))
    return current_person()


@bp.get("")
@login_required
def list_meetings():
    user = _party()
    number = page_number()
    matches = queries.party_matches(user)
    past = queries.past(user, matches, offset=(number - 1) * 20)
    context = {
        "upcoming": meeting_rows(queries.upcoming(user, matches), matches, user),
        "past": meeting_rows(past[:20], matches, user),
        "has_more": len(past) > 20,
        "page_number": number,
        "awaiting_log": queries.awaiting_log(user, matches) if user.role == "mentor" else [],
        # `matches` holds every match the person is part of, so this needs no query of its own.
        "has_active_match": any(match.status == "active" for match in matches.values()),
    }
    return render_template("meetings/list.html", **context)


def _mentee_choices(user):
    matches = list(Match.select(Match, User).join(User, on=(Match.mentee == User.id)).where(
        (Match.mentor == user) & (Match.status == "active")).order_by(User.name))
    return [(m.id, m.mentee.name) for m in matches]


def _when(form, user, date_field="date", time_field="time"):
    """UTC start from the form's local date and time, or None with an error on the time field."""
    try:
        return local_to_utc(getattr(form, date_field).data, getattr(form, time_field).data, user.timezone)
    except NonexistentTime:
        getattr(form, time_field).errors.append(
            _("That time doesn't exist on that day because the clocks change. Choose another time."))
        return None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def propose_meeting():
    user = _party()
    form = ProposeForm()
    if user.role == "mentor":
        form.mentee.choices = _mentee_choices(user)
        if not form.mentee.choices:
            flash(_("You need an active match to schedule a meeting."), "error")
            return redirect(url_for("meetings.list_meetings"))
        if request.method == "GET" and request.args.get("match", type=int):
            form.mentee.data = request.args.get("match", type=int)
    else:
        form.mentee.choices = []
        if not Match.select().where((Match.mentee == user) & (Match.status == "active")).exists():
            flash(_("You can schedule meetings once you are matched with a mentor."), "error")
            return redirect(url_for("meetings.list_meetings"))
    if request.method == "POST" and form.validate_on_submit():
        match = policy.active_match_for(user, form.mentee.data if user.role == "mentor" else None)
        starts_at = _when(form, user)
        if starts_at is not None and starts_at <= utcnow():
            form.time.errors.append(_("Choose a time in the future."))
        elif starts_at is not None:
            meeting = service.propose(user, match, starts_at, form.duration.data, form.format.data,
                                      form.place.data or "", form.video_link.data or "", form.agenda.data or "")
            flash(_("Meeting proposed. We'll show it to the other person to accept."), "success")
            return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/propose.html", form=form), status


def _meeting_page(user, meeting, status=200, reflection_form=None):
    links = list(MeetingGoal.select().where(MeetingGoal.meeting == meeting))
    from app.goals.models import Goal

    goals = list(Goal.select().where(Goal.id.in_([link.goal_id for link in links]))) if links else []
    return render_template(
        "meetings/meeting.html", meeting=meeting,
        local_start=utc_to_local(meeting.starts_at, user.timezone),
        action_items=list(ActionItem.select().where(ActionItem.meeting == meeting).order_by(ActionItem.position)),
        goals=goals,
        can_log=policy.can_log_meeting(user, meeting),
        show_private=policy.can_see_private_note(user, meeting),
        can_act=policy.is_party_to_active_match(user, meeting.match),
        reflection_form=reflection_form or ReflectionForm(formdata=None, reflection=meeting.mentee_reflection,
                                                          helpfulness=str(meeting.helpfulness or "")),
        now=utcnow(),
    ), status


@bp.get("/<int:meeting_id>")
@login_required
def show_meeting(meeting_id):
    user = current_person()
    meeting = policy.meeting_for(user, meeting_id)
    if user.role == "coordinator":
        return redirect(url_for("meetings.supervise_match", match_id=meeting.match_id) + f"#meeting-{meeting.id}")
    if user.role == "mentor" and meeting.is_logged:
        audit.record("meeting.read", obj=meeting, subject=User(id=meeting.match.mentee_id))
    return _meeting_page(user, meeting)


def _actionable(meeting_id):
    user = _party()
    meeting = policy.meeting_for(user, meeting_id)
    policy.require(policy.is_party_to_active_match(user, meeting.match))
    return user, meeting


@bp.post("/<int:meeting_id>/accept")
@login_required
def accept_meeting(meeting_id):
    user, meeting = _actionable(meeting_id)
    if meeting.status == "proposed" and meeting.proposed_by_id != user.id and service.accept(user, meeting):
        flash(_("Meeting accepted. It's in your calendar feed."), "success")
    return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303)


@bp.route("/<int:meeting_id>/reschedule", methods=["GET", "POST"])
@login_required
def reschedule_meeting(meeting_id):
    user, meeting = _actionable(meeting_id)
    policy.require(meeting.status in ("proposed", "scheduled"))
    form = RescheduleForm()
    if request.method == "GET":
        local = utc_to_local(meeting.starts_at, user.timezone)
        form.date.data, form.time.data, form.duration.data = local.date(), local.time(), meeting.duration_minutes
    if request.method == "POST" and form.validate_on_submit():
        starts_at = _when(form, user)
        if starts_at is not None and starts_at <= utcnow():
            form.time.errors.append(_("Choose a time in the future."))
        elif starts_at is not None:
            service.reschedule(user, meeting, starts_at, form.duration.data, form.reason.data)
            flash(_("New time suggested. The other person will be asked to accept it."), "success")
            return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/reschedule.html", form=form, meeting=meeting), status


@bp.route("/<int:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_meeting(meeting_id):
    user, meeting = _actionable(meeting_id)
    policy.require(meeting.status in ("proposed", "scheduled"))
    form = CancelForm()
    if request.method == "POST" and form.validate_on_submit():
        service.cancel(user, meeting, form.reason.data)
        flash(_("The meeting is cancelled."), "success")
        return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/cancel.html", form=form, meeting=meeting,
                           local_start=utc_to_local(meeting.starts_at, user.timezone)), status


@bp.post("/<int:meeting_id>/reflection")
@login_required
def add_reflection(meeting_id):
    """The mentee's own words on a held meeting, and how helpful it was."""
    user = _party()
    meeting = policy.meeting_for(user, meeting_id)
    policy.require(user.role == "mentee" and meeting.status == "held")
    form = ReflectionForm()
    if form.validate_on_submit():
        service.reflect(user, meeting, form.reflection.data or "",
                        int(form.helpfulness.data) if form.helpfulness.data else None)
        flash(_("Thank you. Your reflection is saved."), "success")
        return redirect(url_for("meetings.show_meeting", meeting_id=meeting.id), 303)
    return _meeting_page(user, meeting, status=422, reflection_form=form)


@bp.get("/<int:meeting_id>/meeting.ics")
@login_required
def download_ics(meeting_id):
    user = _party()
    meeting = policy.meeting_for(user, meeting_id)
    body = ics.calendar_for([meeting], user, _("Mentoring meeting"))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting.id}.ics"'
    return response
