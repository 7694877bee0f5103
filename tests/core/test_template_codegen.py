"""Templates compiled by the page code generator render exactly what stock Jinja renders, for
every kind of template construct, escaped and not, and fail the same way where Jinja fails."""
import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError, pass_context, pass_environment
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from app.template_codegen import PageCodeGenerator, PageContext, PageTemplate, called_directly, output_escape


class PageEnvironment(Environment):
    code_generator_class = PageCodeGenerator
    context_class = PageContext
    template_class = PageTemplate


class HasHtml:
    def __html__(self):
        return "<i>own html</i>"


class CallableWithContext:
    @pass_context
    def __call__(self, context, suffix):
        return f"{context.get('title')}{suffix}"


@pass_context
def loop_item(context):
    """Reads a loop variable through the context (Jinja hands loop variables to marked callables)."""
    return f"[{context.get('item')}]"


@pass_eval_context
def escaping_state(eval_ctx, text):
    return f"{text}:{eval_ctx.autoescape}"


@pass_environment
def environment_kind(environment):
    return "page" if isinstance(environment, PageEnvironment) else "stock"


def stops():
    raise StopIteration


@called_directly
class Direct:
    """A callable templates call without Jinja's context (as they call url_for)."""

    def __call__(self, *args, **kwargs):
        return f"<direct {args} {sorted(kwargs.items())}>"


TEMPLATES = {
    "base.html": ("<title>{% block title %}Base {{ title }}{% endblock %}</title>\n"
                  "<main>{% block content %}{% endblock %}</main>{% block footer %}<f>{{ n }}</f>{% endblock %}"),
    "child.html": ("{% extends 'base.html' %}{% block title %}{{ super() }} & child{% endblock %}"
                   "{% block content %}<h1>{{ title }}</h1>{% for item in items %}"
                   "{% include 'row.html' %}{% endfor %}{{ self.footer() }}{% endblock %}"),
    "grandchild.html": ("{% extends 'child.html' %}{% block footer %}<g>{{ super() }}|{{ items|length }}</g>"
                        "{% endblock %}"),
    "row.html": "<li>{{ item }} {{ loop_item() }} {{ title }}</li>\n",
    "rows.html": "{% for item in items %}<li>{{ item }}</li>{% else %}<li>none</li>{% endfor %}",
    "no_context.html": "<p>{{ title }}|{{ n }}</p>",
    "macros.html": ("{% macro box(x, label='b') %}<div class=\"{{ label }}\">{{ x }}{{ caller() if caller }}"
                    "</div>{% endmacro %}"),
    "dynamic_parent.html": "{% extends parent %}{% block content %}dyn {{ title }}{% endblock %}",
    "uses_global.html": "{% macro show() %}({{ extra }}|{{ site }}){% endmacro %}",
    "required.html": "<r>{% block needed required %}{% endblock %}</r>{{ title }}",
}

