"""`progress(done, total)` writes what the goal progress macro wrote, in the viewer's language."""
import re

import pytest
from markupsafe import Markup

from app.goals.progress import progress

# The macro it replaces, as a template: the oracle.
AS_A_TEMPLATE = """<div class="progress">
  {% if total %}
  <progress max="{{ total }}" value="{{ done }}" aria-label="{{ _('Progress') }}">{{ done }}/{{ total }}</progress>
  <span class="progress__text">{{ ngettext('%(done)d of %(num)d step done', '%(done)d of %(num)d steps done', total, done=done) }}</span>
  {% else %}
  <span class="progress__text muted">{{ _('No steps yet') }}</span>
  {% endif %}
</div>"""


def tags_only(markup):
    return re.sub(r">\s+<", "><", str(markup).strip())


@pytest.mark.parametrize("done, total", [(0, 0), (0, 1), (1, 1), (2, 5), (5, 5), (0, 3)])
def test_progress_writes_what_the_macro_wrote(app, done, total):
    with app.test_request_context("/"):
        app.preprocess_request()
        expected = app.jinja_env.from_string(AS_A_TEMPLATE).render(done=done, total=total)
        written = progress(done, total)
    assert isinstance(written, Markup)
    assert tags_only(written) == tags_only(expected)


def test_progress_in_pages_counts_steps_in_words_and_as_a_bar(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        assert "1 of 1 step done" in progress(1, 1) and "2 of 5 steps done" in progress(2, 5)
        assert '<progress max="5" value="2"' in progress(2, 5) and "No steps yet" in progress(0, 0)


def test_progress_of_steps_counts_the_done_ones(app, personas):
    from app.goals.queries import steps_of
    from tests.conftest import signed_in_client
    from tests.goals.conftest import make_goal

    goal = make_goal(personas.mentee_a, steps=[("Call", None, True), "Book", "Go"])
    with app.test_request_context("/"):
        app.preprocess_request()
        assert progress.of_steps(steps_of(goal)) == progress(1, 3)
        assert progress.of_steps([]) == progress(0, 0)
    page = signed_in_client(app, personas.mentee_a).get(f"/goals/{goal.id}").text
    assert '<progress max="3" value="1"' in page and "1 of 3 steps done" in page
