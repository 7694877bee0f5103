"""Jinja's compiled templates, tuned for pages that are rendered whole and never streamed.

Jinja compiles a template into generators built for streaming: every piece of
text and every `{{ value }}` is yielded on its own and passed up, one piece at a
time, through the include, the block and the parent template it sits in. Each
value goes through markupsafe's `escape` (two Python calls that build a Markup
object only to be joined into the page), and every call from a template
(`url_for`, `csrf_token`, `field`, ...) goes through `Context.call`, which looks
for Jinja's pass-context marker twice with two more Python calls. A journal list
page does this about 700 times. Here, with the same output:

- a template's own code and each of its blocks collect their output in one
  list and yield it once, as a single string, at the end; an include, a block or
  a parent template hands its whole output up as one string;
- a value that is a plain string is escaped inline by markupsafe's C escaping,
  and any other value by `output_escape`, which gives the same text as `escape`
  without the Markup object when the value is an integer;
- `entry.title` reads the attribute with Python's getattr inline and goes to
  Jinja's `environment.getitem` (the item, as `filters.month` reads a dict, or
  undefined) only when there is no such attribute;
- a callable of a type registered with `called_directly` (`url_for`) is called
  directly; any other call goes through `PageContext.call`, which looks for the
  pass-context marker inline and calls the function directly when there is none
  (anything marked goes Jinja's way);
- names a loop reads from the context are looked up once before the loop, not on
  every pass;
- `{% from "x.html" import macro %}` finds the imported template's module
  without Jinja's set difference, which walks both templates' globals in Python
  on every render.

Tests render templates of every kind both ways and compare (tests/core/test_template_codegen.py).
"""
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.idtracking import VAR_LOAD_ALIAS, VAR_LOAD_PARAMETER, VAR_LOAD_RESOLVE, VAR_LOAD_UNDEFINED
from jinja2.environment import Environment, Template
from jinja2.runtime import Context
from jinja2.utils import internalcode
from markupsafe import Markup, escape

try:  # markupsafe's own C escaping of a plain str: the text `escape` wraps in Markup
    from markupsafe._speedups import _escape_inner as escape_text
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    def escape_text(text):
        return str(escape(text))

OUTPUT_ESCAPE = "_page_output_escape"
ESCAPE_TEXT = "_page_escape_text"
DIRECT_TYPES = "_page_direct_types"

# Types of template callables that take nothing from Jinja (no pass_context and the like) and never
# raise StopIteration: templates call them directly instead of through `Context.call`.
DIRECT_CALLABLE_TYPES = set()


def called_directly(cls):
    """Class decorator: templates call instances of `cls` directly (see DIRECT_CALLABLE_TYPES)."""
    if getattr(cls, "jinja_pass_arg", None) is not None or getattr(cls.__call__, "jinja_pass_arg", None) is not None:
        raise TypeError(f"{cls.__name__} takes an argument from Jinja: it must go through the context")
    DIRECT_CALLABLE_TYPES.add(cls)
    return cls

# What Jinja writes to hand a nested template's output up piece by piece, and what is written instead.
_JOINED = {
    "yield from parent_template.root_render_func(context)":
        "yield ''.join(parent_template.root_render_func(context))",
    "yield from template._get_default_module()._body_stream":
        "yield ''.join(template._get_default_module()._body_stream)",
    # An include with context: the loop body that follows yields (or buffers) `event` once.
    "for event in gen:": "for event in (''.join(gen),):",
}
_BLOCK_CALL = "yield from context.blocks["
_INCLUDE_WITHOUT_CONTEXT = "yield from template._get_default_module()._body_stream"
PAGE_BUFFER = "_page"


def output_escape(value):
    """The text `markupsafe.escape(value)` stands for, without building a Markup object."""
    kind = type(value)
    if kind is str:
        return escape_text(value)
    if kind is int:
        return str(value)
    if kind is Markup:  # already safe: escape() would only copy it
        return value
    return escape(value)


