"""The rows of the meeting lists (the meetings page, the home pages) as plain values.

A list shows up to twenty meetings, each with its time, status, format and the other person. Read
from the models in the template, every value goes through a Python descriptor, every label is worked
out again for each row and the other person is chosen in the template. Here each meeting becomes a
named tuple of what its row shows (read only), with the page's labels looked up once.
"""
from collections import namedtuple

from app.i18n import translated_labels
from app.meetings.models import FORMATS, STATUS_BADGES, STATUSES

# A row of a meeting list, as the viewer sees it. `awaits_viewer`: proposed by the other person,
# waiting for the viewer's answer.
MeetingRow = namedtuple("MeetingRow", "id starts_at status_badge status_label format_label other_name awaits_viewer")


def meeting_rows(meetings, matches, viewer):
    """MeetingRow rows of listed meetings (app/meetings/queries.py), their matches from `matches`
    ({id: match with its mentor and mentee}, as `party_matches` reads them).

    A list's meetings share one match or a few, so the other person's name is chosen once per
    match, and each meeting's values are read from its field data (peewee's `__data__`) rather than
    through a descriptor each.
    """
    statuses, formats = translated_labels(STATUSES), translated_labels(FORMATS)
    viewer_id = viewer.id
    other_names = {match_id: (match.mentee if viewer_id == match.mentor_id else match.mentor).name
                   for match_id, match in matches.items()}
    rows = []
    for meeting in meetings:
        data = meeting.__data__
        status, form = data["status"], data["format"]
        other_name = other_names.get(data["match"])
        if other_name is None:  # not among the viewer's matches (none should be): read through the meeting
            match = meeting.match
            other_name = (match.mentee if viewer_id == match.mentor_id else match.mentor).name
        rows.append(MeetingRow(
            data["id"], data["starts_at"], STATUS_BADGES.get(status, "closed"), statuses.get(status, status),
            formats.get(form, form), other_name, status == "proposed" and data["proposed_by"] != viewer_id))
    return rows
