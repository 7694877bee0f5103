"""A meeting list's rows (app/meetings/list_rows.py) say what the row shows, as the viewer sees it."""
from flask_login import login_user

from app.meetings import queries
from app.meetings.list_rows import meeting_rows
from tests.meetings.conftest import make_meeting


def _shown(rows):
    return [(row.other_name, row.status_label, row.status_badge, row.format_label, row.awaits_viewer) for row in rows]


def test_each_side_sees_the_other_person_and_whose_answer_is_awaited(app, personas):
    match = personas.match_a
    make_meeting(match, days=2, status="proposed", proposed_by=match.mentee_id, format="video")
    make_meeting(match, days=3, status="scheduled", format="phone")
    for viewer, other, awaits in ((personas.mentor_a, "Ada Mentee", True), (personas.mentee_a, "Abe Mentor", False)):
        with app.test_request_context("/meetings"):
            login_user(viewer)
            matches = queries.party_matches(viewer)
            rows = meeting_rows(queries.upcoming(viewer, matches), matches, viewer)
            assert _shown(rows) == [(other, "Proposed", "pending", "Video", awaits),
                                    (other, "Scheduled", "active", "Phone", False)], viewer.name


def test_a_meeting_whose_match_is_not_given_reads_it_through_the_meeting(app, personas):
    match = personas.match_a
    make_meeting(match, days=2)
    viewer = personas.mentee_a
    with app.test_request_context("/meetings"):
        login_user(viewer)
        matches = queries.party_matches(viewer)
        meetings = queries.upcoming(viewer, matches)
        assert _shown(meeting_rows(meetings, {}, viewer)) == _shown(meeting_rows(meetings, matches, viewer))
        assert [row.id for row in meeting_rows(meetings, {}, viewer)] == [meeting.id for meeting in meetings]
