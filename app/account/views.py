"""Everyone edits their own name, email, password, time zone and language."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import audit
from app.account.forms import LANGUAGE_NAMES, EmailChangeForm, PasswordChangeForm, ProfileForm, timezone_choices
from app.auth.models import User, normalise_email
from app.auth.passwords import hash_password, verify_password
from app.auth.sessions import end_all_sessions, start_session
from app.auth.views import forget_reset_links
from app.current_person import current_person, login_required
from app.db import database

bp = Blueprint("account", __name__, url_prefix="/account")


def _profile_form(user, submitted=False):
    form = ProfileForm() if submitted else ProfileForm(formdata=None, obj=user)
    form.timezone.choices = timezone_choices()
    form.locale.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]
    return form


def _render(profile=None, email=None, password=None, status=200):
    user = current_person()
    return render_template(
        "account/settings.html",
        profile_form=profile or _profile_form(user),
        email_form=email or EmailChangeForm(formdata=None),
        password_form=password or PasswordChangeForm(formdata=None),
    ), status


@bp.get("")
@login_required
def settings():
    return _render()


@bp.post("/profile")
@login_required
def update_profile():
    user = current_person()
    form = _profile_form(user, submitted=True)
    if not form.validate_on_submit():
        return _render(profile=form, status=422)
    with database.atomic():
        user.name = form.name.data
        user.timezone = form.timezone.data
        user.locale = form.locale.data
        user.save(only=[User.name, User.timezone, User.locale])
        audit.record("account.profile_update", obj=user, subject=user)
    flash(_("Your settings are saved."), "success")
    return redirect(url_for("account.settings"), 303)


@bp.post("/email")
@login_required
def change_email():
    user = current_person()
    form = EmailChangeForm()
    if form.validate_on_submit():
        new_email = normalise_email(form.email.data)
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That isn't your current password."))
        elif new_email != user.email and User.by_email(new_email) is not None:
            form.email.errors.append(_("That email address is already used by another account."))
        else:
            with database.atomic():
                user.email = new_email
                user.save(only=[User.email])
                audit.record("account.email_change", obj=user, subject=user)
            flash(_("Your email address is changed."), "success")
            return redirect(url_for("account.settings"), 303)
    return _render(email=form, status=422)


@bp.post("/password")
@login_required
def change_password():
    user = current_person()
    form = PasswordChangeForm()
    form.person = user
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That isn't your current password."))
        else:
            with database.atomic():
                user.password_hash = hash_password(form.password.data)
                user.save(only=[User.password_hash])
                # Every other browser is signed out; this one gets a fresh session.
                end_all_sessions(user)
                forget_reset_links(user)
                start_session(user)
                audit.record("account.password_change", obj=user, subject=user)
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("account.settings"), 303)
    return _render(password=form, status=422)
