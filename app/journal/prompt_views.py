"""Coordinators edit the rotating set of writing prompts."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import audit, policy
from app.current_person import current_person, login_required
from app.db import database
from app.journal import bp
from app.journal.forms import ConfirmForm, PromptForm
from app.journal.models import JournalPrompt


def _coordinator():
    policy.require(policy.can_edit_prompts(current_person()))


@bp.get("/prompts")
@login_required
def list_prompts():
    _coordinator()
    return _prompts_page(PromptForm(formdata=None))


def _prompts_page(form, status=200):
    prompts = list(JournalPrompt.select().order_by(JournalPrompt.active.desc(), JournalPrompt.id))
    return render_template("journal/prompts.html", prompts=prompts, form=form), status


@bp.post("/prompts")
@login_required
def add_prompt():
    _coordinator()
    form = PromptForm()
    if not form.validate_on_submit():
        return _prompts_page(form, 422)
    with database.atomic():
        prompt = JournalPrompt.create(text=form.text.data, active=True)
        audit.record("journal.prompt_create", obj=prompt)
    flash(_("Prompt added."), "success")
    return redirect(url_for("journal.list_prompts"), 303)


@bp.route("/prompts/<int:prompt_id>", methods=["GET", "POST"])
@login_required
def edit_prompt(prompt_id):
    _coordinator()
    prompt = JournalPrompt.get_or_none(JournalPrompt.id == prompt_id)
    policy.require(prompt is not None)
    form = PromptForm(obj=prompt) if request.method == "GET" else PromptForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            prompt.text = form.text.data
            prompt.active = form.active.data
            prompt.save()
            audit.record("journal.prompt_update", obj=prompt)
        flash(_("Prompt saved."), "success")
        return redirect(url_for("journal.list_prompts"), 303)
    return render_template("journal/prompt_edit.html", prompt=prompt, form=form), (422 if request.method == "POST" else 200)


@bp.route("/prompts/<int:prompt_id>/delete", methods=["GET", "POST"])
@login_required
def delete_prompt(prompt_id):
    _coordinator()
    prompt = JournalPrompt.get_or_none(JournalPrompt.id == prompt_id)
    policy.require(prompt is not None)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            audit.record("journal.prompt_delete", obj=prompt)
            prompt.delete_instance()
        flash(_("Prompt deleted."), "success")
        return redirect(url_for("journal.list_prompts"), 303)
    return render_template("journal/confirm_delete_prompt.html", prompt=prompt, form=form)
