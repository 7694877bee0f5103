"""Meeting changes: each one transaction, audited, bumping the iCalendar sequence."""
from app import audit
from app.auth.models import User
from app.db import database, utcnow
from app.goals import service as goal_service
from app.goals.models import Goal, GoalStep
from app.meetings.models import ActionItem, Meeting, MeetingGoal


def _subject(meeting):
    return User(id=meeting.match.mentee_id)


def propose(actor, match, starts_at, duration, fmt, place, video_link, agenda):
    with database.atomic():
        meeting = Meeting.create(match=match, proposed_by=actor, starts_at=starts_at, duration_minutes=duration,
                                 format=fmt, place=place if fmt == "in_person" else "",
                                 video_link=video_link if fmt == "video" else "", agenda=agenda, status="proposed")
        audit.record("meeting.propose", obj=meeting, subject=User(id=match.mentee_id), actor=actor)
    return meeting


def accept(actor, meeting):
    with database.atomic():
        changed = Meeting.update(status="scheduled", sequence=Meeting.sequence + 1, updated=utcnow()).where(
            (Meeting.id == meeting.id) & (Meeting.status == "proposed")).execute()
        if changed:
            audit.record("meeting.accept", obj=meeting, subject=_subject(meeting), actor=actor)
    return bool(changed)


def reschedule(actor, meeting, starts_at, duration, reason):
    """A new time counts as a fresh proposal from whoever moved it; the other person accepts it."""
    with database.atomic():
        Meeting.update(starts_at=starts_at, duration_minutes=duration, status="proposed", proposed_by=actor,
                       change_reason=reason, sequence=Meeting.sequence + 1, updated=utcnow()).where(
            Meeting.id == meeting.id).execute()
        audit.record("meeting.reschedule", obj=meeting, subject=_subject(meeting), actor=actor)


def cancel(actor, meeting, reason):
    with database.atomic():
        Meeting.update(status="cancelled", change_reason=reason, sequence=Meeting.sequence + 1,
                       updated=utcnow()).where(Meeting.id == meeting.id).execute()
        audit.record("meeting.cancel", obj=meeting, subject=_subject(meeting), actor=actor)


def save_log(actor, meeting, data, action_items, discussed_goal_ids, steps_done_ids, progress_note, next_meeting):
    """Record (or edit) the session log, with goal ticks, notes, action items and the next meeting.

    Returns the next meeting, if one was scheduled.
    """
    match = meeting.match
    with database.atomic():
        editing = meeting.logged_at is not None and meeting.id is not None
        for name, value in data.items():
            setattr(meeting, name, value)
        meeting.logged_by = actor
        meeting.logged_at = meeting.logged_at or utcnow()
        meeting.updated = utcnow()
        meeting.sequence = (meeting.sequence or 0) + 1
        meeting.save()
        goals = {g.id: g for g in Goal.select().where(
            (Goal.mentee == match.mentee_id) & Goal.id.in_(list(discussed_goal_ids) or [0]))}
        MeetingGoal.delete().where(MeetingGoal.meeting == meeting).execute()
        for goal in goals.values():
            MeetingGoal.create(meeting=meeting, goal=goal)
            if progress_note:
                goal_service.add_note(actor, goal, progress_note)
        if steps_done_ids:
            steps = GoalStep.select(GoalStep, Goal).join(Goal).where(
                (Goal.mentee == match.mentee_id) & GoalStep.id.in_(list(steps_done_ids)))
            for step in steps:
                goal_service.set_step_done(actor, step.goal, step, True)
        ActionItem.delete().where((ActionItem.meeting == meeting) & ActionItem.step.is_null()).execute()
        kept = ActionItem.select().where(ActionItem.meeting == meeting).count()
        for position, item in enumerate(action_items, start=kept):
            step = None
            goal = Goal.get_or_none((Goal.id == item["goal"]) & (Goal.mentee == match.mentee_id)) if item["goal"] else None
            if goal is not None:
                step = goal_service.add_step(actor, goal, item["title"], None)
            ActionItem.create(meeting=meeting, title=item["title"], owner=item["owner"], step=step, position=position)
        audit.record("meeting.log_update" if editing else "meeting.log", obj=meeting, subject=_subject(meeting),
                     actor=actor, detail=meeting.status)
        follow_up = None
        if next_meeting:
            follow_up = Meeting.create(match=match, proposed_by=actor, status="scheduled", **next_meeting)
            audit.record("meeting.schedule", obj=follow_up, subject=_subject(meeting), actor=actor)
    return follow_up


def reflect(actor, meeting, reflection, helpfulness):
    with database.atomic():
        Meeting.update(mentee_reflection=reflection, helpfulness=helpfulness, updated=utcnow()).where(
            Meeting.id == meeting.id).execute()
        audit.record("meeting.reflection", obj=meeting, subject=actor, actor=actor)
