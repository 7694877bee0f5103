"""What people type into meetings comes back escaped, never as markup (SECURITY.md 16)."""
import html

from app.meetings.models import ActionItem
from tests.meetings.conftest import make_meeting, meeting_path, propose_form, reload

ATTACK = '<img src=x onerror=alert(1)>'


def test_text_typed_into_a_meeting_comes_back_escaped_on_every_page(personas, login_as):
    mentee, mentor = login_as("mentee_a"), login_as("mentor_a")
    day = (make_meeting(personas.match_a, days=4).starts_at).date()
    proposed = meeting_path(mentee.post("/meetings/new", data=propose_form(day, "10:00", place=ATTACK, agenda=ATTACK)))
    held = make_meeting(personas.match_a, days=-1, status="held", summary=ATTACK, private_note=ATTACK,
                        topics_other=ATTACK, missed_reason=ATTACK)
    ActionItem.create(meeting=held, title=ATTACK, owner="mentee")
    assert mentee.post(f"/meetings/{held.id}/reflection", data={"reflection": ATTACK, "helpfulness": "3"}).status_code == 303
    assert reload(held).mentee_reflection == ATTACK

    pages = [mentee.get(f"/meetings/{proposed}"), mentor.get(f"/meetings/{proposed}"), mentee.get(f"/meetings/{held.id}"),
             mentor.get(f"/meetings/{held.id}"), mentor.get(f"/meetings/{held.id}/log"),
             login_as("coordinator").get(f"/meetings/matches/{personas.match_a.id}")]

    for page in pages:
        assert page.status_code == 200
        assert ATTACK not in page.text
        assert html.escape(ATTACK, quote=False) in page.text or html.escape(ATTACK) in page.text
