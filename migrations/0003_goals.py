"""Goals with ordered steps and a timeline of progress notes and changes."""
from peewee import *

def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Goal(Model):
        mentee = ForeignKeyField(User, on_delete='CASCADE')
        title = CharField(max_length=200)
        why = TextField(default='')
        area = CharField(max_length=20, default='other')
        target_date = DateField(null=True)
        status = CharField(max_length=10, default='active')
        status_note = TextField(default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created = DateTimeField()
        updated = DateTimeField()
        achieved_at = DateTimeField(null=True)
        last_activity = DateTimeField()
        class Meta:
            database = db
            table_name = 'goal'
            indexes = ((('mentee', 'status'), False),)
    db.create_tables([Goal])

    class GoalStep(Model):
        goal = ForeignKeyField(Goal, on_delete='CASCADE')
        title = CharField(max_length=200)
        due_date = DateField(null=True)
        position = IntegerField(default=0)
        done_at = DateTimeField(null=True)
        done_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created = DateTimeField()
        class Meta:
            database = db
            table_name = 'goal_step'
            indexes = ((('goal', 'position'), False), (('due_date',), False))
    db.create_tables([GoalStep])

    class GoalUpdate(Model):
        goal = ForeignKeyField(Goal, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(max_length=16, default='note')
        body = TextField(default='')
        created = DateTimeField()
        class Meta:
            database = db
            table_name = 'goal_update'
            indexes = ((('goal', 'created'), False),)
    db.create_tables([GoalUpdate])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('goal_update'))
    migrator.migrate(migrator.drop_table('goal_step'))
    migrator.migrate(migrator.drop_table('goal'))
