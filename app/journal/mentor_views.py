"""What a mentor sees of a journal: only entries their active mentees chose to share."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from peewee import fn

from app import audit, policy
from app.auth.models import User
from app.current_person import current_person, login_required
from app.db import database
from app.htmx import render, wants_fragment
from app.journal import bp
from app.journal.forms import ReplyForm
from app.journal.insights_views import _days_arg, mood_context
from app.journal.list_rows import shared_entry_rows
from app.journal.models import JournalEntry, JournalRead, JournalReply, JournalSettings
from app.pagination import page_number
from app.prepared import PreparedQuery

PER_PAGE = 20
Author = User.alias("author_user")


def _mentor():
    policy.require(current_person().role == "mentor")
    return current_person()


def _shared_rows_query(mentor, mentee, limit, offset, one_mentee):
    query = (
        policy.shared_journal_entries_for(mentor)
        .select(JournalEntry.id, JournalEntry.entry_date, JournalEntry.mood, JournalEntry.shared_at,
                JournalEntry.shared_unread, Author.id, Author.name)
        .join_from(JournalEntry, Author, on=(JournalEntry.author == Author.id), attr="author")
        .order_by(JournalEntry.shared_at.desc(), JournalEntry.id.desc())
    )
    if one_mentee:
        query = query.where(JournalEntry.author == mentee)
    return query.limit(limit).offset(offset).tuples()


_shared_rows_prepared = PreparedQuery(_shared_rows_query, slots=("mentee", "offset"), person_slots=("mentor",))


def _shared_rows(mentor, mentee=None):
    """Shared entries with author and unread flag, in one query."""
    number = page_number()
    rows = shared_entry_rows(_shared_rows_prepared.all(mentor=mentor, mentee=mentee, one_mentee=mentee is not None,
                                                       limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE))
    return rows[:PER_PAGE], len(rows) > PER_PAGE, number


@bp.get("/shared")
@login_required
def shared_entries():
    mentor = _mentor()
    entries, has_more, number = _shared_rows(mentor)
    context = {"entries": entries, "has_more": has_more, "page_number": number, "mentee": None}
    return render("journal/mentor_shared.html", "journal/partials/shared_rows.html", **context)


@bp.get("/mentees/<int:mentee_id>")
@login_required
def mentee_journal(mentee_id):
    mentor = _mentor()
    mentee = policy.mentee_for_mentor(mentor, mentee_id)
    entries, has_more, number = _shared_rows(mentor, mentee)
    mood_allowed = JournalSettings.for_user(mentee).mood_visible_to_mentor
    context = {"entries": entries, "has_more": has_more, "page_number": number, "mentee": mentee,
               "mood_allowed": mood_allowed}
    if number == 1 and not wants_fragment():
        audit.record("journal.shared_list_read", subject=mentee)
    return render("journal/mentor_mentee.html", "journal/partials/shared_rows.html", **context)


def _shared_entry(mentor, mentee, entry_id):
    entry = (
        policy.shared_journal_entries_for(mentor)
        .where((JournalEntry.id == entry_id) & (JournalEntry.author == mentee))
        .first()
    )
    policy.require(entry is not None)
    return entry


@bp.get("/mentees/<int:mentee_id>/entries/<int:entry_id>")
@login_required
def read_shared_entry(mentee_id, entry_id):
    mentor = _mentor()
    mentee = policy.mentee_for_mentor(mentor, mentee_id)
    entry = _shared_entry(mentor, mentee, entry_id)
    with database.atomic():
        JournalRead.insert(entry=entry, reader=mentor).on_conflict_ignore().execute()
        audit.record("journal.entry_read", obj=entry, subject=mentee)
    replies = list(JournalReply.select().where(JournalReply.entry == entry).order_by(JournalReply.created))
    return render_template("journal/mentor_entry.html", entry=entry, mentee=mentee, replies=replies,
                           form=ReplyForm(formdata=None))


@bp.post("/mentees/<int:mentee_id>/entries/<int:entry_id>/replies")
@login_required
def add_reply(mentee_id, entry_id):
    mentor = _mentor()
    mentee = policy.mentee_for_mentor(mentor, mentee_id)
    entry = _shared_entry(mentor, mentee, entry_id)
    form = ReplyForm()
    if form.validate_on_submit():
        with database.atomic():
            reply = JournalReply.create(entry=entry, author=mentor, body=form.body.data)
            audit.record("journal.reply_create", obj=reply, subject=mentee)
        if wants_fragment():
            replies = list(JournalReply.select().where(JournalReply.entry == entry).order_by(JournalReply.created))
            return render("journal/partials/mentor_replies.html", "journal/partials/mentor_replies.html",
                          entry=entry, mentee=mentee, replies=replies, form=ReplyForm(formdata=None),
                          just_sent=True)
        flash(_("Your reply is on the entry."), "success")
        return redirect(url_for("journal.read_shared_entry", mentee_id=mentee.id, entry_id=entry.id), 303)
    replies = list(JournalReply.select().where(JournalReply.entry == entry).order_by(JournalReply.created))
    return render("journal/mentor_entry.html", "journal/partials/mentor_replies.html", status_code=422,
                  entry=entry, mentee=mentee, replies=replies, form=form)


@bp.get("/mentees/<int:mentee_id>/mood")
@login_required
def mentee_mood(mentee_id):
    mentor = _mentor()
    mentee = policy.mentee_for_mentor(mentor, mentee_id)
    policy.require(policy.can_see_mood_chart(mentor, mentee))
    audit.record("journal.mood_read", subject=mentee)
    return render_template("journal/mentor_mood.html", **mood_context(mentor, mentee, _days_arg()))


def unread_shared_count(mentor):
    """The number of entries shared with the mentor and not yet read (a query, for the mentor's home
    page to ask with its other counts). The unread flag is kept on each entry by the database
    (migration 0010), so the count reads the unread entries only, not every entry ever shared."""
    return (policy.shared_journal_entries_for(mentor).select(fn.COUNT(JournalEntry.id))
            .where(JournalEntry.shared_unread == True))  # noqa: E712
