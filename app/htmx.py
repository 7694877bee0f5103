"""Full page or fragment: one URL serves both, and one helper decides.

A plain request, a boosted request or an htmx history restore gets the
whole page; any other htmx request gets just the fragment. Responses vary
on HX-Request so no cache mixes the two up.
"""
from flask import make_response, render_template, request


def is_htmx():
    return request.headers.get("HX-Request") == "true"


def wants_fragment():
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(page_template, fragment_template=None, status_code=200, **context):
    """Render the page, or only the fragment when htmx asked for a part of the page."""
    template = fragment_template if (fragment_template and wants_fragment()) else page_template
    response = make_response(render_template(template, **context), status_code)
    response.vary.add("HX-Request")
    return response
