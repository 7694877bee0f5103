"""Signed session cookies, verified once per worker instead of on every request.

Every signed-in page starts by reading the session cookie: base64, an HMAC and Flask's tagged
JSON, about 20 µs a request. A session's cookie stays the same from one page to the next (it is
written again only when the session changes, since SESSION_REFRESH_EACH_REQUEST is off), so the
worker keeps what the cookies it verified last held:

- keyed by the whole cookie text, signature included: a cookie that differs in one character is
  verified afresh, and one that fails is never kept;
- with the time it was signed, so a kept cookie's age is still checked on every request, as
  Flask's own check does (PERMANENT_SESSION_LIFETIME);
- only for cookies that hold plain values (text, numbers, flags), and each request gets its own
  session built from them, so nothing a request changes reaches another;
- bounded, and holding only what those browsers send with every request anyway.

What a kept cookie gives is what verifying it again would give; the session row in the database
still decides on every request whether the session is alive (app/auth/sessions.py).
"""
import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

_PLAIN = (str, int, float, bool, type(None))
_MAX_REMEMBERED = 4096


class RememberingSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._verified = {}  # cookie text -> (session data, signed at: seconds since the epoch)

    def open_session(self, app, request):
        if not app.secret_key:
            return None  # as Flask: no sessions without a key
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        remembered = self._verified.get(cookie)
        if remembered is not None:
            data, signed_at = remembered
            if 0 <= int(time.time()) - signed_at <= max_age:  # itsdangerous' own test of age
                return self.session_class(data)
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if type(data) is dict and all(type(value) in _PLAIN for value in data.values()):
            if len(self._verified) >= _MAX_REMEMBERED:
                self._verified.clear()
            self._verified[cookie] = (dict(data), int(signed.timestamp()))
        return self.session_class(data)