class PageCodeGenerator(CodeGenerator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._attribute_reads = 0
        self._output_values = 0
        self._direct_calls = 0
        self._page_frames = []  # the frames whose output is collected in PAGE_BUFFER (kept, not ids)
        self._hoisted = []  # per loop being written: ({name: local holding its value}, resolve function)
        self._resolved_names = 0
        self._include_buffer = None

    def visit_Template(self, node, frame=None):
        self.writeline(f"from app.template_codegen import output_escape as {OUTPUT_ESCAPE}, "
                       f"escape_text as {ESCAPE_TEXT}, DIRECT_CALLABLE_TYPES as {DIRECT_TYPES}")
        super().visit_Template(node, frame)

    def writeline(self, x, node=None, extra=0):
        if x.startswith(_BLOCK_CALL):
            x = f"yield ''.join({x[len('yield from '):]})"
        elif x == _INCLUDE_WITHOUT_CONTEXT and self._include_buffer is not None:
            x = f"{self._include_buffer}.append(''.join({x[len('yield from '):]}))"
        else:
            x = _JOINED.get(x, x)
        super().writeline(x, node, extra)

    def visit_For(self, node, frame):
        """Names a loop reads from the context (`url_for`, `today`) are looked up once before the
        loop instead of on every pass: nothing a loop does changes what the context holds."""
        if self.environment.is_async or node.recursive:
            super().visit_For(node, frame)
            return
        probe = frame.inner()
        probe.symbols.analyze_node(node, for_branch="body")
        names = sorted({param for action, param in probe.symbols.loads.values() if action == VAR_LOAD_RESOLVE})
        resolve = self.get_resolve_func()
        hoisted = {}
        for name in names:
            self._resolved_names += 1
            hoisted[name] = f"_resolved{self._resolved_names}"
            self.writeline(f"{hoisted[name]} = {resolve}({name!r})")
        self._hoisted.append((hoisted, resolve))
        try:
            super().visit_For(node, frame)
        finally:
            self._hoisted.pop()

    def _enter_loop_frame(self, frame, hoisted):
        """Jinja's enter_frame, with the names looked up before the loop taken from there."""
        undefined = []
        for target, (action, param) in frame.symbols.loads.items():
            if action == VAR_LOAD_RESOLVE:
                self.writeline(f"{target} = {hoisted.get(param) or f'{self.get_resolve_func()}({param!r})'}")
            elif action == VAR_LOAD_ALIAS:
                self.writeline(f"{target} = {param}")
            elif action == VAR_LOAD_UNDEFINED:
                undefined.append(target)
            elif action != VAR_LOAD_PARAMETER:
                raise NotImplementedError("unknown load instruction")
        if undefined:
            self.writeline(f"{' = '.join(undefined)} = missing")

    def enter_frame(self, frame):
        """A loop's frame takes the names looked up before the loop. The template's own code and
        each block's collect their output in one list and yield it once at the end, instead of
        yielding each piece as it comes."""
        if frame.loop_frame and self._hoisted and self._hoisted[-1] is not None:
            hoisted, resolve = self._hoisted[-1]
            self._hoisted[-1] = None  # the loop's own frame only, not frames nested in it
            if resolve == self.get_resolve_func():
                self._enter_loop_frame(frame, hoisted)
                return
        super().enter_frame(frame)
        if (not self.environment.is_async and frame.parent is None and frame.buffer is None
                and (frame.rootlevel or frame.block_frame)):
            frame.buffer = PAGE_BUFFER
            self._page_frames.append(frame)
            self.writeline(f"{PAGE_BUFFER} = []")

    def leave_frame(self, frame, with_python_scope=False):
        if any(page_frame is frame for page_frame in self._page_frames):
            self.writeline(f"yield ''.join({PAGE_BUFFER})")
        super().leave_frame(frame, with_python_scope)

    def visit_Block(self, node, frame):
        """A block called from collected output adds its whole output to the list (Jinja's own
        steps, without its loop over the block's pieces)."""
        if self.environment.is_async or frame.buffer != PAGE_BUFFER:
            super().visit_Block(node, frame)
            return
        level = 0
        if frame.toplevel:
            if self.has_known_extends:
                return
            if self.extends_so_far > 0:
                self.writeline("if parent_template is None:")
                self.indent()
                level += 1
        context = self.derive_context(frame) if node.scoped else self.get_context_ref()
        if node.required:
            self.writeline(f"if len(context.blocks[{node.name!r}]) <= 1:", node)
            self.indent()
            self.writeline(f'raise TemplateRuntimeError("Required block {node.name!r} not found")', node)
            self.outdent()
        self.writeline(f"{PAGE_BUFFER}.append(''.join(context.blocks[{node.name!r}][0]({context})))", node)
        self.outdent(level)

    def visit_Include(self, node, frame):
        self._include_buffer = frame.buffer
        try:
            super().visit_Include(node, frame)
        finally:
            self._include_buffer = None

    def visit_Output(self, node, frame):
        """Jinja's output, collected into a list and yielded as one string."""
        if frame.buffer is not None or frame.require_output_check or len(node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        frame.buffer = "_output"
        self.writeline("_output = []")
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None
        self.writeline("yield ''.join(_output)")

    @optimizeconst
    def visit_Call(self, node, frame, forward_caller=False):
        """A callable of a registered type (`url_for`) is called directly; any other goes through
        the context as Jinja does. The arguments are written out for both; one runs."""
        environment = self.environment
        if environment.is_async or environment.sandboxed or forward_caller:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self._direct_calls += 1
        callee = f"_callee{self._direct_calls}"
        self.write(f"({callee}(*()")
        self.signature(node, frame)
        self.write(f") if type({callee} := ")
        self.visit(node.node, frame)
        self.write(f") in {DIRECT_TYPES} else context.call({callee}")
        extra_kwargs = {}
        if frame.loop_frame:
            extra_kwargs["_loop_vars"] = "_loop_vars"
        if frame.block_frame:
            extra_kwargs["_block_vars"] = "_block_vars"
        self.signature(node, frame, extra_kwargs or None)
        self.write("))")

    @optimizeconst
    def visit_Getattr(self, node, frame):
        environment = self.environment
        if environment.is_async or environment.sandboxed or type(environment).getattr is not Environment.getattr:
            super().visit_Getattr(node, frame)
            return
        # Each read gets its own two names: the object (read once) and the value.
        self._attribute_reads += 1
        value, owner = f"_attr{self._attribute_reads}", f"_owner{self._attribute_reads}"
        self.write(f"({value} if ({value} := getattr(({owner} := ")
        self.visit(node.node, frame)
        # No such attribute: what is left of Jinja's `getattr` is the item (a dict's key) or undefined,
        # which `getitem` gives without a second failed attribute lookup and its exception.
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getitem({owner}, {node.attr!r}))")

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            if finalize.src is None:
                # Most values are plain text: escaped inline, without a call to output_escape.
                self._output_values += 1
                self.write(f"({ESCAPE_TEXT}(_out{self._output_values}) if type(_out{self._output_values} := (")
                return
            self.write(f"{OUTPUT_ESCAPE}(")
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize):
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            self.write(f")) is str else {OUTPUT_ESCAPE}(_out{self._output_values}))")
            return
        super()._output_child_post(node, frame, finalize)


class PageContext(Context):
    @internalcode
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        if (getattr(__obj, "jinja_pass_arg", None) is None
                and getattr(getattr(__obj, "__call__", None), "jinja_pass_arg", None) is None):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


class PageTemplate(Template):
    @internalcode
    def _get_default_module(self, ctx=None):
        """Jinja's answer, found faster in the usual case: the importing page's globals are all
        this template's globals too, so the module made once is the one to use."""
        if ctx is not None and self._module is not None and ctx.globals_keys.issubset(self.globals):
            return self._module
        return super()._get_default_module(ctx)
