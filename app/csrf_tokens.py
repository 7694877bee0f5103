"""A session's signed form token, remembered by the worker instead of signed on every page.

Every signed-in page carries the form token (the htmx meta tag, its forms). flask-wtf keeps a
random raw token in the session and signs it (itsdangerous: a serializer, an HMAC, base64) once
per request. With `WTF_CSRF_TIME_LIMIT` set to None the signed token has no expiry of its own:
one signed for a raw token stays valid for as long as the session holds that raw token. So the
worker remembers the last one it signed for each raw token and hands it to flask-wtf (through
`g`, where flask-wtf keeps it for the request) when a later page of the same session is read.

- Only pages that are read (GET, HEAD) start from a remembered token. Signing in and out are
  POSTs that replace the session, so a request that changes the raw token never sees one.
- A token is remembered only for the raw token in the session when the page was done.
- The memory is bounded, and holds only what that browser's own pages already carry.

Templates call `csrf_token()` once per form; within a request the token is the same each time
(flask-wtf keeps it on `g`), so the `csrf_token` templates get (app/core/templating.py) hands back
the first answer from the request state instead of asking flask-wtf (config, session and `g`
lookups) again. A remembered token goes on the request state too, where a page's first
`csrf_token()` finds it without asking flask-wtf at all.
"""
from flask import g, request, session
from flask_wtf.csrf import generate_csrf

from app import per_request

_METHODS_THAT_READ = frozenset({"GET", "HEAD"})
_MAX_REMEMBERED = 4096


def csrf_token():
    """flask-wtf's `generate_csrf()`, asked once per request."""
    state = per_request.current()
    if state is None:
        return generate_csrf()
    token = state.form_token
    if token is None:
        token = state.form_token = generate_csrf()
    return token


class SignedTokens:
    def __init__(self, app=None):
        self._signed = {}
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        if app.config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None:
            return  # signed tokens would expire: each page signs its own, as flask-wtf does
        self._field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        app.before_request(self._reuse)
        app.after_request(self._remember)

    @staticmethod
    def _reads_a_page():
        page_request = request._get_current_object()  # one proxy lookup for both attributes
        return page_request.method in _METHODS_THAT_READ and page_request.endpoint != "static"

    def _reuse(self):
        # `in` leaves the session unmarked, so a request without a token sends no `Vary: Cookie`;
        # `get` marks it, as the page now depends on the cookie.
        browser_session = session._get_current_object()
        if self._field in browser_session and self._reads_a_page():
            signed = self._signed.get(browser_session.get(self._field))
            if signed is not None:
                setattr(g, self._field, signed)  # where flask-wtf's forms find it
                state = per_request.current()
                if state is not None:
                    state.form_token = signed  # what generate_csrf() would now answer

    def _remember(self, response):
        signed = g.get(self._field)
        if signed is not None and self._reads_a_page():
            raw = session.get(self._field)
            if raw is not None and raw not in self._signed:
                if len(self._signed) >= _MAX_REMEMBERED:
                    self._signed.clear()
                self._signed[raw] = signed
        return response