SOURCES = [
    "{{ title }} {{ n }} {{ flag }} {{ ratio }} {{ nothing }} {{ safe }} {{ own }} {{ items }} {{ missing }}",
    "a{{ title }}b{{ 'x' }}c{{ n + 1 }}d",
    "{{ title|upper }} {{ title|e }} {{ safe|safe }} {{ '%s|%d'|format(title, n) }} {{ items|join(', ') }}",
    "{% include 'child.html' %}",
    "{% include 'grandchild.html' %}",
    "{% include 'rows.html' %}{% with items = [] %}{% include 'rows.html' %}{% endwith %}",
    "{% include 'no_context.html' without context %}{% include 'no_context.html' with context %}",
    "{% include ['missing.html', 'rows.html'] %}{% include 'missing.html' ignore missing %}",
    "{% include 'dynamic_parent.html' %}",
    "{% from 'macros.html' import box %}{{ box(title) }}{% call box(n, label=title) %}in {{ safe }}{% endcall %}",
    "{% import 'macros.html' as m %}{% for item in items %}{{ m.box(item) }}{% endfor %}",
    "{% set block_text %}<{{ title }}>{% endset %}{{ block_text }}|{% filter upper %}{{ title }} x{% endfilter %}",
    "{% for item in items %}{{ loop.index }}{{ loop_item() }}{% if loop.last %}.{% endif %}{% endfor %}",
    "{% for item in items if item != 'b' %}{{ item }}{% else %}none{% endfor %}",
    "{{ escaping_state(title) }}{% autoescape false %}{{ escaping_state(title) }}{{ title }}{% endautoescape %}",
    "{% autoescape switch %}{{ title }}{{ safe }}{{ n }}{% endautoescape %}",
    "{{ with_context('!') }} {{ environment_kind() }} {{ stops() }}|{{ url('x', id=n) }}",
    "{% set ns = namespace(total=0) %}{% for item in items %}{% set ns.total = ns.total + 1 %}{% endfor %}{{ ns.total }}",
    "{% extends 'base.html' %}{% block content %}{{ title }}{% include 'row.html' ignore missing %}{% endblock %}",
    # Attributes: of objects, of dicts (an item then), missing ones, nested, in loops, arguments and macros.
    "{{ person.name }}|{{ person.missing }}|{{ mapping.key }}|{{ mapping.items }}|{{ mapping.absent }}|{{ title.upper() }}",
    "{{ person.friend.name }}|{{ person.friend.friend.name }}|{{ nothing.name }}|{{ (person.friend or person).name }}",
    "{% for item in people %}{{ loop.index }}{{ item.name }}{{ item.friend.name if item.friend }}{% endfor %}",
    "{% for item in person.friends %}{{ item.name }}{% endfor %}{{ url('x', id=person.id)|e }}{{ [person.name, mapping.key] }}",
    "{% macro card(who=person.friend) %}{{ who.name }}{% endmacro %}{{ card() }}{{ card(person) }}",
    "{% for item in people if item.name != person.name %}{{ item.name }}{% endfor %}{% set n = person.name %}{{ n }}",
    "{{ person.name|upper }}{{ person.id + person.id }}{{ 'yes' if person.flag else 'no' }}{{ person.broken }}",
    # Output collected per template and block: conditional extends, scoped and required blocks, includes
    # without context in loops and includes inside macros.
    "{% if flag %}{% extends 'base.html' %}{% endif %}before{% block content %}[{{ title }}]{% endblock %}after",
    "{% if not flag %}{% extends 'base.html' %}{% endif %}before{% block content %}[{{ title }}]{% endblock %}after",
    "{% for item in items %}{% block row scoped %}<{{ item }}>{% endblock %}{% endfor %}{{ self.row() }}",
    "{% extends 'required.html' %}{% block needed %}filled {{ n }}{% endblock %}",
    "".join(f"{{% block b{i} %}}<{i}>{{% for item in items %}}{{% if loop.first %}}[{{{{ item }}}}]{{% endif %}}"
            f"{{% endfor %}}{{% with x = n %}}{{{{ x }}}}{{% endwith %}}{{% endblock %}}" for i in range(8)),
    "{% for item in items %}{% include 'no_context.html' without context %}{% endfor %}|{{ title }}",
    "{% macro inc(item) %}({% include 'row.html' %}){% endmacro %}{{ inc('m') }}{% for item in items %}{{ inc(item) }}{% endfor %}",
    # Names read from the context in loops (looked up once before the loop), set in some passes only,
    # in nested and filtered loops, in macros and in a scoped block.
    "{% for item in items %}{% if item == 'c' %}{% set title = 'changed' %}{% endif %}{{ title }}|{{ n }}{% endfor %}{{ title }}",
    "{% for item in items if item != n %}{% for other in people %}{{ other.name }}{{ n }}{{ item }}{% endfor %}{% else %}{{ n }}{% endfor %}",
    "{% macro each() %}{% for item in items %}{{ title }}{{ n }}{% endfor %}{% endmacro %}{{ each() }}{% for i in [] %}{% else %}{{ missing }}{% endfor %}",
    "{% for item in items %}{% block cell scoped %}{{ item }}{{ n }}{{ title }}{% endblock %}{% endfor %}",
    # Callables of a registered type, called directly: arguments of every kind, in loops, blocks and macros.
    "{{ direct() }}{{ direct(title, n, key=person.name) }}{{ direct(*items, **mapping) }}{{ direct('a', if=1) }}",
    "{% for item in items %}{{ direct(item, i=loop.index) }}{{ url(item, n=n) }}{% endfor %}{% set d = direct(n) %}{{ d }}",
    "{% extends 'base.html' %}{% block content %}{{ direct(title) }}{{ direct(direct(n)) }}{% endblock %}",
    "{% macro m(x) %}{{ direct(x, caller=1) }}{% endmacro %}{{ m(title) }}{{ (direct if flag else url)('z') }}",
]

class Person:
    flag = True

    def __init__(self, id, name, friend=None):
        self.id, self.name, self.friend = id, name, friend
        self.friends = [friend] if friend else []

    @property
    def broken(self):
        return self.missing_too  # an AttributeError from inside a property: Undefined, as in Jinja


CONTEXT = {
    "title": '<script>alert("x")</script> & \'Co\'', "n": 3, "flag": True, "ratio": 2.5, "nothing": None,
    "safe": Markup("<em>kept</em>"), "own": HasHtml(), "items": ["a", "<b>", "c"], "switch": False,
    "parent": "base.html", "loop_item": loop_item, "escaping_state": escaping_state,
    "environment_kind": environment_kind, "stops": stops, "with_context": CallableWithContext(),
    "url": lambda endpoint, **values: f"/{endpoint}?{values}", "direct": Direct(),
    "person": Person(1, "<Ana>", Person(2, "Bo & Co", Person(3, "Cy"))), "mapping": {"key": "<value>"},
    "people": [Person(4, "<Ana>"), Person(5, "Dee", Person(6, "Eve"))],
}


