"""Accounts, sessions, invitations, password resets, login throttling, matches and the audit trail.

Tables are frozen copies of the models as they were; later migrations change them.
"""
from peewee import *

def up(migrator, db):
    class User(Model):
        email = CharField(unique=True, max_length=254)
        name = CharField(max_length=120)
        role = CharField(index=True, max_length=20)
        password_hash = CharField()
        active = BooleanField(default=True)
        timezone = CharField(max_length=64, default='America/New_York')
        locale = CharField(max_length=10, default='en')
        created = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class AuditEvent(Model):
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        action = CharField(index=True, max_length=64)
        object_type = CharField(max_length=32, default='')
        object_id = IntegerField(null=True)
        subject = ForeignKeyField(User, null=True, on_delete='SET NULL')
        detail = CharField(default='')
        created = DateTimeField(index=True)
        ip = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'audit_event'
            indexes = ((('actor', 'created'), False), (('subject', 'created'), False))
    db.create_tables([AuditEvent])

    class Invitation(Model):
        email = CharField(index=True, max_length=254)
        role = CharField(max_length=20)
        token_hash = CharField(unique=True, max_length=64)
        invited_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created = DateTimeField()
        expires = DateTimeField()
        accepted = DateTimeField(null=True)
        accepted_user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        revoked = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'invitation'
    db.create_tables([Invitation])

    class LoginFailure(Model):
        key = CharField(index=True, max_length=300)
        created = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'login_failure'
    db.create_tables([LoginFailure])

    class Match(Model):
        mentor = ForeignKeyField(User, on_delete='RESTRICT')
        mentee = ForeignKeyField(User, on_delete='RESTRICT')
        status = CharField(index=True, max_length=10, default='active')
        started = DateTimeField()
        ended = DateTimeField(null=True)
        status_reason = TextField(default='')
        closure_reason = TextField(default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'match'
    db.create_tables([Match])

    class PasswordReset(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        token_hash = CharField(unique=True, max_length=64)
        created = DateTimeField()
        expires = DateTimeField()
        used = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'password_reset'
    db.create_tables([PasswordReset])

    class UserSession(Model):
        key_hash = CharField(unique=True, max_length=64)
        user = ForeignKeyField(User, on_delete='CASCADE')
        created = DateTimeField()
        last_seen = DateTimeField()
        expired = DateTimeField(null=True)
        ip = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'user_session'
    db.create_tables([UserSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_session'))
    migrator.migrate(migrator.drop_table('password_reset'))
    migrator.migrate(migrator.drop_table('match'))
    migrator.migrate(migrator.drop_table('login_failure'))
    migrator.migrate(migrator.drop_table('invitation'))
    migrator.migrate(migrator.drop_table('audit_event'))
    migrator.migrate(migrator.drop_table('user'))
