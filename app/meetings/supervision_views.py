"""Coordinators supervise matches: meeting figures, session logs with private notes (every read audited),
and the matches that have gone quiet."""
from flask import render_template

from app import audit, policy
from app.auth.models import User
from app.current_person import current_person, login_required
from app.matches.models import Match
from app.meetings import bp, queries
from app.meetings.models import ActionItem, Meeting, minutes_met
from app.pagination import paginate
from app.prepared import PreparedQuery


def _coordinator():
    policy.require(policy.is_coordinator(current_person()))


_met_or_missed = PreparedQuery(
    lambda match_id: Meeting.select(Meeting.status, Meeting.actual_start, Meeting.actual_end,
                                    Meeting.duration_minutes, Meeting.starts_at, Meeting.helpfulness)
    .where((Meeting.match == match_id) & Meeting.status.in_(("held", "missed")))
    .tuples(),
    slots=("match_id",),
)


def match_meeting_stats(match_id):
    """Held, missed, hours met, last held and average helpfulness: one query, plain rows (a match may
    have met every week for years)."""
    held = missed = minutes = 0
    last_held = None
    ratings = []
    for status, actual_start, actual_end, duration_minutes, starts_at, helpfulness in _met_or_missed.all(match_id=match_id):
        if status != "held":
            missed += 1
            continue
        held += 1
        minutes += minutes_met(status, actual_start, actual_end, duration_minutes)
        if last_held is None or starts_at > last_held:
            last_held = starts_at
        if helpfulness:
            ratings.append(helpfulness)
    return {
        "held": held,
        "missed": missed,
        "hours": round(minutes / 60, 1),
        "last_held": last_held,
        "helpfulness": round(sum(ratings) / len(ratings), 1) if ratings else None,
    }


@bp.get("/matches/<int:match_id>")
@login_required
def supervise_match(match_id):
    _coordinator()
    match = Match.get_or_none(Match.id == match_id)
    policy.require(match is not None)
    mentor, mentee = User.get_by_id(match.mentor_id), User.get_by_id(match.mentee_id)
    page = paginate(Meeting.select().where(Meeting.match == match).order_by(Meeting.starts_at.desc(), Meeting.id.desc()),
                    per_page=20)
    meetings = page.items
    items = {}
    for item in ActionItem.select().where(ActionItem.meeting.in_([m.id for m in meetings] or [0])).order_by(ActionItem.position):
        items.setdefault(item.meeting_id, []).append(item)
    # Session logs, reflections and private notes are the mentee's content: every read is audited.
    # One row per read, naming the meetings whose private notes were shown (ids only).
    with_notes = [m for m in meetings if m.private_note]
    if with_notes:
        audit.record("meeting.private_notes_read", obj=match, subject=mentee,
                     detail="meetings=" + ",".join(str(m.id) for m in with_notes)[:200])
    else:
        audit.record("meeting.supervision_read", obj=match, subject=mentee, detail=f"page={page.number}")
    return render_template("meetings/supervise.html", match=match, mentor=mentor, mentee=mentee, meetings=meetings,
                           page=page, items=items, stats=match_meeting_stats(match.id))


QUIET_PER_PAGE = 50


@bp.get("/quiet")
@login_required
def quiet_matches():
    """Active matches with no held meeting within MEETING_ATTENTION_DAYS, the longest quiet first, a
    page at a time: a large program has hundreds."""
    _coordinator()
    page = paginate(queries.quiet_active_matches(), per_page=QUIET_PER_PAGE)
    return render_template("meetings/quiet.html", matches=page.items, page=page, days=queries.attention_days())
