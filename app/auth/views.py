"""Sign in and out, accept an invitation, reset a forgotten password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import audit
from app.auth import throttle
from app.auth.forms import AcceptInvitationForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from app.auth.models import PasswordReset, Invitation, User, expiry, hash_token, new_token
from app.auth.passwords import burn_time_without_account, hash_password, needs_rehash, verify_password
from app.auth.sessions import end_all_sessions, end_session, start_session
from app.current_person import current_person
from app.db import database, utcnow
from app.mail import send_mail
from app.security import client_address

bp = Blueprint("auth", __name__)


def safe_next(target):
    """Only same-site paths are followed after sign-in (no open redirects).

    Control characters are refused too: URL parsers drop tabs and newlines, so
    "/<TAB>/evil.example" would become the off-site "//evil.example" (and a
    newline in a header is a server error).
    """
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(char) < 32 or ord(char) == 127 for char in target)):
        return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_person().is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    next_url = request.args.get("next", "")
    if request.method == "POST" and form.validate():
        address = client_address()
        email = form.email.data
        if throttle.is_throttled(email, address):
            audit.record("login.throttled", subject=User.by_email(email))
            return render_template(
                "auth/login.html", form=form, next_url=next_url,
                error=_("Too many sign-in attempts. For your safety, please wait 15 minutes and try again. "
                        "If you have forgotten your password, you can reset it."),
            ), 429
        user = User.by_email(email)
        if user is None:
            burn_time_without_account(form.password.data)
        # The hash is checked even for a deactivated account, so timing tells nothing.
        password_ok = user is not None and verify_password(user.password_hash, form.password.data)
        if password_ok and user.active:
            with database.atomic():
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(form.password.data)
                    user.save(only=[User.password_hash])
                throttle.clear_account_failures(email)
                start_session(user)
                audit.record("login.success", obj=user, subject=user, actor=user)
            return redirect(safe_next(next_url), 303)
        throttle.record_failure(email, address)
        audit.record("login.failure", subject=user, detail="" if user else "unknown email")
        return render_template(
            "auth/login.html", form=form, next_url=next_url,
            error=_("That email and password don't match an account. Check them and try again."),
        ), 422
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.post("/logout")
def logout():
    if current_person().is_authenticated:
        user = current_person()
        audit.record("logout", obj=user, subject=user)
    end_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    invitation = Invitation.find_usable(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = AcceptInvitationForm()
    form.known_email = invitation.email
    if form.validate_on_submit():
        with database.atomic():
            # Re-check inside the write transaction: the link is single use.
            fresh = Invitation.find_usable(token)
            if fresh is None or User.by_email(invitation.email) is not None:
                return render_template("auth/invitation_invalid.html"), 404
            user = User.create(
                email=invitation.email,
                name=form.name.data,
                role=invitation.role,
                password_hash=hash_password(form.password.data),
                timezone=current_app.config["DEFAULT_TIMEZONE"],
            )
            fresh.accepted = utcnow()
            fresh.accepted_user = user
            fresh.save()
            audit.record("invitation.accept", obj=fresh, subject=user, actor=user)
            if current_person().is_authenticated:
                end_session()  # whoever was signed in on this browser is signed out first
            start_session(user)
        flash(_("Welcome to %(program)s, %(name)s.", program=current_app.config["PROGRAM_NAME"], name=user.name), "success")
        return redirect(url_for("core.home"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation), status


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is not None and user.active:
            token = new_token()
            with database.atomic():
                reset = PasswordReset.create(
                    user=user, token_hash=hash_token(token), expires=expiry(minutes=PasswordReset.VALID_MINUTES)
                )
                audit.record("password.reset_requested", obj=reset, subject=user, actor=user)
            link = current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token)
            send_mail(
                user.email,
                _("Reset your %(program)s password", program=current_app.config["PROGRAM_NAME"]),
                render_template("mail/password_reset.txt", user=user, link=link),
            )
        # The same answer whether or not the address has an account.
        return render_template("auth/forgot_sent.html", email=form.email.data)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form), status


def forget_reset_links(user):
    """Once the password changes, no earlier reset link may change it again."""
    PasswordReset.update(used=utcnow()).where(
        (PasswordReset.user == user) & PasswordReset.used.is_null()).execute()


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    reset = PasswordReset.find_usable(token)
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    form.person = reset.user
    if form.validate_on_submit():
        with database.atomic():
            fresh = PasswordReset.find_usable(token)
            if fresh is None:
                return render_template("auth/reset_invalid.html"), 404
            user = fresh.user
            user.password_hash = hash_password(form.password.data)
            user.save(only=[User.password_hash])
            fresh.used = utcnow()
            fresh.save(only=[PasswordReset.used])
            forget_reset_links(user)
            end_all_sessions(user)
            throttle.clear_account_failures(user.email)
            audit.record("password.reset", obj=user, subject=user, actor=user)
        flash(_("Your password has been changed. Please sign in with your new password."), "success")
        return redirect(url_for("auth.login"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset.html", form=form), status
