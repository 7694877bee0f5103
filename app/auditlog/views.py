"""Coordinators browse the audit trail, filtered by person and by action."""
from flask import Blueprint, request
from peewee import JOIN

from app import policy
from app.audit import AuditEvent
from app.auth.models import User
from app.current_person import current_person, login_required
from app.db import database
from app.htmx import render
from app.pagination import paginate

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

Actor = User.alias("actor_user")
Subject = User.alias("subject_user")

# The trail holds a few kinds of action among hundreds of thousands of events. SELECT DISTINCT reads
# the whole action index (8 ms at 240,000 events, and growing with the trail) unless SQLite has
# planner statistics, which a program's file does not; this asks the index for the next action
# after the last one found, once per kind, on SQLite and PostgreSQL alike.
_ACTIONS_IN_USE = (
    "WITH RECURSIVE found(action) AS ("
    " SELECT MIN(action) FROM audit_event"
    " UNION ALL"
    " SELECT (SELECT MIN(later.action) FROM audit_event AS later WHERE later.action > found.action)"
    " FROM found WHERE found.action IS NOT NULL)"
    " SELECT action FROM found WHERE action IS NOT NULL"
)


def actions_in_use():
    """The distinct actions in the trail, in order: one index lookup per kind of action."""
    return [row[0] for row in database.execute_sql(_ACTIONS_IN_USE).fetchall()]


@bp.get("")
@login_required
def list_events():
    policy.require(policy.can_read_audit(current_person()))
    person_id = request.args.get("person", type=int)
    who = request.args.get("who", "").strip()[:100]
    action = request.args.get("action", "").strip()[:64]
    query = (
        AuditEvent.select(AuditEvent, Actor, Subject)
        .join_from(AuditEvent, Actor, JOIN.LEFT_OUTER, on=(AuditEvent.actor == Actor.id))
        .join_from(AuditEvent, Subject, JOIN.LEFT_OUTER, on=(AuditEvent.subject == Subject.id))
        .order_by(AuditEvent.created.desc(), AuditEvent.id.desc())
    )
    person = User.get_or_none(User.id == person_id) if person_id else None
    if person_id:
        query = query.where((AuditEvent.actor == person_id) | (AuditEvent.subject == person_id))
    if who:
        matching = User.select(User.id).where(User.name.contains(who) | User.email.contains(who.lower()))
        query = query.where(AuditEvent.actor.in_(matching) | AuditEvent.subject.in_(matching))
    if action:
        # "login" matches login.success, login.failure, ...
        query = query.where((AuditEvent.action == action) | AuditEvent.action.startswith(action + "."))
    page = paginate(query, per_page=50)
    actions = actions_in_use()
    return render("auditlog/list.html", "auditlog/partials/rows.html", page=page, person=person, who=who,
                  actions=actions, person_id=person_id, action=action)
