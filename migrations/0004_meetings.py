"""Meetings of a match with the session log, goals discussed, action items, and private calendar feeds."""
from peewee import *

def up(migrator, db):
    class Goal(Model):
        class Meta:
            database = db
            table_name = 'goal'

    class GoalStep(Model):
        class Meta:
            database = db
            table_name = 'goal_step'

    class Match(Model):
        class Meta:
            database = db
            table_name = 'match'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Meeting(Model):
        match = ForeignKeyField(Match, on_delete='CASCADE')
        proposed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        starts_at = DateTimeField(index=True)
        duration_minutes = IntegerField(default=60)
        format = CharField(max_length=12, default='in_person')
        place = CharField(max_length=200, default='')
        video_link = CharField(max_length=500, default='')
        agenda = TextField(default='')
        status = CharField(index=True, max_length=10, default='proposed')
        change_reason = CharField(max_length=500, default='')
        actual_start = DateTimeField(null=True)
        actual_end = DateTimeField(null=True)
        missed_reason = CharField(max_length=500, default='')
        topics = CharField(max_length=300, default='')
        topics_other = CharField(max_length=200, default='')
        summary = TextField(default='')
        private_note = TextField(default='')
        logged_at = DateTimeField(null=True)
        logged_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        mentee_reflection = TextField(default='')
        helpfulness = SmallIntegerField(null=True)
        ical_uid = CharField(unique=True, max_length=64)
        sequence = IntegerField(default=0)
        created = DateTimeField()
        updated = DateTimeField()
        class Meta:
            database = db
            table_name = 'meeting'
            indexes = ((('match', 'starts_at'), False),)
    db.create_tables([Meeting])

    class ActionItem(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        title = CharField(max_length=200)
        owner = CharField(max_length=10, default='mentee')
        step = ForeignKeyField(GoalStep, null=True, on_delete='SET NULL')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'action_item'
    db.create_tables([ActionItem])

    class CalendarFeed(Model):
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        version = IntegerField(default=1)
        created = DateTimeField()
        class Meta:
            database = db
            table_name = 'calendar_feed'
    db.create_tables([CalendarFeed])

    class MeetingGoal(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        goal = ForeignKeyField(Goal, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'meeting_goal'
            indexes = ((('meeting', 'goal'), True),)
    db.create_tables([MeetingGoal])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('meeting_goal'))
    migrator.migrate(migrator.drop_table('calendar_feed'))
    migrator.migrate(migrator.drop_table('action_item'))
    migrator.migrate(migrator.drop_table('meeting'))
