"""Writing in the journal: the write page with autosaved drafts, saving, editing, prompts.

No word is lost: every refused or interrupted save keeps the text as a draft, and
a session that just timed out may still store its text as the mentee's own draft.
"""
import random

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import IntegrityError

from app import audit, policy
from app.auth.sessions import expired_session_user
from app.current_person import current_person, login_required
from app.db import database, utcnow
from app.htmx import render
from app.journal import bp
from app.journal.drafts import (
    discard_draft,
    draft_fields_from,
    get_draft,
    new_idempotency_key,
    save_draft,
    valid_slot,
)
from app.journal.forms import EntryForm
from app.journal.models import JournalEntry, JournalPrompt, JournalSettings, pack_feelings
from app.journal.views import _mentee, _today
from app.prepared import PreparedQuery


# Writing ---------------------------------------------------------------------


_active_prompts = PreparedQuery(lambda: JournalPrompt.select().where(JournalPrompt.active == True))  # noqa: E712


def _pick_prompt(exclude_id=None):
    prompts = _active_prompts.all()
    choices = [p for p in prompts if p.id != exclude_id] or prompts
    return random.choice(choices) if choices else None


def _entry_form_from_draft(user, draft, today):
    form = EntryForm(formdata=None, today=today)
    settings = JournalSettings.for_user(user)
    form.share.data = settings.share_new_by_default
    form.entry_date.data = today
    form.idempotency_key.data = new_idempotency_key()
    form.revision.data = "0"
    if draft is not None:
        form.body.data = draft.body
        form.mood.data = str(draft.mood) if draft.mood else None
        form.feelings.data = draft.feeling_keys
        form.feelings_other.data = draft.feelings_other
        form.prompt.data = draft.prompt
        form.entry_date.data = draft.entry_date or today
        form.idempotency_key.data = draft.idempotency_key
        form.revision.data = str(draft.revision)
    return form


def _write_page(user, form, draft=None, status=200, prompt_text=None):
    mentor = policy.active_mentor_of(user)
    return render_template(
        "journal/write.html", form=form, draft=draft, mentor=mentor, today=_today(user),
        prompt_text=prompt_text if prompt_text is not None else form.prompt.data, slot="new",
        action_url=url_for("journal.create_entry"),
    ), status


@bp.get("/new")
@login_required
def write_entry():
    user = _mentee()
    today = _today(user)
    draft = get_draft(user, "new")
    form = _entry_form_from_draft(user, draft, today)
    prompt_text = form.prompt.data
    if not prompt_text and request.args.get("prompt") != "none":
        prompt = _pick_prompt()
        prompt_text = prompt.text if prompt else ""
        form.prompt.data = prompt_text
    return _write_page(user, form, draft=draft, prompt_text=prompt_text)


@bp.get("/prompt")
@login_required
def next_prompt():
    """Another writing prompt (htmx swaps just the prompt)."""
    _mentee()
    current = request.args.get("current", "")
    if request.args.get("skip"):
        return render("journal/partials/prompt.html", "journal/partials/prompt.html", prompt_text="")
    prompts = list(JournalPrompt.select().where((JournalPrompt.active == True) & (JournalPrompt.text != current)))  # noqa: E712
    prompt = random.choice(prompts) if prompts else None
    return render("journal/partials/prompt.html", "journal/partials/prompt.html",
                  prompt_text=prompt.text if prompt else "")


def _writer_or_grace():
    """(mentee, False) when signed in; (mentee, True) when their session just timed out.

    A timed-out session may still store the typed text as the mentee's own draft,
    and nothing else, so no word is lost; it then goes to the sign-in page.
    """
    if current_person().is_authenticated:
        return _mentee(), False
    user = expired_session_user()
    if user is None or user.role != "mentee":
        return None, False
    return user, True


def _signed_out_response(next_url):
    login_url = url_for("auth.login", next=next_url)
    flash(_("Your session has ended, so please sign in again. What you were writing is saved as a draft."), "info")
    if request.headers.get("X-Requested-With") == "fetch" or request.headers.get("HX-Request") == "true":
        response = make_response(jsonify(status="signed_out", login=login_url), 401)
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url, 303)


def _slot_next_url(slot):
    if slot.startswith("entry-"):
        return url_for("journal.edit_entry", entry_id=int(slot[6:]))
    return url_for("journal.write_entry")


@bp.post("/draft")
def autosave_draft():
    """Autosave (JSON for the page's script). A stale revision gets 409 and changes nothing."""
    user, grace = _writer_or_grace()
    slot = request.form.get("slot", "new")
    if user is None:
        from app.auth.sessions import login_manager

        return login_manager.unauthorized()
    if not valid_slot(slot) or (slot != "new" and not policy.own_journal_entries(user).where(
            JournalEntry.id == int(slot[6:])).exists()):
        abort(404)
    fields = draft_fields_from(request.form)
    revision = request.form.get("revision", "")
    expected = int(revision) if revision.isdigit() else None
    if grace:
        save_draft(user, slot, fields, expected_revision=None, idempotency_key=request.form.get("idempotency_key"))
        return _signed_out_response(_slot_next_url(slot))
    draft, conflict = save_draft(user, slot, fields, expected_revision=expected,
                                 idempotency_key=request.form.get("idempotency_key"))
    if conflict:
        return jsonify(
            status="conflict",
            revision=draft.revision if draft else 0,
            body=draft.body if draft else "",
            mine=fields["body"],  # both versions in one answer, so the page can offer either
            idempotency_key=draft.idempotency_key if draft else new_idempotency_key(),
            message=_("This entry was changed in another tab or device. Choose which text to keep."),
        ), 409
    return jsonify(status="saved", revision=draft.revision, saved_at=draft.updated.isoformat() + "Z")


