"""`url_for` for templates, with the URL shapes remembered.

A page builds 20 to 70 links, and Flask's url_for walks the URL map for each.
Most links are an endpoint with integer ids (`/goals/12/steps/40/toggle`,
`/meetings?page=2`), plain words (`?status=paused`, `?role=mentee`) or nothing
at all, so the URL is built once per endpoint and argument names, with markers
in place of the values, and later calls only put the values in. A link with
numbers only becomes a format string (`/goals/{goal_id}`), found by endpoint
and argument names before anything else is looked at. A word is taken
only when URLs never encode it (letters, digits, `_`, `.`, `-`) and gets a word
marker. A rule that refuses the marker (`<any(pause, close):action>`, or a
number rule given text) is learned word by word, with the word built in; a word
the rule refuses goes to Flask, which says why. Anything else (other text,
relative endpoints, `_anchor` and the like) goes to Flask's url_for as usual.
"""
import re
import threading

from flask import request
from flask import url_for as flask_url_for
from werkzeug.routing import BuildError

from app import per_request
from app.template_codegen import called_directly

# Numbers no real id reaches, and a word no link uses, only to find where each value goes in the built URL.
_MARKER_BASE = 987_654_321_000
_WORD_MARKER = "tandemwordmarker"
_plain_word = re.compile(r"[A-Za-z0-9_.-]{1,40}\Z").match
# Shapes come from the templates' links; words of `any` rules add one per word. The bound only keeps a
# link that passes free input as a word (digits to a number rule, say) from growing the table.
MAX_REMEMBERED = 2048
_EACH_WORD = "each word"


@called_directly  # templates call it without Jinja's Context.call
class RememberingUrlFor:
    def __init__(self):
        self._shapes = {}
        # The links with numbers only (or nothing) as a format string, e.g. "/goals/{goal_id}/steps":
        # the usual link is then a dict lookup and a format.
        self._number_links = {}
        self._lock = threading.Lock()

    def __call__(self, endpoint, **values):
        state = per_request.current()
        script_root = state.script_root if state is not None else request.script_root
        link = self._number_links.get((script_root, endpoint, *values))
        if link is not None:
            for value in values.values():
                if type(value) is not int or value < 0:
                    break
            else:
                return link.format_map(values)
        return self._build(script_root, endpoint, values)

    def _build(self, script_root, endpoint, values):
        if endpoint.startswith(".") or endpoint == "static":
            if endpoint == "static" and list(values) == ["filename"]:
                return self._static(script_root, values["filename"])
            return flask_url_for(endpoint, **values)
        shape_key = [script_root, endpoint]
        for name, value in values.items():
            kind = type(value)
            if kind is int and value >= 0:
                shape_key.append(name)
            elif kind is str and _plain_word(value) and not name.startswith("_"):
                shape_key.append((name,))  # a word, in a tuple to tell it from a number
            else:
                return flask_url_for(endpoint, **values)
        key = tuple(shape_key)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._learn(key, endpoint, key[2:])
        if shape is _EACH_WORD:
            # The rule takes only certain words (`<any(pause, close):action>`): a shape per word.
            arguments = key[2:]
            key += tuple(values[argument[0]] for argument in arguments if type(argument) is tuple)
            shape = self._shapes.get(key)
            if shape is None:
                shape = self._learn(key, endpoint, arguments, words=values)
        if shape is False:
            return flask_url_for(endpoint, **values)
        parts, order = shape
        if all(type(argument) is str for argument in key[2:]):
            self._remember_number_link(key, parts, order)
        if not order:
            return parts[0]
        pieces = [parts[0]]
        for name, part in zip(order, parts[1:]):
            pieces.append(str(values[name]))
            pieces.append(part)
        return "".join(pieces)

    def _static(self, script_root, filename):
        key = (script_root, "static", filename)
        url = self._shapes.get(key)
        if url is None:
            url = self._remember(key, flask_url_for("static", filename=filename))
        return url

    def _learn(self, key, endpoint, arguments, words=None):
        """Build the URL once with markers and remember the text between them; with `words`, the
        words are built in as they are and only the numbers get markers. False when the markers do
        not each appear exactly once, or Flask's own url_for is needed every time."""
        markers, given = {}, {}
        for index, argument in enumerate(arguments):
            if type(argument) is tuple:
                if words is None:
                    markers[argument[0]] = f"{_WORD_MARKER}{index}x"
                else:
                    given[argument[0]] = words[argument[0]]
            else:
                markers[argument] = _MARKER_BASE + index
        try:
            url = flask_url_for(endpoint, **markers, **given)
        except (BuildError, ValueError, TypeError):
            # A rule that refuses a word marker may take the real words; one that refuses the real
            # words is left to Flask, which says why, and nothing is remembered.
            if words is None and any(type(argument) is tuple for argument in arguments):
                return self._remember(key, _EACH_WORD)
            return False
        shape = False
        found = sorted((url.find(str(marker)), name) for name, marker in markers.items())
        if all(position >= 0 and url.count(str(markers[name])) == 1 for position, name in found):
            parts, order, cursor = [], [], 0
            for position, name in found:
                parts.append(url[cursor:position])
                order.append(name)
                cursor = position + len(str(markers[name]))
            parts.append(url[cursor:])
            shape = (parts, tuple(order))
        return self._remember(key, shape)

    def _remember_number_link(self, key, parts, order):
        def literal(text):
            return text.replace("{", "{{").replace("}", "}}")

        link = literal(parts[0]) + "".join(f"{{{name}}}{literal(part)}" for name, part in zip(order, parts[1:]))
        with self._lock:
            if len(self._number_links) < MAX_REMEMBERED:
                self._number_links[key] = link

    def _remember(self, key, shape):
        with self._lock:
            if len(self._shapes) < MAX_REMEMBERED:
                self._shapes[key] = shape
        return shape
