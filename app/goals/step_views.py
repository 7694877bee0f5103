"""Steps of a goal: add, tick, untick, rename, reorder and delete in place.

With htmx each action returns the steps fragment; without JavaScript each is
a plain form post that redirects back to the goal (POST/redirect/GET).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import policy
from app.core.blank_forms import blank
from app.current_person import login_required
from app.goals import bp, queries, service
from app.goals.forms import ConfirmForm, RenameStepForm, StepForm
from app.goals.models import Goal, GoalStep
from app.goals.views import _goal_page, _viewer
from app.htmx import render, wants_fragment
from app.journal.models import local_today


def _step_or_404(goal, step_id):
    step = GoalStep.get_or_none((GoalStep.id == step_id) & (GoalStep.goal == goal))
    policy.require(step is not None)
    return step


def _steps_response(viewer, goal, step_form=None, status=200, editing=None, message=None):
    """The steps fragment for htmx, or back to the goal page."""
    if wants_fragment():
        goal = Goal.get_by_id(goal.id)
        return render("goals/partials/steps.html", "goals/partials/steps.html", status_code=status, goal=goal,
                      steps=queries.steps_of(goal), step_form=step_form or blank(StepForm),
                      editing=editing, today=local_today(viewer.timezone),
                      message=message)
    if status >= 400:
        return _goal_page(viewer, goal, step_form=step_form, status=status)
    return redirect(url_for("goals.show_goal", goal_id=goal.id) + "#goal-steps", 303)


@bp.post("/<int:goal_id>/steps")
@login_required
def add_step(goal_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _steps_response(viewer, goal, step_form=form, status=422)
    service.add_step(viewer, goal, form.title.data, form.due_date.data)
    return _steps_response(viewer, goal, message=_("Step added."))


@bp.post("/<int:goal_id>/steps/<int:step_id>/toggle")
@login_required
def toggle_step(goal_id, step_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    step = _step_or_404(goal, step_id)
    if ConfirmForm().validate_on_submit():
        done = request.form.get("done") == "1"
        service.set_step_done(viewer, goal, step, done)
    return _steps_response(viewer, goal)


@bp.route("/<int:goal_id>/steps/<int:step_id>/edit", methods=["GET", "POST"])
@login_required
def rename_step(goal_id, step_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    step = _step_or_404(goal, step_id)
    form = RenameStepForm(obj=step) if request.method == "GET" else RenameStepForm()
    if request.method == "POST" and form.validate_on_submit():
        service.rename_step(viewer, goal, step, form.title.data, form.due_date.data)
        return _steps_response(viewer, goal, message=_("Step saved."))
    status = 422 if request.method == "POST" else 200
    if wants_fragment():
        return _steps_response(viewer, goal, status=status, editing=(step.id, form))
    return render_template("goals/step_edit.html", goal=goal, step=step, form=form), status


@bp.post("/<int:goal_id>/steps/<int:step_id>/move")
@login_required
def move_step(goal_id, step_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    step = _step_or_404(goal, step_id)
    direction = request.form.get("direction")
    if ConfirmForm().validate_on_submit() and direction in ("up", "down"):
        service.move_step(viewer, goal, step, direction)
    return _steps_response(viewer, goal)


@bp.route("/<int:goal_id>/steps/<int:step_id>/delete", methods=["GET", "POST"])
@login_required
def delete_step(goal_id, step_id):
    viewer = _viewer()
    goal = policy.goal_for(viewer, goal_id)
    step = _step_or_404(goal, step_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        service.delete_step(viewer, goal, step)
        if not wants_fragment():
            flash(_("Step deleted."), "success")
        return _steps_response(viewer, goal, message=_("Step deleted."))
    return render_template("goals/step_delete.html", goal=goal, step=step, form=form)
