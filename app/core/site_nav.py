"""The site navigation, written once per language, role and page, and kept.

Every signed-in page carries the navigation: about ten links, each built by
`url_for`, and a test of the page's endpoint for each, to mark the page the
person is on (`aria-current`). What it writes depends only on the language,
where the app is mounted, the person's role and the page's endpoint, never on
whose page it is, so it is written once for each of those and kept. Only the
sign-out form's token, which belongs to the browser's session, is put in on
every page. The memory is bounded and holds no one's data.
"""
from flask import current_app, request
from markupsafe import Markup, escape

from app import per_request
from app.i18n import translations
from app.template_codegen import called_directly

TEMPLATE = "core/site_nav.html"
# Written where the token goes while the navigation is made, then split on: no link or label holds it.
_TOKEN_STAND_IN = "tandem-site-nav-form-token"
# Languages in use times three roles times the endpoints a page can have: far below this.
MAX_KEPT = 1024


@called_directly  # templates call it without Jinja's Context.call
class SiteNav:
    """One per app (app/core/templating.py), as the links it keeps are that app's."""

    def __init__(self):
        self._kept = {}  # (catalogue id, mount point, role, endpoint) -> (catalogue, before token, after)

    def __call__(self, role, endpoint, form_token):
        endpoint = endpoint or ""
        catalogue = translations()
        state = per_request.current()
        script_root = state.script_root if state is not None else request.script_root
        key = (id(catalogue), script_root, role, endpoint)
        kept = self._kept.get(key)
        if kept is None or kept[0] is not catalogue:
            kept = self._write(key, catalogue, role, endpoint)
        return Markup(kept[1] + str(escape(form_token)) + kept[2])

    def _write(self, key, catalogue, role, endpoint):
        written = current_app.jinja_env.get_template(TEMPLATE).render(
            role=role, endpoint=endpoint, form_token=_TOKEN_STAND_IN)
        before, after = written.split(_TOKEN_STAND_IN)  # exactly once, or this fails loudly
        kept = (catalogue, before, after)
        if len(self._kept) >= MAX_KEPT:
            self._kept.clear()
        self._kept[key] = kept
        return kept
