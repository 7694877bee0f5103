"""The journal: entries, autosaved drafts, mentor replies, read markers, prompts and preferences."""
import datetime

from peewee import *

# The starting set of writing prompts; coordinators edit them in the app.
DEFAULT_PROMPTS = [
    "What helped you today?",
    "What is one thing you are grateful for right now?",
    "What was hard today, and how did you get through it?",
    "What would you like to tell your future self?",
    "Who did you connect with today?",
    "What is one small thing you can do for yourself tomorrow?",
    "What are you proud of this week?",
    "What did you notice about your cravings or urges today?",
]

def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class JournalDraft(Model):
        author = ForeignKeyField(User, on_delete='CASCADE')
        slot = CharField(max_length=32)
        body = TextField(default='')
        mood = SmallIntegerField(null=True)
        feelings = CharField(max_length=300, default='')
        feelings_other = CharField(max_length=200, default='')
        prompt = CharField(max_length=300, default='')
        entry_date = DateField(null=True)
        revision = IntegerField(default=0)
        idempotency_key = CharField(max_length=64)
        updated = DateTimeField()
        class Meta:
            database = db
            table_name = 'journal_draft'
            indexes = ((('author', 'slot'), True),)
    db.create_tables([JournalDraft])

    class JournalEntry(Model):
        author = ForeignKeyField(User, on_delete='CASCADE')
        entry_date = DateField()
        body = TextField(default='')
        mood = SmallIntegerField(null=True)
        feelings = CharField(max_length=300, default='')
        feelings_other = CharField(max_length=200, default='')
        prompt = CharField(max_length=300, default='')
        shared_with = ForeignKeyField(User, null=True, on_delete='SET NULL')
        shared_at = DateTimeField(null=True)
        created = DateTimeField()
        updated = DateTimeField()
        idempotency_key = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'journal_entry'
            indexes = ((('author', 'entry_date'), False), (('author', 'idempotency_key'), True), (('shared_with', 'shared_at'), False))
    db.create_tables([JournalEntry])

    class JournalPrompt(Model):
        text = CharField(max_length=300)
        active = BooleanField(default=True)
        created = DateTimeField()
        class Meta:
            database = db
            table_name = 'journal_prompt'
    db.create_tables([JournalPrompt])

    class JournalRead(Model):
        entry = ForeignKeyField(JournalEntry, on_delete='CASCADE')
        reader = ForeignKeyField(User, on_delete='CASCADE')
        read_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'journal_read'
            indexes = ((('entry', 'reader'), True),)
    db.create_tables([JournalRead])

    class JournalReply(Model):
        entry = ForeignKeyField(JournalEntry, on_delete='CASCADE')
        author = ForeignKeyField(User, on_delete='CASCADE')
        body = CharField(max_length=1000)
        created = DateTimeField()
        seen_by_mentee = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'journal_reply'
            indexes = ((('entry', 'created'), False),)
    db.create_tables([JournalReply])

    class JournalSettings(Model):
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        share_new_by_default = BooleanField(default=False)
        mood_visible_to_mentor = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'journal_settings'
    db.create_tables([JournalSettings])

    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    JournalPrompt.insert_many([{"text": text, "active": True, "created": now} for text in DEFAULT_PROMPTS]).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('journal_settings'))
    migrator.migrate(migrator.drop_table('journal_reply'))
    migrator.migrate(migrator.drop_table('journal_read'))
    migrator.migrate(migrator.drop_table('journal_prompt'))
    migrator.migrate(migrator.drop_table('journal_entry'))
    migrator.migrate(migrator.drop_table('journal_draft'))
