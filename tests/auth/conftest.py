"""Helpers shared by the account, session and authentication tests."""
import re

import pytest

SESSION_COOKIE = "tandem_session"


def is_signed_in(client):
    """True when the client reaches a signed-in page; False when it is sent to the sign-in page."""
    response = client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 303), response.status_code
    assert response.headers["Location"].startswith("/login"), response.headers["Location"]
    return False


def session_cookie(client):
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None, "the client has no session cookie"
    return cookie.value


def client_with_cookie(app, value):
    """A fresh browser that replays a copied session cookie."""
    client = app.test_client()
    client.set_cookie(SESSION_COOKIE, value)
    return client


def audit_actions(**where):
    """The actions of audit events (oldest first), optionally filtered by field values."""
    from app.audit import AuditEvent

    query = AuditEvent.select().order_by(AuditEvent.id)
    for field, value in where.items():
        query = query.where(getattr(AuditEvent, field) == value)
    return [event.action for event in query]


def audit_events(action):
    from app.audit import AuditEvent

    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


_CSRF_VALUES = re.compile(
    r'((?:name="csrf-token" content=|name="csrf_token" type="hidden" value=|type="hidden" name="csrf_token" value=|'
    r'"X-CSRFToken": )")[^"]*')


def without_csrf(html):
    """The page with its CSRF tokens (signed with a timestamp) blanked, for comparing pages."""
    return _CSRF_VALUES.sub(r"\1", html)


TOKEN_LINK = re.compile(r"http://localhost/(invite|reset)/([A-Za-z0-9_\-]+)")


def link_in(text, kind):
    """The (path, token) of the first invitation or reset link in a page or mail."""
    for match in TOKEN_LINK.finditer(text):
        if match.group(1) == kind:
            return f"/{kind}/{match.group(2)}", match.group(2)
    raise AssertionError(f"no {kind} link in:\n{text}")


@pytest.fixture
def mail_app(app_factory, smtp_server):
    """A second app on the same database that sends mail to the local SMTP server."""
    return app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