def _entry_values(form):
    return {
        "body": form.body.data or "",
        "mood": int(form.mood.data) if form.mood.data else None,
        "feelings": pack_feelings(form.feelings.data or []),
        "feelings_other": form.feelings_other.data or "",
        "prompt": (form.prompt.data or "")[:300],
    }


def _saved(url):
    """Go to `url` after a save. The page's script (a fetch) gets the address as JSON and goes
    there itself: a redirect followed inside fetch would load the page, and use up its
    "Saved" message, before the browser shows it."""
    if request.headers.get("X-Requested-With") == "fetch":
        return jsonify(status="saved", url=url)
    return redirect(url, 303)


@bp.post("/entries")
def create_entry():
    """Save a new entry. The idempotency key makes a double tap or a retried post create one entry."""
    user, grace = _writer_or_grace()
    if user is None:
        from app.auth.sessions import login_manager

        return login_manager.unauthorized()
    fields = draft_fields_from(request.form)
    key = (request.form.get("idempotency_key") or "")[:64]
    if grace:
        save_draft(user, "new", fields, idempotency_key=key)
        return _signed_out_response(url_for("journal.write_entry"))
    action = request.form.get("action", "save")
    if action in ("draft", "shuffle", "skip_prompt"):
        if action == "shuffle":
            prompt = _pick_prompt()
            fields["prompt"] = prompt.text if prompt else ""
        elif action == "skip_prompt":
            fields["prompt"] = ""
        save_draft(user, "new", fields, idempotency_key=key)
        if action == "draft":
            flash(_("Draft saved. It will be here when you come back."), "success")
        return redirect(url_for("journal.write_entry", prompt="none" if action == "skip_prompt" else None), 303)

    today = _today(user)
    form = EntryForm(today=today)
    if key:
        existing = JournalEntry.get_or_none((JournalEntry.author == user) & (JournalEntry.idempotency_key == key))
        if existing is not None and existing.body == (form.body.data or ""):
            return _saved(url_for("journal.show_entry", entry_id=existing.id))
        if existing is not None:
            key = new_idempotency_key()  # different text under a used key: a new entry, never a lost one
    if not form.validate():
        draft, _conflict = save_draft(user, "new", fields, idempotency_key=key)
        form.revision.data = str(draft.revision) if draft else "0"
        return _write_page(user, form, draft=draft, status=422)
    mentor = policy.active_mentor_of(user) if form.share.data else None
    now = utcnow()  # one timestamp, so a new entry is not shown as "edited"
    for attempt in range(2):
        try:
            with database.atomic():
                entry = JournalEntry.create(
                    author=user, entry_date=form.entry_date.data or today, idempotency_key=key, created=now,
                    updated=now, shared_with=mentor, shared_at=now if mentor else None, **_entry_values(form),
                )
                discard_draft(user, "new")
                audit.record("journal.entry_create", obj=entry, subject=user)
                if mentor:
                    audit.record("journal.share", obj=entry, subject=user, detail=f"mentor={mentor.id}")
            break
        except IntegrityError:
            # A concurrent post with the same key won the race. The same text: a double tap.
            existing = JournalEntry.get_or_none((JournalEntry.author == user) & (JournalEntry.idempotency_key == key))
            if existing is None:
                raise  # not the idempotency key: a real error, reported as one
            if attempt or existing.body == (form.body.data or ""):
                return _saved(url_for("journal.show_entry", entry_id=existing.id))
            key = new_idempotency_key()  # other text (another tab of the same draft): a new entry, never a lost one
    flash(_("Saved. Well done for taking a moment to write."), "success")
    return _saved(url_for("journal.show_entry", entry_id=entry.id))


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
def edit_entry(entry_id):
    user, grace = _writer_or_grace()
    if user is None:
        from app.auth.sessions import login_manager

        return login_manager.unauthorized()
    entry = policy.own_journal_entries(user).where(JournalEntry.id == entry_id).first()
    policy.require(entry is not None)
    slot = f"entry-{entry.id}"
    if grace:
        if request.method == "POST":
            save_draft(user, slot, draft_fields_from(request.form))
        return _signed_out_response(url_for("journal.edit_entry", entry_id=entry.id))
    today = _today(user)
    if request.method == "POST":
        form = EntryForm(today=today)
        if request.form.get("action") == "draft":
            save_draft(user, slot, draft_fields_from(request.form))
            flash(_("Draft saved."), "success")
            return redirect(url_for("journal.edit_entry", entry_id=entry.id), 303)
        if form.validate():
            with database.atomic():
                values = _entry_values(form)
                values.pop("prompt")
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.entry_date = form.entry_date.data or entry.entry_date
                entry.updated = utcnow()
                entry.save()
                discard_draft(user, slot)
                audit.record("journal.entry_update", obj=entry, subject=user)
            flash(_("Your changes are saved."), "success")
            return _saved(url_for("journal.show_entry", entry_id=entry.id))
        draft, _conflict = save_draft(user, slot, draft_fields_from(request.form))
        status = 422
    else:
        draft = get_draft(user, slot)
        form = EntryForm(formdata=None, today=today)
        source = draft or entry
        form.body.data = source.body
        form.mood.data = str(source.mood) if source.mood else None
        form.feelings.data = source.feeling_keys
        form.feelings_other.data = source.feelings_other
        form.entry_date.data = getattr(source, "entry_date", None) or entry.entry_date
        form.idempotency_key.data = entry.idempotency_key
        status = 200
    form.revision.data = str(draft.revision) if draft else "0"
    return render_template(
        "journal/write.html", form=form, draft=draft, entry=entry, mentor=None, today=today,
        prompt_text=entry.prompt, slot=slot, action_url=url_for("journal.edit_entry", entry_id=entry.id),
    ), status
