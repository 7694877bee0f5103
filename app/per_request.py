"""Values worked out once per request and read many times while a page renders.

A page asks for its catalogue, locale and time zone a hundred times or more
(every label, every date), and for the signed-in person a dozen times.
Reading them from `flask.g` goes through Werkzeug's context proxies each
time; here they sit on a small object held in a context variable for the
duration of the request: set when the request starts, cleared when it ends,
so nothing outlives it. Outside a request (command-line tasks, mail sent from
a job) `current()` is None and callers use `g`.
"""
from contextvars import ContextVar

from flask import request

_current = ContextVar("tandem_request_state", default=None)


class RequestState:
    __slots__ = ("translations", "formatting", "script_root", "form_token", "person")

    def __init__(self, script_root):
        self.person = None  # the signed-in person, once asked (app/current_person.py)
        self.translations = None
        self.formatting = None
        self.script_root = script_root
        self.form_token = None


# This request's state, or None outside a request: the context variable's own `get`, so the
# hundred or so calls a page makes are C calls, not Python ones.
current = _current.get


def init_app(app):
    @app.before_request
    def _begin():
        _current.set(RequestState(request.script_root))

    @app.teardown_request
    def _end(exc):
        _current.set(None)
