"""Templates compiled once per language, with their fixed texts already translated.

A page has 15 to 40 labels like `{{ _('Steps') }}` and as many texts with
values like `{{ _('due %(date)s', date=...) }}`. Called at render time, each
goes through Jinja's call machinery, a catalogue lookup and Markup formatting
(about 5 microseconds, a sixth of a typical page). The catalogue does not change
while the app runs, so each language gets its own copy of the template
environment (a Jinja overlay sharing loader, globals and filters), and its
templates are compiled with `_('text')` replaced by the translated text:

- with no values, the text becomes part of the template like any other text;
- with values, it becomes `translated % {name: value}`, which escapes the values
  in HTML exactly as the runtime `_` does;
- with values, when the call is all of a `{{ ... }}` and the text only has plain
  `%(name)s` and `%(name)d` places, it becomes template text with each value output
  in its place, so the value is escaped like any other output and the text is not
  formatted at render time (a `%(name)d` value still goes through int(), as Markup's
  formatting does).

Both keep Jinja's newstyle gettext rules (the text is always %-formatted; it is
Markup when autoescaping is on). Anything else (plurals, contexts, a text that is
not a literal, a template that rebinds `_`) keeps the runtime callables in
app.i18n. Outside a request (command-line tasks) templates render as before.
"""
import re

from jinja2 import Environment, nodes, pass_eval_context
from jinja2.visitor import NodeTransformer
from flask.templating import Environment as FlaskEnvironment

from app import per_request
from app.i18n import translations
from app.template_codegen import PageCodeGenerator, PageContext, PageTemplate

GETTEXT_NAMES = frozenset({"_", "gettext"})
# What newstyle gettext formatting can meet in a text: `%(name)s`, `%(name)d`, `%%`, or anything else.
_PLACE = re.compile(r"%\((\w+)\)([sd])|%%|%")
_WHOLE_NUMBER = "_gettext_whole_number"
MAX_READY_TEMPLATES = 1000  # far more than the app has: only a guard


@pass_eval_context
def _whole_number(eval_ctx, value):
    """A `%(name)d` value as the runtime `_` writes it: `Markup(text) % values` takes int() of it
    first when autoescaping, `text % values` does not."""
    return "%d" % (int(value) if eval_ctx.autoescape else value)


def _literal_gettext(node):
    """True for `_('literal text', name=value, ...)` and `gettext(...)` alike."""
    callee = node.node
    return (isinstance(callee, nodes.Name) and callee.name in GETTEXT_NAMES and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str)
            and node.dyn_args is None and node.dyn_kwargs is None)


class _TranslateLiterals(NodeTransformer):
    def __init__(self, catalogue):
        self.catalogue = catalogue

    def visit_Output(self, node):
        """`{{ _('Mark %(step)s as done', step=step.title) }}` becomes the translated text with
        `{{ step.title }}` in its place."""
        parts = []
        for child in node.nodes:
            pieces = None
            if isinstance(child, nodes.Call) and child.kwargs and _literal_gettext(child):
                pieces = self._interleaved(child)
            parts.extend(pieces if pieces is not None else [self.visit(child)])
        node.nodes = parts
        return node

    def _interleaved(self, call):
        """The translated text split into template text and values, or None when it needs real
        %-formatting (another conversion or flag, a lone %, a name no value is given for)."""
        given = {keyword.key: keyword.value for keyword in call.kwargs}
        text = self.catalogue.ugettext(call.args[0].value)
        pieces, cursor = [], 0
        for place in _PLACE.finditer(text):
            name = place.group(1)
            if place.group(0) != "%%" and name not in given:
                return None
            pieces.append(text[cursor:place.start()] + ("%" if name is None else ""))
            if name is not None:
                value = self.visit(given[name])
                if place.group(2) == "d":
                    value = nodes.Filter(value, _WHOLE_NUMBER, [], [], None, None, lineno=call.lineno)
                pieces.append(value)
            cursor = place.end()
        pieces.append(text[cursor:])
        return [nodes.TemplateData(piece, lineno=call.lineno) if isinstance(piece, str) else piece
                for piece in pieces if piece != ""]

    def visit_Call(self, node):
        node = self.generic_visit(node)
        if not _literal_gettext(node):
            return node
        text = self.catalogue.ugettext(node.args[0].value)
        if node.kwargs:
            values = nodes.Dict([nodes.Pair(nodes.Const(keyword.key), keyword.value) for keyword in node.kwargs])
            return nodes.Mod(nodes.MarkSafeIfAutoescape(nodes.Const(text)), values, lineno=node.lineno)
        try:
            text = text % {}  # newstyle gettext formats even without values ("100%%" -> "100%")
        except (KeyError, ValueError, TypeError):
            return node  # a malformed text fails at render time, as it did before
        return nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=node.lineno)


