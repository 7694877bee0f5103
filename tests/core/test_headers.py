"""Security headers, cookies, no inline script or style, and friendly error pages.

SECURITY.md items 10, 17, 18 and 19.
"""
import re

import pytest

from tests.conftest import login
from tests.core.routes import app_rules, app_without_pushed_context, known_rule_urls, rule_methods, sample_values

SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture
def app(app_factory):
    return app_without_pushed_context(app_factory)


def csp_directives(response):
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return header, directives


def assert_security_headers(response, label):
    header, csp = csp_directives(response)
    assert header, f"{label}: no Content-Security-Policy"
    assert csp.get("default-src") == ["'self'"], f"{label}: {header}"
    assert csp.get("script-src") == ["'self'"], f"{label}: {header}"
    assert csp.get("object-src") == ["'none'"], f"{label}: {header}"
    assert csp.get("base-uri") == ["'none'"], f"{label}: {header}"
    assert csp.get("frame-ancestors") == ["'none'"], f"{label}: {header}"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, f"{label}: {header}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", label
    assert response.headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES, label


@pytest.fixture
def coordinator_client(login_as):
    return login_as("coordinator")


def test_pages_for_anonymous_visitors_carry_the_security_headers(client):
    for url, status in [("/login", 200), ("/help", 200), ("/forgot", 200), ("/", 302), ("/healthz", 200),
                        ("/no-such-page", 404), ("/static/css/tandem.css", 200)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_security_headers(response, url)
    response = client.get("/logout")
    assert response.status_code == 405
    assert_security_headers(response, "GET /logout")


def test_signed_in_pages_carry_the_security_headers_and_are_never_cached(coordinator_client, personas):
    for url in ["/home", "/account", "/people", f"/people/{personas.mentee_a.id}", "/matches", "/audit", "/help",
                "/no-such-page"]:
        response = coordinator_client.get(url)
        assert_security_headers(response, url)
        assert "no-store" in response.headers.get("Cache-Control", ""), url
    fragment = coordinator_client.get("/people", headers={"HX-Request": "true"})
    assert "no-store" in fragment.headers.get("Cache-Control", "")


def test_the_signed_in_home_of_every_role_is_never_cached(login_as):
    for persona in ("mentee_a", "mentor_a", "coordinator"):
        response = login_as(persona).get("/home")
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"], persona


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/tandem.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "max-age" in response.headers.get("Cache-Control", "")


def _session_cookie(response):
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("tandem_session=")]
    assert cookies, "the response sets no session cookie"
    return [attribute.strip().lower() for attribute in cookies[-1].split(";")]


def test_over_plain_http_there_is_no_hsts_and_the_cookie_is_httponly_and_lax(client, personas):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    attributes = _session_cookie(login(client, personas.mentee_a))
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes


def test_under_https_there_is_hsts_and_the_session_cookie_is_secure(app_factory, personas):
    app = app_factory(BASE_URL="https://tandem.example.org")
    client = app.test_client()
    hsts = client.get("/login").headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age and int(max_age.group(1)) >= ONE_YEAR
    response = login(client, personas.mentee_a)
    assert response.status_code == 303
    assert "Strict-Transport-Security" in response.headers
    attributes = _session_cookie(response)
    assert "secure" in attributes
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


# No inline script or style: the CSP forbids them, so they would silently not work.

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
INLINE_PROBLEMS = [
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE), "a style= attribute"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE), "an inline event handler (on...=)"),
    (re.compile(r"<[a-z][^>]*\shx-on", re.IGNORECASE), "hx-on (needs eval)"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def inline_code_problems(html):
    problems = []
    for attributes, body in SCRIPT.findall(html):
        if "src=" not in attributes:
            problems.append(f"a <script> without src: <script{attributes}>")
        if body.strip():
            problems.append(f"a <script> with a body: {body.strip()[:60]!r}")
    for pattern, what in INLINE_PROBLEMS:
        found = pattern.search(html)
        if found:
            problems.append(f"{what}: {found.group(0)[:80]!r}")
    return problems


def test_the_inline_code_check_finds_inline_script_and_style():
    assert inline_code_problems('<script src="/static/x.js" defer></script><p class="a">ok</p>') == []
    assert len(inline_code_problems("<script>alert(1)</script>")) == 2
    assert inline_code_problems('<div style="color: red">') == ["a style= attribute: '<div style='"]
    assert inline_code_problems("<style>p{}</style>")[0].startswith("a <style> element")
    assert inline_code_problems('<button onclick="go()">')[0].startswith("an inline event handler")
    assert inline_code_problems('<form hx-on:htmx:after:swap="x">')[0].startswith("hx-on")


def _html_pages(client, urls, headers=None):
    for url in urls:
        response = client.get(url, headers=headers or {})
        if response.mimetype == "text/html":
            yield url, response


def test_no_page_has_inline_script_or_style(app, personas, login_as):
    """Every GET route as a mentee, a mentor and the coordinator (pages and htmx fragments)."""
    values = sample_values(personas)
    urls = [url for rule in app_rules(app) if "GET" in rule_methods(rule) for url, _ in known_rule_urls(rule, values)]
    urls += ["/no-such-page"]
    checked = []
    problems = []
    for persona in ("anonymous", "mentee_a", "mentor_a", "coordinator"):
        client = login_as(persona)
        for headers in ({}, {"HX-Request": "true"}):
            for url, response in _html_pages(client, urls, headers):
                checked.append(url)
                problems += [f"{persona} {url}: {problem}" for problem in inline_code_problems(response.text)]
    assert len(checked) >= 60
    assert not problems, "\n".join(problems)


def test_every_page_loads_its_scripts_from_our_own_static_files(client):
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', client.get("/login").text)
    assert scripts, "no script at all"
    assert all(src.startswith("/static/") for src in scripts), scripts
    assert any(re.search(r"/static/vendor/htmx-[\d.]+(\.min)?\.js", src) for src in scripts), scripts


# Friendly errors, never a stack trace.

def assert_friendly(response, status, words):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert words in response.text
    assert "Get help now" in response.text
    for leak in ("Traceback", 'File "', "werkzeug", "Werkzeug Debugger"):
        assert leak not in response.text, leak


def test_an_unknown_address_gets_a_friendly_404_page(client):
    assert_friendly(client.get("/surely/not/here"), 404, "Page not found")


def test_a_post_bigger_than_the_limit_gets_a_friendly_413_page(app, client, login_as):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 10 * 1024 * 1024
    too_big = "x" * (limit + 1)
    assert_friendly(client.post("/login", data={"email": too_big, "password": "x"}), 413, "too much to send")

    signed_in = login_as("mentee_a")
    response = signed_in.post("/account/profile", data={"name": too_big, "timezone": "UTC", "locale": "en"})
    assert_friendly(response, 413, "too much to send")


def test_a_post_just_under_the_limit_is_not_refused_as_too_large(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/forgot", data={"email": "x" * (limit - 1024)})
    assert response.status_code == 422


def test_an_error_in_a_view_gets_a_friendly_500_page_without_a_traceback(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False, TESTING=False)
    assert not app.debug

    def broken_view():
        raise RuntimeError("secret detail: Ada's journal says hello")

    app.add_url_rule("/broken", "broken", broken_view)
    response = app.test_client().get("/broken")
    assert_friendly(response, 500, "Something went wrong on our side")
    assert "secret detail" not in response.text
    assert "RuntimeError" not in response.text
    assert_security_headers(response, "500 page")
