"""Looking back: the mood chart, streaks, "on this day", journal preferences and exports."""
import csv
import io
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import audit, policy
from app.current_person import login_required
from app.db import database, utcnow
from app.journal import bp
from app.journal.forms import JournalSettingsForm
from app.journal.models import FEELINGS, MOOD_LABELS, JournalEntry, JournalReply, JournalSettings, local_today
from app.journal.mood import chart_axis, on_this_day, streak, summarise
from app.journal.views import _mentee


def mood_context(viewer, mentee, days):
    today = local_today(mentee.timezone)
    return {
        "summary": summarise(mentee, today, days),
        "axis": chart_axis(),
        "days": days,
        "moods": MOOD_LABELS,
        "mentee": mentee,
    }


def _days_arg():
    return 90 if request.args.get("days") == "90" else 30


@bp.get("/mood")
@login_required
def mood():
    user = _mentee()
    days = _days_arg()
    context = mood_context(user, user, days)
    today = local_today(user.timezone)
    context["streak"] = streak(user, today)
    context["memories"] = on_this_day(user, today)
    return render_template("journal/mood.html", **context)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def journal_settings():
    user = _mentee()
    settings = JournalSettings.for_user(user)
    form = JournalSettingsForm(obj=settings) if request.method == "GET" else JournalSettingsForm()
    if request.method == "POST" and form.validate_on_submit():
        with database.atomic():
            settings.share_new_by_default = form.share_new_by_default.data
            settings.mood_visible_to_mentor = form.mood_visible_to_mentor.data
            settings.save()
            audit.record(
                "journal.settings_update", obj=settings, subject=user,
                detail=f"share_default={int(settings.share_new_by_default)} mood_visible={int(settings.mood_visible_to_mentor)}",
            )
        flash(_("Your journal settings are saved."), "success")
        return redirect(url_for("journal.journal_settings"), 303)
    return render_template("journal/settings.html", form=form), (422 if request.method == "POST" else 200)


def _export_rows(user):
    entries = list(policy.own_journal_entries(user).order_by(JournalEntry.entry_date, JournalEntry.created))
    replies = {}
    for reply in JournalReply.select().join(JournalEntry).where(JournalEntry.author == user).order_by(JournalReply.created):
        replies.setdefault(reply.entry_id, []).append(reply)
    return entries, replies


@bp.get("/export")
@login_required
def export_page():
    _mentee()
    return render_template("journal/export.html")


@bp.get("/export.json")
@login_required
def export_json():
    user = _mentee()
    entries, replies = _export_rows(user)
    data = {
        "exported_at": utcnow().isoformat() + "Z",
        "person": {"name": user.name, "email": user.email},
        "entries": [
            {
                "date": entry.entry_date.isoformat(),
                "written_at": entry.created.isoformat() + "Z",
                "updated_at": entry.updated.isoformat() + "Z",
                "mood": entry.mood,
                "mood_label": str(MOOD_LABELS[entry.mood]) if entry.mood else None,
                "feelings": [str(FEELINGS[key]) for key in entry.feeling_keys],
                "feelings_own_words": entry.feelings_other,
                "prompt": entry.prompt,
                "text": entry.body,
                "shared_with_mentor": entry.is_shared,
                "replies": [
                    {"written_at": reply.created.isoformat() + "Z", "text": reply.body}
                    for reply in replies.get(entry.id, [])
                ],
            }
            for entry in entries
        ],
    }
    audit.record("journal.export", subject=user, detail="json")
    return _download(json.dumps(data, ensure_ascii=False, indent=2), "application/json", "journal.json")


@bp.get("/export.csv")
@login_required
def export_csv():
    user = _mentee()
    entries, _replies = _export_rows(user)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "mood", "feelings"])
    for entry in entries:
        labels = [str(FEELINGS[key]) for key in entry.feeling_keys]
        if entry.feelings_other:
            labels.append(entry.feelings_other)
        writer.writerow([entry.entry_date.isoformat(), entry.mood or "", _csv_safe("; ".join(labels))])
    audit.record("journal.export", subject=user, detail="csv")
    return _download(buffer.getvalue(), "text/csv", "journal-moods.csv")


def _csv_safe(value):
    """Spreadsheets run cells starting with = + - @ as formulas: neutralise them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.get("/export/print")
@login_required
def export_print():
    user = _mentee()
    entries, replies = _export_rows(user)
    audit.record("journal.export", subject=user, detail="print")
    return render_template("journal/export_print.html", entries=entries, replies=replies, person=user)


def _download(body, mimetype, filename):
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
