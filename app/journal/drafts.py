"""Autosaved drafts with a revision number, so another tab can never overwrite newer text."""
import datetime
import secrets

from peewee import IntegrityError

from app.db import database, utcnow
from app.journal.models import BODY_MAX, FEELINGS, JournalDraft, pack_feelings
from app.prepared import PreparedQuery

# Drafts may run past an entry's limit while the mentee is still editing: keep every word.
DRAFT_BODY_MAX = BODY_MAX * 3


def new_idempotency_key():
    return secrets.token_urlsafe(24)


def valid_slot(slot, entry_ids=None):
    if slot == "new":
        return True
    return slot.startswith("entry-") and slot[6:].isdigit()


def draft_fields_from(form):
    """Read draft fields leniently from posted form data: a draft is never refused."""
    mood = form.get("mood", "")
    entry_date = None
    try:
        entry_date = datetime.date.fromisoformat(form.get("entry_date", ""))
    except ValueError:
        pass
    return {
        "body": (form.get("body", "") or "").replace("\r\n", "\n")[:DRAFT_BODY_MAX],
        "mood": int(mood) if mood in ("1", "2", "3", "4", "5") else None,
        "feelings": pack_feelings([key for key in form.getlist("feelings") if key in FEELINGS]),
        "feelings_other": (form.get("feelings_other", "") or "")[:200],
        "prompt": (form.get("prompt", "") or "")[:300],
        "entry_date": entry_date,
    }


_draft = PreparedQuery(
    lambda author, slot: JournalDraft.select()
    .where((JournalDraft.author == author) & (JournalDraft.slot == slot)).limit(1),
    slots=("author", "slot"),
)


def get_draft(author, slot):
    return _draft.first(author=author, slot=slot)


def save_draft(author, slot, fields, expected_revision=None, idempotency_key=None):
    """Store the draft. Returns (draft, conflict).

    With `expected_revision`, the write happens only if the stored revision still
    matches (compare-and-swap in one UPDATE, safe on SQLite and PostgreSQL);
    otherwise nothing is written and the stored draft comes back with conflict=True.
    """
    now = utcnow()
    with database.atomic():
        draft = get_draft(author, slot)
        if draft is None:
            if expected_revision not in (None, 0):
                return None, True
            try:
                with database.atomic():
                    draft = JournalDraft.create(
                        author=author, slot=slot, revision=1, updated=now,
                        idempotency_key=(idempotency_key or new_idempotency_key())[:64], **fields,
                    )
                return draft, False
            except IntegrityError:
                return get_draft(author, slot), True
        query = JournalDraft.update(revision=JournalDraft.revision + 1, updated=now, **fields).where(
            JournalDraft.id == draft.id
        )
        if expected_revision is not None:
            query = query.where(JournalDraft.revision == expected_revision)
        if query.execute() == 0:
            return get_draft(author, slot), True
        return get_draft(author, slot), False


def discard_draft(author, slot):
    JournalDraft.delete().where((JournalDraft.author == author) & (JournalDraft.slot == slot)).execute()
