"""Every route is either on the public allowlist or refused to people who are not signed in.

SECURITY.md item 11: a new route that is neither makes these tests fail.
"""
from urllib.parse import parse_qs, urlparse

import pytest

from tests.core.routes import (
    PUBLIC_ENDPOINTS,
    UnknownArgument,
    app_rules,
    app_without_pushed_context,
    is_htmx_sent_to_login,
    is_public,
    is_sent_to_login,
    redirect_path,
    rule_methods,
    rule_urls,
    sample_values,
)


def _refusal_problem(client, method, url):
    """None when an anonymous request to the URL is refused, else what went wrong."""
    response = client.open(url, method=method)
    status = response.status_code
    refused = is_sent_to_login(response) or status == 404 or (method != "GET" and status == 400)
    if not refused:
        return f"{method} {url} answered {status} {redirect_path(response) or ''}".rstrip()
    if method == "GET":
        # The same URL asked by htmx (a fragment) must not leak either.
        htmx = client.open(url, method=method, headers={"HX-Request": "true"})
        if not (is_htmx_sent_to_login(htmx) or htmx.status_code == 404):
            return f"{method} {url} with HX-Request answered {htmx.status_code}"
    return None


def unguarded_routes(app, values):
    """Routes that are not on the allowlist and that an anonymous visitor can use."""
    client = app.test_client()
    problems = []
    for rule in app_rules(app):
        if is_public(rule):
            continue
        try:
            urls = rule_urls(rule, values)
        except UnknownArgument as error:
            problems.append(str(error))
            continue
        for url, _ in urls:
            for method in rule_methods(rule):
                problem = _refusal_problem(client, method, url)
                if problem:
                    problems.append(
                        f"{rule.endpoint}: {problem}. Either protect it (login_required and policy checks) "
                        f"or, if anyone may use it, add it to PUBLIC_ENDPOINTS in tests/core/routes.py with a reason."
                    )
    return problems


@pytest.fixture
def app(app_factory):
    return app_without_pushed_context(app_factory)


@pytest.fixture
def values(personas):
    return sample_values(personas)


def test_every_route_is_public_or_refused_to_anonymous_visitors(app, values):
    problems = unguarded_routes(app, values)
    assert not problems, "\n".join(problems)


def test_the_route_check_covers_routes_with_arguments_and_every_method(app, values):
    checked = {(rule.endpoint, method) for rule in app_rules(app) if not is_public(rule) for method in rule_methods(rule)}
    # Routes with ids, a GET+POST route, and POST-only routes are all part of the check.
    assert ("people.show_person", "GET") in checked
    assert ("people.deactivate_person", "POST") in checked
    assert ("matches.change_status", "GET") in checked
    assert ("matches.resume_match", "POST") in checked
    assert ("account.update_profile", "POST") in checked
    urls = [url for rule in app_rules(app) if rule.endpoint == "matches.change_status" for url, _ in rule_urls(rule, values)]
    assert sorted(urls) == [f"/matches/{values['match_id']}/close", f"/matches/{values['match_id']}/pause"]


def _new_problems(app_factory, values, add_route):
    """What the check reports about an app with one extra route, beyond what it reports without it."""
    before = unguarded_routes(app_factory(), values)
    app = app_factory()
    add_route(app)
    return [problem for problem in unguarded_routes(app, values) if problem not in before]


def test_a_new_unprotected_route_makes_the_check_fail(app_factory, personas, values):
    def add_route(app):
        app.add_url_rule("/example/funders-report", "example.funders_report", lambda: "every mentee's mood")

    problems = _new_problems(app_factory, values, add_route)
    assert len(problems) == 1
    assert "example.funders_report: GET /example/funders-report answered 200" in problems[0]
    assert "PUBLIC_ENDPOINTS" in problems[0]


def test_a_new_route_with_an_unknown_argument_fails_with_a_clear_message(app_factory, personas, values):
    def add_route(app):
        app.add_url_rule("/example/widgets/<int:widget_id>", "example.show_widget", lambda widget_id: "a widget")

    assert _new_problems(app_factory, values, add_route) == [
        "/example/widgets/<int:widget_id> (example.show_widget) takes widget_id: add a real sample value for it "
        "to SAMPLE_FACTORIES in tests/core/routes.py"
    ]


def test_every_public_endpoint_on_the_allowlist_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    stale = sorted(set(PUBLIC_ENDPOINTS) - endpoints)
    assert not stale, f"remove these from PUBLIC_ENDPOINTS, no route has them any more: {stale}"


@pytest.mark.parametrize(
    "url, expected_status, expected_location",
    [
        ("/", 302, "/login"),
        ("/help", 200, None),
        ("/healthz", 200, None),
        ("/login", 200, None),
        ("/forgot", 200, None),
        ("/invite/not-a-real-token", 404, None),
        ("/reset/not-a-real-token", 404, None),
    ],
)
def test_public_pages_answer_anonymous_visitors(client, url, expected_status, expected_location):
    response = client.get(url)
    assert response.status_code == expected_status
    assert redirect_path(response) == expected_location


def test_signing_out_without_being_signed_in_just_leads_to_the_sign_in_page(client):
    response = client.post("/logout")
    assert response.status_code == 303
    assert is_sent_to_login(response)


def test_an_anonymous_visitor_sent_to_sign_in_comes_back_to_the_page_they_asked_for(client, personas):
    response = client.get(f"/people/{personas.mentee_a.id}")
    assert is_sent_to_login(response)
    assert parse_qs(urlparse(response.headers["Location"]).query)["next"] == [f"/people/{personas.mentee_a.id}"]


def test_an_anonymous_htmx_request_gets_401_with_a_redirect_to_sign_in(client):
    response = client.get("/people", headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/people?q=ada"})
    assert response.status_code == 401
    location = urlparse(response.headers["HX-Redirect"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/people?q=ada"]
    assert "Ada" not in response.text
