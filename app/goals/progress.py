"""A goal's progress, as a bar and in words: `{{ progress(done, total) }}` in templates.

It shows on every goal card (the mentee's home, the goals pages) and above a goal's steps. As a
Jinja macro each call set up a context, a frame and its arguments, and went through the template
context's call machinery for its plural text: more than the markup it writes. The markup is the
macro's, and tests/goals/test_progress.py checks it against the macro written as a template.
"""
from markupsafe import Markup, escape

from app.i18n import _gettext as _  # named `_` so the catalogue's extractor finds the texts
from app.i18n import translations
from app.template_codegen import called_directly


def ngettext(singular, plural, num):
    """The plural text in the viewer's language (named for the catalogue's extractor)."""
    return translations().ungettext(singular, plural, num)


@called_directly
class Progress:
    def __call__(self, done, total):
        """A goal's steps done out of all its steps."""
        if not total:
            return Markup(f'<div class="progress">\n  <span class="progress__text muted">{_("No steps yet")}</span>\n'
                          '</div>')
        # Catalogue texts are markup, as in templates; the numbers go through Markup's formatting.
        words = Markup(ngettext("%(done)d of %(num)d step done", "%(done)d of %(num)d steps done", total)) % {
            "done": done, "num": total}
        done_text, total_text = escape(done), escape(total)
        return Markup(f'<div class="progress">\n  <progress max="{total_text}" value="{done_text}" '
                      f'aria-label="{_("Progress")}">{done_text}/{total_text}</progress>\n'
                      f'  <span class="progress__text">{words}</span>\n</div>')

    def of_steps(self, steps):
        """A goal's progress from its steps: those done out of all of them."""
        return self(sum(1 for step in steps if step.done_at), len(steps))


progress = Progress()
