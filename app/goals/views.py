"""Goal pages: lists, the goal itself with its timeline, creating, editing, notes and status."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import audit, policy
from app.auth.models import User
from app.core.blank_forms import blank
from app.current_person import current_person, login_required
from app.goals import bp, queries, service
from app.goals.forms import AchievedForm, GoalForm, NoteForm, StatusForm, StepForm
from app.goals.models import STATUSES
from app.htmx import render, wants_fragment
from app.i18n import translated_labels
from app.journal.models import local_today
from app.pagination import page_number
from app.prepared import PreparedQuery


def _viewer():
    policy.require(current_person().role in ("mentee", "mentor"))
    return current_person()


@bp.get("")
@login_required
def overview():
    """A mentee's goals, or a mentor's view across their mentees."""
    viewer = _viewer()
    if viewer.role == "mentee":
        goals = queries.goals_of(viewer, viewer, ("active", "paused"))
        return render_template("goals/mentee_goals.html", goals=goals, mentee=viewer)
    today = local_today(viewer.timezone)
    return render_template(
        "goals/mentor_overview.html",
        mentees=list(policy.mentees_of(viewer)),
        due_steps=queries.steps_due_soon(viewer, today),
        stale=queries.stale_goals(viewer),
        today=today,
        stale_days=queries.STALE_AFTER_DAYS,
    )


@bp.get("/past")
@login_required
def past_goals():
    viewer = _viewer()
    policy.require(viewer.role == "mentee")
    goals = queries.goals_of(viewer, viewer, ("achieved", "let_go"))
    return render_template("goals/past_goals.html", goals=goals)


@bp.get("/mentees/<int:mentee_id>")
@login_required
def mentee_goals(mentee_id):
    viewer = _viewer()
    mentee = policy.goal_mentee_for(viewer, mentee_id)
    if mentee.id == viewer.id:
        return redirect(url_for("goals.overview"))
    audit.record("goal.list_read", subject=mentee)
    return render_template(
        "goals/mentor_mentee_goals.html", mentee=mentee,
        goals=queries.goals_of(viewer, mentee, ("active", "paused")),
        past=queries.goals_of(viewer, mentee, ("achieved", "let_go")),
    )


def _mentee_from_request(viewer):
    raw = request.values.get("mentee", "")
    if viewer.role == "mentee":
        return viewer
    policy.require(raw.isdigit())
    return policy.goal_mentee_for(viewer, int(raw))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_goal():
    viewer = _viewer()
    mentee = _mentee_from_request(viewer)
    form = GoalForm()
    if request.method == "POST" and form.validate_on_submit():
        goal = service.create_goal(viewer, mentee, form.title.data, form.why.data or "", form.area.data,
                                   form.target_date.data)
        flash(_("Goal added. Now break it into a few small steps."), "success")
        return redirect(url_for("goals.show_goal", goal_id=goal.id), 303)
    if request.method == "GET":
        form.mentee.data = str(mentee.id)
    status = 422 if request.method == "POST" else 200
    return render_template("goals/goal_form.html", form=form, mentee=mentee, goal=None), status


@bp.get("/<int:goal_id>")
@login_required
def show_goal(goal_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    if goal.mentee_id != viewer.id:
        audit.record("goal.read", obj=goal, subject=User(id=goal.mentee_id))
    return _goal_page(viewer, goal)


_person = PreparedQuery(lambda person_id: User.select(User.id, User.name).where(User.id == person_id).limit(1),
                        slots=("person_id",))


def _timeline_context(goal, page=1):
    updates, has_older = queries.timeline(goal, page)
    return {"goal": goal, "updates": updates, "has_older": has_older, "timeline_page": page,
            "statuses": translated_labels(STATUSES)}


def _goal_page(viewer, goal, note_form=None, step_form=None, status=200):
    page = page_number()
    if page > 1 and wants_fragment():  # "Show older updates" asks for the next part of the timeline only
        return render("goals/partials/timeline_items.html", **_timeline_context(goal, page))
    # A mentee's own goal needs no lookup of its mentee: it is the viewer.
    mentee = viewer if goal.mentee_id == viewer.id else _person.first(person_id=goal.mentee_id)
    return render_template(
        "goals/goal.html", mentee=mentee, steps=queries.steps_of(goal),
        note_form=note_form or blank(NoteForm), step_form=step_form or blank(StepForm),
        today=local_today(viewer.timezone), **_timeline_context(goal, page),
    ), status


@bp.route("/<int:goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit_goal(goal_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    form = GoalForm(obj=goal) if request.method == "GET" else GoalForm()
    if request.method == "POST" and form.validate_on_submit():
        service.edit_goal(viewer, goal, form.title.data, form.why.data or "", form.area.data, form.target_date.data)
        flash(_("Goal saved."), "success")
        return redirect(url_for("goals.show_goal", goal_id=goal.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("goals/goal_form.html", form=form, goal=goal,
                           mentee=User.get_by_id(goal.mentee_id)), status


@bp.post("/<int:goal_id>/updates")
@login_required
def add_note(goal_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    form = NoteForm()
    if form.validate_on_submit():
        service.add_note(viewer, goal, form.body.data)
        if wants_fragment():
            return render("goals/partials/timeline.html", "goals/partials/timeline.html",
                          note_form=blank(NoteForm), just_added=True, **_timeline_context(goal))
        flash(_("Progress note added."), "success")
        return redirect(url_for("goals.show_goal", goal_id=goal.id) + "#timeline", 303)
    if wants_fragment():
        return render("goals/partials/timeline.html", "goals/partials/timeline.html", status_code=422,
                      note_form=form, **_timeline_context(goal))
    return _goal_page(viewer, goal, note_form=form, status=422)


@bp.route("/<int:goal_id>/status/<any(active, achieved, paused, let_go):status>", methods=["GET", "POST"])
@login_required
def change_status(goal_id, status):
    """Achieved asks what helped; let go is worded kindly; both confirm first."""
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    form = AchievedForm() if status == "achieved" else StatusForm()
    if request.method == "POST" and form.validate_on_submit():
        if goal.status != status:
            service.change_status(viewer, goal, status, form.note.data or "")
        messages = {
            "achieved": _("You did it! Reaching a goal takes courage and persistence. Take a moment to be proud."),
            "let_go": _("Letting go of a goal is a choice. It makes room for what matters now."),
            "paused": _("The goal is paused. Pick it up again whenever you are ready."),
            "active": _("The goal is active again."),
        }
        flash(messages[status], "celebrate" if status == "achieved" else "success")
        return redirect(url_for("goals.show_goal", goal_id=goal.id), 303)
    code = 422 if request.method == "POST" else 200
    return render_template("goals/status_form.html", goal=goal, form=form, status=status, statuses=STATUSES), code
