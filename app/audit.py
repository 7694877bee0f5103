"""The audit trail: who did what to which object, when (UTC) and from where.

Only identifiers and short labels go in here: never passwords, tokens,
journal text or notes.
"""
from flask import has_request_context
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from app.auth.models import User
from app.current_person import current_person
from app.db import BaseModel, utcnow
from app.security import client_address


class AuditEvent(BaseModel):
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    action = CharField(max_length=64, index=True)
    object_type = CharField(max_length=32, default="")
    object_id = IntegerField(null=True)
    subject = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    detail = CharField(max_length=255, default="")
    created = DateTimeField(default=utcnow, index=True)
    ip = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("actor", "created"), False), (("subject", "created"), False))


def record(action, obj=None, subject=None, actor=None, detail=""):
    """Write one audit event. `obj` is a model instance (its type and id are kept)."""
    if actor is None and has_request_context():
        person = current_person()
        if person is not None and person.is_authenticated:
            actor = person
    ip = client_address() if has_request_context() else ""
    return AuditEvent.create(
        actor=actor,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=obj.id if obj is not None else None,
        subject=subject,
        detail=(detail or "")[:255],
        ip=ip,
    )
