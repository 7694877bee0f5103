"""The mentee's journal: read back, search, delete, share (writing is in write_views)."""
import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import OP, SQL, Expression, NodeList, Value, fn

from app import audit, policy
from app.current_person import current_person, login_required
from app.db import database, utcnow
from app.htmx import render, wants_fragment
from app.i18n import translated_labels
from app.journal import bp
from app.journal.drafts import discard_draft, get_draft
from app.journal.forms import ConfirmForm
from app.journal.list_rows import listed_entries
from app.journal.models import FEELINGS, MOOD_LABELS, JournalEntry, JournalReply, local_today
from app.pagination import page_number
from app.prepared import PreparedQuery

PER_PAGE = 20
EXCERPT_LENGTH = 160


def _mentee():
    policy.require(current_person().role == "mentee")
    return current_person()


def _own_entry(entry_id):
    entry = policy.own_journal_entries(current_person()).where(JournalEntry.id == entry_id).first()
    policy.require(entry is not None)
    return entry


def _today(user=None):
    return local_today((user or current_person()).timezone)


# Reading back ----------------------------------------------------------------


def like_pattern(text):
    """A LIKE pattern matching `text` anywhere, with its own wildcards escaped (ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%"


def _contains(column, pattern):
    return Expression(column, OP.ILIKE, NodeList((pattern, SQL("ESCAPE"), Value("\\", converter=False))))


def read_filters(args):
    """The list filters from the query string, each "" when unset or invalid."""
    filters = {"mood": "", "feeling": "", "month": "", "q": ""}
    if args.get("mood", "") in ("1", "2", "3", "4", "5"):
        filters["mood"] = args["mood"]
    if args.get("feeling", "") in FEELINGS:
        filters["feeling"] = args["feeling"]
    month = args.get("month", "")
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit() and 1 <= int(month[5:]) <= 12:
        filters["month"] = month
    filters["q"] = args.get("q", "").strip()[:100]
    return filters


# What a row of the list shows: never the whole text (up to 20,000 characters), only its start;
# 6 characters past the excerpt, so Jinja's truncate (5 characters of leeway) cuts exactly as on the whole text.
LIST_FIELDS = (JournalEntry.id, JournalEntry.entry_date, JournalEntry.mood, JournalEntry.feelings,
               JournalEntry.feelings_other, JournalEntry.shared_with,
               fn.SUBSTR(JournalEntry.body, 1, EXCERPT_LENGTH + 6).alias("excerpt"), JournalEntry.reply_count)


def _entries_page_query(author, mood, feeling, first, following, text, limit, offset, filtered_by):
    query = policy.own_journal_entries(author).select(*LIST_FIELDS)
    if "mood" in filtered_by:
        query = query.where(JournalEntry.mood == mood)
    if "feeling" in filtered_by:
        query = query.where(_contains(JournalEntry.feelings, feeling))
    if "month" in filtered_by:
        query = query.where((JournalEntry.entry_date >= first) & (JournalEntry.entry_date < following))
    if "q" in filtered_by:
        query = query.where(_contains(JournalEntry.body, text) | _contains(JournalEntry.feelings_other, text))
    return (query.order_by(JournalEntry.entry_date.desc(), JournalEntry.created.desc(), JournalEntry.id.desc())
            .limit(limit).offset(offset).tuples())


# The journal list is the mentee's most used page after home: its SQL is built once per filter combination.
_entries_page = PreparedQuery(
    _entries_page_query,
    slots=("mood", "feeling", "first", "following", "text", "offset"), person_slots=("author",),
)


def entries_page(user, filters, number):
    """One page of the mentee's entries (PER_PAGE + 1 rows, to tell whether there is more)."""
    first = following = None
    if filters["month"]:
        year, month = int(filters["month"][:4]), int(filters["month"][5:])
        first = datetime.date(year, month, 1)
        following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return listed_entries(_entries_page.all(
        author=user,
        mood=int(filters["mood"]) if filters["mood"] else None,
        feeling=like_pattern(f"|{filters['feeling']}|"),
        first=first, following=following,
        text=like_pattern(filters["q"]),
        limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE,
        filtered_by=tuple(name for name, value in filters.items() if value),
    ))


