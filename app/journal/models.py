"""Journal entries, drafts, replies, read markers, prompts and journal preferences."""
import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    SQL,
    TextField,
)

from app.auth.models import User
from app.db import BaseModel, utcnow
from app.i18n import lazy_gettext as _l
from app.i18n import translated_labels
from app.prepared import PreparedQuery

BODY_MAX = 20000
MOOD_LABELS = {
    1: _l("Very low"),
    2: _l("Low"),
    3: _l("Okay"),
    4: _l("Good"),
    5: _l("Very good"),
}
# The badge a mood gets wherever an entry is shown, one text per mood and language.
MOOD_BADGES = {mood: _l("Mood %(n)d of 5: %(label)s", n=mood, label=label) for mood, label in MOOD_LABELS.items()}

FEELINGS = {
    "calm": _l("Calm"),
    "hopeful": _l("Hopeful"),
    "grateful": _l("Grateful"),
    "proud": _l("Proud"),
    "connected": _l("Connected"),
    "tired": _l("Tired"),
    "anxious": _l("Anxious"),
    "sad": _l("Sad"),
    "angry": _l("Angry"),
    "lonely": _l("Lonely"),
    "stressed": _l("Stressed"),
    "craving": _l("Having cravings"),
}


def pack_feelings(keys):
    """Feelings are stored as "|calm|tired|" so one LIKE finds an entry by feeling on any database."""
    keys = [key for key in keys if key in FEELINGS]
    return "|" + "|".join(keys) + "|" if keys else ""


def unpack_feelings(packed):
    return [key for key in (packed or "").split("|") if key in FEELINGS]


def feelings_line(packed, other, names):
    """The feelings as one line ("Calm, Tired, my own words"), or "": `names` are the feelings'
    translated labels (`translated_labels(FEELINGS)`), looked up once for a whole list."""
    labels = [names[key] for key in packed.split("|") if key in names] if packed else []
    if other:
        labels.append(other)
    return ", ".join(labels)


class JournalEntry(BaseModel):
    author = ForeignKeyField(User, backref="journal_entries", on_delete="CASCADE")
    entry_date = DateField()
    body = TextField(default="")
    mood = SmallIntegerField(null=True)
    feelings = CharField(max_length=300, default="")
    feelings_other = CharField(max_length=200, default="")
    prompt = CharField(max_length=300, default="")
    # The mentor it is shared with (consent is to a person, not to a role); None is private.
    shared_with = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    shared_at = DateTimeField(null=True)
    # True while the mentor it is shared with has not read it: kept by the database's triggers
    # (migration 0010) on every share and every read, never written by the app.
    shared_unread = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])
    # How many replies it has: kept by the database's triggers (migration 0014) on every reply added,
    # removed or moved, never written by the app.
    reply_count = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
    created = DateTimeField(default=utcnow)
    updated = DateTimeField(default=utcnow)
    idempotency_key = CharField(max_length=64)

    class Meta:
        indexes = (
            # Newest first (date, then time written) straight from the index: no sort per page.
            (("author", "entry_date", "created", "id"), False),
            (("author", "idempotency_key"), True),
            # A mentor's shared entries newest first, with the author to filter on in the index.
            (("shared_with", "shared_at", "id", "author"), False),
            # The mentor's unread count reads only the unread entries.
            (("shared_with", "shared_unread", "author"), False),
        )
        only_save_dirty = True  # so a save can never write back a stale shared_unread or reply_count

    @property
    def is_shared(self):
        return self.shared_with_id is not None

    @property
    def feeling_keys(self):
        return unpack_feelings(self.feelings)

    @property
    def feelings_text(self):
        """The feelings as one line ("Calm, Tired, my own words"), or ""."""
        return feelings_line(self.feelings, self.feelings_other, translated_labels(FEELINGS))

    @property
    def mood_label(self):
        return translated_labels(MOOD_LABELS).get(self.mood, "")

    @property
    def mood_badge(self):
        """"Mood 3 of 5: Okay", or "" without a mood."""
        return translated_labels(MOOD_BADGES).get(self.mood, "")


class JournalDraft(BaseModel):
    """What the mentee is typing, autosaved. `slot` is "new", or "entry-<id>" while editing."""

    author = ForeignKeyField(User, backref="journal_drafts", on_delete="CASCADE")
    slot = CharField(max_length=32)
    body = TextField(default="")
    mood = SmallIntegerField(null=True)
    feelings = CharField(max_length=300, default="")
    feelings_other = CharField(max_length=200, default="")
    prompt = CharField(max_length=300, default="")
    entry_date = DateField(null=True)
    revision = IntegerField(default=0)
    idempotency_key = CharField(max_length=64)
    updated = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("author", "slot"), True),)

    @property
    def feeling_keys(self):
        return unpack_feelings(self.feelings)

    @property
    def is_empty(self):
        return not (self.body or self.mood or self.feelings or self.feelings_other)


class JournalReply(BaseModel):
    """A mentor's short supportive reply on a shared entry."""

    entry = ForeignKeyField(JournalEntry, backref="replies", on_delete="CASCADE")
    author = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    # Whose entry it is (a copy of entry.author, filled in on save): the mentee's home page finds
    # their latest replies through the (mentee, created) index instead of walking their journal.
    mentee = ForeignKeyField(User, backref="+", on_delete="CASCADE", index=False)
    body = CharField(max_length=1000)
    created = DateTimeField(default=utcnow)
    seen_by_mentee = BooleanField(default=False)

    class Meta:
        indexes = ((("entry", "created"), False), (("mentee", "created"), False))

    def save(self, *args, **kwargs):
        if self.mentee_id is None:
            self.mentee_id = self.entry.author_id
        return super().save(*args, **kwargs)


class JournalRead(BaseModel):
    """When a mentor first read a shared entry (for unread markers)."""

    entry = ForeignKeyField(JournalEntry, backref="+", on_delete="CASCADE")
    reader = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    read_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("entry", "reader"), True),)


class JournalPrompt(BaseModel):
    """A writing prompt; coordinators edit the rotating set."""

    text = CharField(max_length=300)
    active = BooleanField(default=True)
    created = DateTimeField(default=utcnow)


class JournalSettings(BaseModel):
    """A mentee's journal choices. Both are off until the mentee turns them on."""

    user = ForeignKeyField(User, backref="+", on_delete="CASCADE", unique=True)
    share_new_by_default = BooleanField(default=False)
    mood_visible_to_mentor = BooleanField(default=False)

    @classmethod
    def for_user(cls, user):
        settings = _settings_of.first(user=user)
        return settings or cls(user=user)


# Read on every visit of the write page: built once (app/prepared.py).
_settings_of = PreparedQuery(
    lambda user: JournalSettings.select().where(JournalSettings.user == user).limit(1), slots=("user",))


def local_today(timezone_name):
    """Today's date where the person is."""
    from zoneinfo import ZoneInfo

    try:
        zone = ZoneInfo(timezone_name)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.datetime.now(zone).date()