def render_both(source, autoescape, undefined=None, context=CONTEXT):
    outputs = []
    for environment_class in (Environment, PageEnvironment):
        options = {"undefined": undefined} if undefined else {}
        environment = environment_class(loader=DictLoader(TEMPLATES), autoescape=autoescape, **options)
        outputs.append(environment.from_string(source).render(**context))
    return outputs


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("source", SOURCES)
def test_the_page_code_generator_renders_what_jinja_renders(source, autoescape):
    stock, page = render_both(source, autoescape)
    assert page.replace("page", "stock") == stock
    assert stock  # every source writes something


def test_the_sources_take_the_new_paths():
    """The cases above go through the collected output, the fast escape and the direct call."""
    environment = PageEnvironment(loader=DictLoader(TEMPLATES), autoescape=True)
    code = environment.compile(SOURCES[1], raw=True)
    assert "_page_output_escape(" in code and "_page.extend((" in code and code.count("yield ") == 2  # + `if 0`
    assert "escape(" not in code.replace("_page_output_escape(", "").replace("_page_escape_text(", "")
    child = environment.compile(TEMPLATES["child.html"], raw=True)
    base = environment.compile(TEMPLATES["base.html"], raw=True)
    assert "yield from" not in child + base and "_page.append(''.join(context.blocks['content'][0](context)))" in base
    assert "yield ''.join(parent_template.root_render_func(context))" in child
    included = environment.compile("{% include 'row.html' %}{% include 'no_context.html' without context %}", raw=True)
    assert "for event in (''.join(gen),):" in included
    assert "_page.append(''.join(template._get_default_module()._body_stream))" in included
    looped = environment.compile("{% for item in items %}{{ url(item) }}{{ n }}{% endfor %}", raw=True)
    assert looped.index("_resolved1 = resolve('n')") < looped.index("for l_1_item in")
    assert "resolve('n')" not in looped[looped.index("for l_1_item in"):]
    direct = environment.compile("{{ url('x') }}", raw=True)
    assert "if type(_callee1 := " in direct and "in _page_direct_types else context.call(_callee1" in direct
    reads = environment.compile("{{ a.b.c }}", raw=True)
    assert "(_attr1 if (_attr1 := getattr((_owner1 := (_attr2 if (_attr2 := getattr((_owner2 := " in reads
    assert "else environment.getitem(_owner1, 'c'))" in reads and "environment.getattr(" not in reads
    stock = Environment(loader=DictLoader(TEMPLATES), autoescape=True).compile(TEMPLATES["child.html"], raw=True)
    assert "yield from" in stock


def test_registered_callables_skip_the_context_and_others_go_through_it(monkeypatch):
    calls = []
    original = PageContext.call
    monkeypatch.setattr(PageContext, "call", lambda *args, **kwargs: calls.append(args[1]) or original(*args, **kwargs))
    environment = PageEnvironment(loader=DictLoader(TEMPLATES), autoescape=True)
    rendered = environment.from_string("{{ direct(1) }}{% for i in items %}{{ direct(i) }}{% endfor %}{{ url('u') }}").render(
        **CONTEXT)
    assert rendered.count("&lt;direct") == 4 and calls == [CONTEXT["url"]]
    with pytest.raises(TypeError):
        called_directly(CallableWithContext)


def test_imported_macros_see_the_globals_jinja_gives_them():
    """The imported module is made once and reused, unless the importing page has globals of its own."""
    source = "{% from 'uses_global.html' import show %}{{ show() }}{% import 'uses_global.html' as m %}{{ m.show() }}"
    outputs = []
    for environment_class in (Environment, PageEnvironment):
        environment = environment_class(loader=DictLoader(TEMPLATES), autoescape=True)
        environment.globals["site"] = "<s>"
        rendered = [environment.from_string(source).render(extra="context value") for _ in range(2)]
        rendered += [environment.from_string(source, globals={"extra": "page global"}).render() for _ in range(2)]
        imported = environment.get_template("uses_global.html")
        outputs.append((rendered, imported._get_default_module() is imported._get_default_module()))
    assert outputs[0] == outputs[1]
    assert outputs[1][0][0] == "(|&lt;s&gt;)(|&lt;s&gt;)" and "(page global|&lt;s&gt;)" in outputs[1][0][2]


@pytest.mark.parametrize("autoescape", [True, False])
def test_errors_are_raised_as_jinja_raises_them(autoescape):
    for source in ["{{ missing }}", "{{ title.missing }}", "{% include 'row.html' %}", "{{ box() }}"]:
        failures = []
        for environment_class in (Environment, PageEnvironment):
            environment = environment_class(loader=DictLoader(TEMPLATES), autoescape=autoescape,
                                            undefined=StrictUndefined)
            with pytest.raises(UndefinedError) as error:
                environment.from_string(source).render(title="t")
            failures.append(str(error.value))
        assert failures[0] == failures[1]


@pytest.mark.parametrize("value", [
    "", "plain", "<a href=\"x\">'&'</a>", "é ü 日本 \u2028", Markup("<b>&amp;</b>"), 0, -12, 10 ** 30, True, False,
    3.5, None, HasHtml(), ["<x>"], b"<bytes>",
])
def test_output_escape_gives_the_text_of_markupsafe_escape(value):
    assert output_escape(value) == str(escape(value))
