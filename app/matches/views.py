"""Coordinators pair mentors with mentees, and pause, resume or close matches."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN, fn

from app import audit, policy
from app.auth.models import User
from app.core.home import waiting_mentees
from app.current_person import current_person, login_required
from app.db import database, utcnow
from app.htmx import render
from app.i18n import gettext
from app.matches.forms import MatchStatusForm, NewMatchForm, ResumeForm
from app.matches.models import MATCH_STATUS_LABELS, Match
from app.pagination import paginate
from app.prepared import PreparedQuery

bp = Blueprint("matches", __name__, url_prefix="/matches")

MentorUser = User.alias("mentor_user")
MenteeUser = User.alias("mentee_user")


def _coordinator():
    policy.require(policy.can_manage_matches(current_person()))
    return current_person()


_match_with_people = PreparedQuery(
    lambda viewer, match_id: policy.matches_visible_to(viewer)
    .select_extend(MentorUser, MenteeUser)
    .join_from(Match, MentorUser, on=(Match.mentor == MentorUser.id))
    .join_from(Match, MenteeUser, on=(Match.mentee == MenteeUser.id))
    .where(Match.id == match_id)
    .limit(1),
    slots=("match_id",), person_slots=("viewer",),
)


def _match_or_404(match_id):
    match = _match_with_people.first(viewer=current_person(), match_id=match_id)
    policy.require(match is not None)
    return match


@bp.get("")
@login_required
def list_matches():
    _coordinator()
    status = request.args.get("status", "open")
    query = (
        Match.select(Match, MentorUser, MenteeUser)
        .join_from(Match, MentorUser, on=(Match.mentor == MentorUser.id))
        .join_from(Match, MenteeUser, on=(Match.mentee == MenteeUser.id))
        .order_by(Match.started.desc(), Match.id.desc())
    )
    if status == "open":
        query = query.where(Match.status.in_(("active", "paused")))
    elif status in MATCH_STATUS_LABELS:
        query = query.where(Match.status == status)
    page = paginate(query)
    return render("matches/list.html", "matches/partials/rows.html", page=page, status=status,
                  statuses=MATCH_STATUS_LABELS)


def _new_match_form(submitted=False):
    form = NewMatchForm() if submitted else NewMatchForm(formdata=None)
    # Every active mentor, with their open matches counted: only the columns the list shows, as
    # tuples, and the label translated by the per-request catalogue (a program has hundreds).
    mentors = (
        User.select(User.id, User.name, fn.COUNT(Match.id))
        .join(Match, JOIN.LEFT_OUTER, on=((Match.mentor == User.id) & (Match.status.in_(("active", "paused")))))
        .where((User.role == "mentor") & (User.active == True))  # noqa: E712
        .group_by(User.id, User.name)
        .order_by(User.name)
        .tuples()
    )
    form.mentor.choices = [(0, _("Choose a mentor"))] + [
        (mentor_id, gettext("%(name)s (%(count)d current mentees)", name=name, count=count))
        for mentor_id, name, count in mentors
    ]
    form.mentee.choices = [(0, _("Choose a mentee"))] + [(m.id, m.name) for m in waiting_mentees()]
    return form


@bp.get("/new")
@login_required
def new_match():
    _coordinator()
    form = _new_match_form()
    preselect = request.args.get("mentee", type=int)
    if preselect:
        form.mentee.data = preselect
    return render_template("matches/new.html", form=form)


@bp.post("/new")
@login_required
def create_match():
    coordinator = _coordinator()
    form = _new_match_form(submitted=True)
    if form.validate_on_submit():
        if not form.mentor.data:
            form.mentor.errors.append(_("Choose a mentor."))
        if not form.mentee.data:
            form.mentee.errors.append(_("Choose a mentee."))
        if form.mentor.data and form.mentee.data:
            with database.atomic():
                mentor = User.get_or_none((User.id == form.mentor.data) & (User.role == "mentor") & (User.active == True))  # noqa: E712
                mentee = User.get_or_none((User.id == form.mentee.data) & (User.role == "mentee") & (User.active == True))  # noqa: E712
                if mentor is None or mentee is None or Match.open_for_mentee(mentee) is not None:
                    form.mentee.errors.append(_("This mentee already has a mentor. Refresh the page and try again."))
                else:
                    match = Match.create(mentor=mentor, mentee=mentee, created_by=coordinator)
                    audit.record("match.create", obj=match, subject=mentee, detail=f"mentor={mentor.id}")
                    flash(_("%(mentee)s is now matched with %(mentor)s.", mentee=mentee.name, mentor=mentor.name),
                          "success")
                    return redirect(url_for("matches.show_match", match_id=match.id), 303)
    return render_template("matches/new.html", form=form), 422


@bp.get("/<int:match_id>")
@login_required
def show_match(match_id):
    _coordinator()
    match = _match_or_404(match_id)
    from app.goals.stats import goal_counts
    from app.meetings.supervision_views import match_meeting_stats
    from app.journal.stats import weekly_entry_counts

    return render_template("matches/show.html", match=match, journal_weeks=weekly_entry_counts(match.mentee_id),
                           goals=goal_counts(match.mentee_id), meeting_stats=match_meeting_stats(match.id))


@bp.route("/<int:match_id>/<any(pause, close):action>", methods=["GET", "POST"])
@login_required
def change_status(match_id, action):
    """Pause or close, with a reason. GET shows the confirmation; POST does it."""
    _coordinator()
    match = _match_or_404(match_id)
    allowed = {"pause": ("active",), "close": ("active", "paused")}[action]
    if match.status not in allowed:
        flash(_("This match can't be changed that way any more."), "error")
        return redirect(url_for("matches.show_match", match_id=match.id), 303)
    form = MatchStatusForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            if action == "pause":
                match.status = "paused"
                match.status_reason = form.reason.data
            else:
                match.status = "closed"
                match.closure_reason = form.reason.data
                match.ended = utcnow()
            match.save()
            audit.record(f"match.{action}", obj=match, subject=User(id=match.mentee_id))
        message = _("The match is paused.") if action == "pause" else _("The match is closed. The mentor no longer has access.")
        flash(message, "success")
        return redirect(url_for("matches.show_match", match_id=match.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("matches/confirm_status.html", match=match, form=form, action=action), status


@bp.post("/<int:match_id>/resume")
@login_required
def resume_match(match_id):
    _coordinator()
    match = _match_or_404(match_id)
    if ResumeForm().validate_on_submit() and match.status == "paused":
        with database.atomic():
            match.status = "active"
            match.status_reason = ""
            match.save()
            audit.record("match.resume", obj=match, subject=User(id=match.mentee_id))
        flash(_("The match is active again."), "success")
    return redirect(url_for("matches.show_match", match_id=match.id), 303)
