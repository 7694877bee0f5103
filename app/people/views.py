"""Coordinators list people, change roles, deactivate and reactivate accounts, and invite."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN

from app import audit, policy
from app.auth.models import ROLES, Invitation, User, expiry, hash_token, new_token, normalise_email
from app.auth.sessions import end_all_sessions
from app.current_person import current_person, login_required
from app.db import database, utcnow
from app.htmx import render
from app.mail import mail_configured, send_mail
from app.matches.models import Match
from app.pagination import paginate
from app.people.forms import ConfirmForm, InvitationForm, ReasonForm, RoleForm

bp = Blueprint("people", __name__)


def _coordinator():
    policy.require(policy.can_manage_people(current_person()))
    return current_person()


def _person_or_404(person_id):
    person = policy.people_visible_to(current_person()).where(User.id == person_id).first()
    policy.require(person is not None)
    return person


@bp.get("/people")
@login_required
def list_people():
    _coordinator()
    role = request.args.get("role", "")
    status = request.args.get("status", "active")
    q = request.args.get("q", "").strip()[:100]
    query = policy.people_visible_to(current_person()).order_by(User.name, User.id)
    if role in ROLES:
        query = query.where(User.role == role)
    if status == "active":
        query = query.where(User.active == True)  # noqa: E712
    elif status == "inactive":
        query = query.where(User.active == False)  # noqa: E712
    if q:
        query = query.where(User.name.contains(q) | User.email.contains(q.lower()))
    page = paginate(query)
    return render("people/list.html", "people/partials/rows.html", page=page, role=role, status=status, q=q,
                  roles=ROLES)


@bp.get("/people/<int:person_id>")
@login_required
def show_person(person_id):
    _coordinator()
    person = _person_or_404(person_id)
    matches = list(
        Match.select()
        .where((Match.mentor == person) | (Match.mentee == person))
        .order_by(Match.started.desc())
    )
    people = {u.id: u for u in User.select().where(User.id.in_(
        [m.mentor_id for m in matches] + [m.mentee_id for m in matches]))} if matches else {}
    role_form = RoleForm(formdata=None, obj=person)
    return render_template("people/show.html", person=person, matches=matches, people=people,
                           role_form=role_form, confirm_form=ConfirmForm())


@bp.post("/people/<int:person_id>/role")
@login_required
def change_role(person_id):
    coordinator = _coordinator()
    person = _person_or_404(person_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
        return redirect(url_for("people.show_person", person_id=person.id), 303)
    new_role = form.role.data
    if new_role == person.role:
        return redirect(url_for("people.show_person", person_id=person.id), 303)
    problem = _role_change_problem(coordinator, person)
    if problem:
        flash(problem, "error")
        return redirect(url_for("people.show_person", person_id=person.id), 303)
    with database.atomic():
        old_role = person.role
        person.role = new_role
        person.save(only=[User.role])
        # A new role means new permissions: sign them in again.
        end_all_sessions(person)
        audit.record("person.role_change", obj=person, subject=person, detail=f"{old_role} -> {new_role}")
    flash(_("%(name)s is now a %(role)s.", name=person.name, role=person.role_label), "success")
    return redirect(url_for("people.show_person", person_id=person.id), 303)


def _role_change_problem(coordinator, person):
    if person.id == coordinator.id:
        return _("You can't change your own role. Ask another coordinator.")
    has_open_match = Match.select().where(
        ((Match.mentor == person) | (Match.mentee == person)) & Match.status.in_(("active", "paused"))
    ).exists()
    if has_open_match:
        return _("Close this person's open matches before changing their role.")
    return None


@bp.route("/people/<int:person_id>/deactivate", methods=["GET", "POST"])
@login_required
def deactivate_person(person_id):
    coordinator = _coordinator()
    person = _person_or_404(person_id)
    if person.id == coordinator.id:
        flash(_("You can't deactivate your own account."), "error")
        return redirect(url_for("people.show_person", person_id=person.id), 303)
    form = ReasonForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            person.active = False
            person.save(only=[User.active])
            end_all_sessions(person)
            audit.record("person.deactivate", obj=person, subject=person)
        flash(_("%(name)s can no longer sign in. Their records are kept.", name=person.name), "success")
        return redirect(url_for("people.show_person", person_id=person.id), 303)
    return render_template("people/confirm_deactivate.html", person=person, form=form)


@bp.post("/people/<int:person_id>/reactivate")
@login_required
def reactivate_person(person_id):
    _coordinator()
    person = _person_or_404(person_id)
    if ConfirmForm().validate_on_submit() and not person.active:
        with database.atomic():
            person.active = True
            person.save(only=[User.active])
            audit.record("person.reactivate", obj=person, subject=person)
        flash(_("%(name)s can sign in again.", name=person.name), "success")
    return redirect(url_for("people.show_person", person_id=person.id), 303)


@bp.get("/invitations")
@login_required
def list_invitations():
    _coordinator()
    return _invitations_page(InvitationForm(formdata=None))


def _invitations_page(form, status=200, new_link=None):
    query = (
        Invitation.select(Invitation, User)
        .join(User, JOIN.LEFT_OUTER, on=Invitation.invited_by)
        .order_by(Invitation.created.desc(), Invitation.id.desc())
    )
    page = paginate(query)
    return render_template("people/invitations.html", form=form, page=page, new_link=new_link,
                           mail_configured=mail_configured()), status


@bp.post("/invitations")
@login_required
def create_invitation():
    coordinator = _coordinator()
    form = InvitationForm()
    if not form.validate_on_submit():
        return _invitations_page(form, status=422)
    email = normalise_email(form.email.data)
    if User.by_email(email) is not None:
        form.email.errors.append(_("Someone with this email already has an account."))
        return _invitations_page(form, status=422)
    token = new_token()
    with database.atomic():
        # A new invitation replaces any earlier pending one for the same address.
        Invitation.update(revoked=utcnow()).where(
            (Invitation.email == email) & Invitation.accepted.is_null() & Invitation.revoked.is_null()
        ).execute()
        invitation = Invitation.create(
            email=email, role=form.role.data, token_hash=hash_token(token), invited_by=coordinator,
            expires=expiry(days=Invitation.VALID_DAYS),
        )
        audit.record("invitation.create", obj=invitation, detail=f"role={invitation.role}")
    link = current_app.config["BASE_URL"] + url_for("auth.accept_invitation", token=token)
    program = current_app.config["PROGRAM_NAME"]
    sent = send_mail(
        email,
        _("You're invited to %(program)s", program=program),
        render_template("mail/invitation.txt", invitation=invitation, link=link, inviter=coordinator,
                        program=program),
    )
    if sent:
        flash(_("Invitation sent to %(email)s. The link works once and expires in 7 days.", email=email), "success")
        return redirect(url_for("people.list_invitations"), 303)
    # No mail server: show the link once so the coordinator can pass it on.
    return _invitations_page(InvitationForm(formdata=None), new_link=link)


@bp.post("/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id):
    _coordinator()
    invitation = Invitation.get_or_none(Invitation.id == invitation_id)
    policy.require(invitation is not None)
    if ConfirmForm().validate_on_submit() and invitation.status == "pending":
        with database.atomic():
            invitation.revoked = utcnow()
            invitation.save(only=[Invitation.revoked])
            audit.record("invitation.revoke", obj=invitation)
        flash(_("The invitation for %(email)s no longer works.", email=invitation.email), "success")
    return redirect(url_for("people.list_invitations"), 303)