@bp.get("")
@login_required
def list_entries():
    user = _mentee()
    filters = read_filters(request.args.to_dict())  # a dict: missing keys cost no exception
    number = page_number()
    rows = entries_page(user, filters, number)
    context = {
        "entries": rows[:PER_PAGE],
        "has_more": len(rows) > PER_PAGE,
        "page_number": number,
        "filters": filters,
        "filtering": any(filters.values()),
        # The next page's link carries only the filters in use: `?page=2`, not `?page=2&mood=&...`.
        "filters_in_use": {name: value for name, value in filters.items() if value},
        # Translated once per language, not a lazy text per option on every page.
        "feelings": translated_labels(FEELINGS),
        "moods": translated_labels(MOOD_LABELS),
        "excerpt_length": EXCERPT_LENGTH,
    }
    if wants_fragment():
        return render("journal/list.html", "journal/partials/entry_rows.html", **context)
    context["draft"] = get_draft(user, "new")
    return render_template("journal/list.html", **context)


@bp.get("/entries/<int:entry_id>")
@login_required
def show_entry(entry_id):
    user = _mentee()
    entry = _own_entry(entry_id)
    replies = list(JournalReply.select().where(JournalReply.entry == entry).order_by(JournalReply.created))
    unseen = [reply.id for reply in replies if not reply.seen_by_mentee]
    if unseen:
        JournalReply.update(seen_by_mentee=True).where(JournalReply.id.in_(unseen)).execute()
    mentor = policy.active_mentor_of(user)
    return render_template("journal/entry.html", entry=entry, replies=replies, mentor=mentor)


@bp.route("/entries/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete_entry(entry_id):
    user = _mentee()
    entry = _own_entry(entry_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            audit.record("journal.entry_delete", obj=entry, subject=user)
            discard_draft(user, f"entry-{entry.id}")
            entry.delete_instance(recursive=True)
        flash(_("The entry is deleted."), "success")
        return redirect(url_for("journal.list_entries"), 303)
    return render_template("journal/confirm_delete.html", entry=entry, form=form)


@bp.post("/entries/<int:entry_id>/share")
@login_required
def set_sharing(entry_id):
    """Share with, or unshare from, the mentee's active mentor. Takes effect at once."""
    user = _mentee()
    entry = _own_entry(entry_id)
    want = request.form.get("shared") == "1"
    mentor = policy.active_mentor_of(user) if want else None
    problem = None
    if want and mentor is None:
        problem = _("You don't have an active mentor right now, so there is no one to share with.")
    elif ConfirmForm().validate_on_submit() and (entry.shared_with_id != (mentor.id if mentor else None)):
        with database.atomic():
            entry.shared_with = mentor
            entry.shared_at = utcnow() if mentor else None
            entry.save(only=[JournalEntry.shared_with, JournalEntry.shared_at])
            if mentor:
                audit.record("journal.share", obj=entry, subject=user, detail=f"mentor={mentor.id}")
            else:
                audit.record("journal.unshare", obj=entry, subject=user)
    if wants_fragment():
        return render("journal/partials/share_switch.html", "journal/partials/share_switch.html",
                      entry=entry, mentor=policy.active_mentor_of(user), problem=problem)
    if problem:
        flash(problem, "error")
    else:
        flash(_("Shared with your mentor.") if entry.is_shared else _("This entry is private again."), "success")
    return redirect(url_for("journal.show_entry", entry_id=entry.id), 303)


@bp.route("/entries/<int:entry_id>/replies/<int:reply_id>/delete", methods=["GET", "POST"])
@login_required
def delete_reply(entry_id, reply_id):
    """The mentee may remove a reply on their own entry."""
    user = _mentee()
    entry = _own_entry(entry_id)
    reply = JournalReply.get_or_none((JournalReply.id == reply_id) & (JournalReply.entry == entry))
    policy.require(reply is not None)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            audit.record("journal.reply_delete", obj=reply, subject=user)
            reply.delete_instance()
        flash(_("The reply is removed."), "success")
        return redirect(url_for("journal.show_entry", entry_id=entry.id), 303)
    return render_template("journal/confirm_delete_reply.html", entry=entry, reply=reply, form=form)
