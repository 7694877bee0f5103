"""`url_for` for templates, with the URL shapes remembered.

A page builds 20 to 70 links, and Flask's url_for walks the URL map for each.
Most links are an endpoint with integer ids (`/goals/12/steps/40/toggle`,
`/meetings?page=2`) or none at all, so the URL is built once per endpoint with
marker numbers in place of the ids, and later calls only put the ids in.
Anything else (text arguments, relative endpoints, `_anchor` and the like)
goes to Flask's url_for as usual.
"""
import threading

from flask import request
from flask import url_for as flask_url_for

from app import per_request

# Numbers no real id reaches, used only to find where each id goes in the built URL.
_MARKER_BASE = 987_654_321_000


def _script_root():
    state = per_request.current()
    return state.script_root if state is not None else request.script_root


class RememberingUrlFor:
    def __init__(self):
        self._shapes = {}
        self._lock = threading.Lock()

    def __call__(self, endpoint, **values):
        if endpoint.startswith(".") or not all(type(value) is int and value >= 0 for value in values.values()):
            if endpoint == "static" and list(values) == ["filename"]:
                return self._static(values["filename"])
            return flask_url_for(endpoint, **values)
        names = tuple(sorted(values))
        key = (_script_root(), endpoint, names)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._learn(key, endpoint, names)
        if shape is False:
            return flask_url_for(endpoint, **values)
        parts, order = shape
        if not order:
            return parts[0]
        pieces = [parts[0]]
        for name, part in zip(order, parts[1:]):
            pieces.append(str(values[name]))
            pieces.append(part)
        return "".join(pieces)

    def _static(self, filename):
        key = (_script_root(), "static", filename)
        url = self._shapes.get(key)
        if url is None:
            url = flask_url_for("static", filename=filename)
            with self._lock:
                self._shapes[key] = url
        return url

    def _learn(self, key, endpoint, names):
        """Build the URL once with marker numbers; remember the text between them (or False if the
        markers do not each appear exactly once)."""
        markers = {name: _MARKER_BASE + index for index, name in enumerate(names)}
        url = flask_url_for(endpoint, **markers)
        found = sorted((url.find(str(marker)), name) for name, marker in markers.items())
        shape = False
        if all(position >= 0 and url.count(str(markers[name])) == 1 for position, name in found):
            parts, order, cursor = [], [], 0
            for position, name in found:
                parts.append(url[cursor:position])
                order.append(name)
                cursor = position + len(str(markers[name]))
            parts.append(url[cursor:])
            shape = (parts, tuple(order))
        with self._lock:
            self._shapes[key] = shape
        return shape
