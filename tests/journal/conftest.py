"""Helpers for the journal tests: per-request app contexts, quick sign-in, entries made directly."""
import datetime
import html
import re
import secrets

import pytest

from app.db import utcnow
from app.journal.models import JournalEntry, JournalReply, local_today, pack_feelings


@pytest.fixture
def login_as(quick_login_as):
    """Sign-ins here skip password hashing (tests/conftest.py signed_in_client)."""
    return quick_login_as


def today_for(user):
    return local_today(user.timezone)


def make_entry(author, body="A quiet day.", mood=3, feelings=(), feelings_other="", shared_with=None,
               entry_date=None, days_ago=0, prompt="", **fields):
    """An entry written straight into the database (for tests about reading, not writing)."""
    entry_date = entry_date or today_for(author) - datetime.timedelta(days=days_ago)
    now = utcnow()
    fields.setdefault("created", now)
    fields.setdefault("updated", now)
    return JournalEntry.create(
        author=author, body=body, mood=mood, feelings=pack_feelings(list(feelings)),
        feelings_other=feelings_other, prompt=prompt, entry_date=entry_date,
        shared_with=shared_with, shared_at=now if shared_with else None,
        idempotency_key=secrets.token_urlsafe(16), **fields,
    )


def make_reply(entry, mentor, body="Thank you for sharing this."):
    return JournalReply.create(entry=entry, author=mentor, body=body)


def entry_form(**fields):
    """A complete new-entry form as the write page posts it."""
    data = {
        "body": "Today I walked by the river.",
        "mood": "4",
        "feelings_other": "",
        "entry_date": "",
        "prompt": "",
        "idempotency_key": secrets.token_urlsafe(24),
        "revision": "0",
        "slot": "new",
        "action": "save",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def audit_actions(action=None, **where):
    from app.audit import AuditEvent

    query = AuditEvent.select().order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    for field, value in where.items():
        query = query.where(getattr(AuditEvent, field) == value)
    return list(query)


_INPUT = re.compile(r"<input\b[^>]*>", re.S)


def _attribute(tag, name):
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return html.unescape(match.group(1)) if match else None


def checked_values(page, name):
    """Values of the checked checkboxes or radio buttons called `name` in a page."""
    return [
        _attribute(tag, "value") for tag in _INPUT.findall(page)
        if _attribute(tag, "name") == name and re.search(r"\schecked\b", tag)
    ]


def input_value(page, name):
    for tag in _INPUT.findall(page):
        if _attribute(tag, "name") == name:
            return _attribute(tag, "value")
    raise AssertionError(f"no input called {name}")


def textarea_text(page, name="body"):
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no {name} textarea"
    text = html.unescape(match.group(1))
    for newline in ("\r\n", "\n"):  # the one newline a <textarea> starts with is not content
        if text.startswith(newline):
            return text[len(newline):]
    return text
