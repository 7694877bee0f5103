"""The signed-in person of the request, asked of flask-login once.

flask-login's `current_user` is a context proxy: each attribute read goes through
Werkzeug's proxy (a failed lookup that builds an AttributeError first), then
flask-login's check of `g`, about 4 microseconds every time, and a page reads it
a dozen times (the sign-in check, the locale and time zone, the view, the
policy, the templates). `current_person()` asks once and keeps the person on the
request state (app/per_request.py), which ends with the request. Signing in or
out within a request forgets it, so the next read sees the new person.

`login_required` is flask-login's decorator reading the person the same way.
Flask answers OPTIONS requests before any view runs, and Tandem never sets
`LOGIN_DISABLED`, so neither of the decorator's exemptions applies here.
"""
import functools

from flask import current_app
from flask_login import current_user, user_logged_in, user_logged_out

from app import per_request


def current_person():
    """The signed-in person, or flask-login's anonymous user."""
    state = per_request.current()
    if state is None:
        return current_user._get_current_object()
    person = state.person
    if person is None:
        person = state.person = current_user._get_current_object()
    return person


def login_required(view):
    """Send a signed-out visitor to the sign-in page (flask-login's `unauthorized`)."""

    @functools.wraps(view)
    def signed_in_view(*args, **kwargs):
        if not current_person().is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return signed_in_view


def _forget(_sender, **_extra):
    state = per_request.current()
    if state is not None:
        state.person = None


user_logged_in.connect(_forget)
user_logged_out.connect(_forget)