def _rebinds_gettext(template):
    return any(name.name in GETTEXT_NAMES and name.ctx != "load" for name in template.find_all(nodes.Name))


class _TranslatingCodeGenerator(PageCodeGenerator):
    def visit_Template(self, node, frame=None):
        catalogue = getattr(self.environment, "catalogue", None)
        if catalogue is not None and not _rebinds_gettext(node):
            node = _TranslateLiterals(catalogue).visit(node)
        super().visit_Template(node, frame)


def _cache_size(cache):
    """The `cache_size` that makes a cache like this one (Jinja's LRU, a plain dict, or none)."""
    if cache is None:
        return 0
    return getattr(cache, "capacity", -1)


class LanguageEnvironment(FlaskEnvironment):
    """The app's Jinja environment: in a request, templates come from the viewer's language's overlay."""

    code_generator_class = _TranslatingCodeGenerator
    context_class = PageContext
    template_class = PageTemplate
    catalogue = None  # set on the per-language overlays only

    def __init__(self, app, **options):
        super().__init__(app, **options)
        self._languages = {}
        self._ready = {}
        self.filters[_WHOLE_NUMBER] = _whole_number  # the overlays share the filters

    def make_globals(self, d):
        """A template's globals as one plain dict, taken when the template loads.

        Jinja gives each template a ChainMap of its own globals over the environment's, and
        walks it in Python for every page and include it renders (`dict(globals, **vars)` and
        `set(globals)`, key by key): about 2 % of a list page. Tandem sets its globals while the
        app starts, before any template loads, as Jinja's `make_globals` asks. With auto-reload
        (development) templates keep Jinja's ChainMap, so a global added later still shows.
        """
        if self.auto_reload:
            return super().make_globals(d)
        return {**self.globals, **(d or {})}

    def for_viewer(self):
        """The overlay for this request's catalogue (this environment itself outside a request)."""
        if self.catalogue is not None or per_request.current() is None:
            return self
        catalogue = translations()
        found = self._languages.get(id(catalogue))
        if found is None or found.catalogue is not catalogue:
            # A fresh template cache, and no shared bytecode cache: compiled code differs per language.
            found = self.overlay(cache_size=_cache_size(self.cache), bytecode_cache=None)
            found.catalogue = catalogue
            found._ready = {}
            self._languages[id(catalogue)] = found
        return found

    def get_template(self, name, parent=None, globals=None):
        target = self.for_viewer()
        if target is not self:
            return target.get_template(name, parent, globals)
        if globals or self.auto_reload or type(name) is not str or type(self).join_path is not Environment.join_path:
            return super().get_template(name, parent, globals)
        # Templates never change while the app runs without auto-reload: a page and its includes are
        # found by name in a plain dict, without Jinja's cache key and locked cache on every include.
        template = self._ready.get(name)
        if template is None:
            template = super().get_template(name, parent, globals)
            if len(self._ready) < MAX_READY_TEMPLATES:
                self._ready[name] = template
        return template

    def select_template(self, names, parent=None, globals=None):
        target = self.for_viewer()
        if target is not self:
            return target.select_template(names, parent, globals)
        return super().select_template(names, parent, globals)
