"""Queries whose SQL text is built once and then run with new values.

Peewee builds a query's SQL anew on every call. On Tandem's busiest pages
that costs more than running the query (0.1 to 0.8 ms each, against well
under 0.1 ms in SQLite), so the hottest queries are written as a
`PreparedQuery`: a builder that receives placeholders instead of values. Its
SQL is built once per database dialect and per *shape* (the arguments that
change the text, such as the viewer's role or a tuple of statuses), and each
call only binds the values.

Safety rules, enforced where they can be:
- A placeholder (`Slot`) is not a value: arithmetic or attribute access on it
  fails while building, so a value can never be baked into cached SQL by
  accident. Placeholders for people (`person_slots`) expose only `role` and
  `is_authenticated`, and both are part of the shape.
- Anything the builder computes from the clock or from globals would be baked
  in: pass times as slots.
"""
import datetime
import threading

from peewee import (DateField, DateTimeField, Field, FieldAccessor, FieldAlias, ForeignKeyAccessor, ForeignKeyField,
                    IntegerField, Model, ModelCursorWrapper, ModelObjectCursorWrapper, ModelTupleCursorWrapper, Node,
                    _StringField)

from app.db import database


class Slot(Node):
    """A placeholder for a value bound at run time, converted like the column it is compared with."""

    def __init__(self, name):
        self.name = name

    def __sql__(self, ctx):
        ctx._values.append(_Bound(self.name, ctx.state.converter))
        return ctx.literal(ctx.state.param or "?")


class PersonSlot(Slot):
    """A placeholder for a signed-in person: the policy functions may ask their role, nothing else."""

    def __init__(self, name, role, is_authenticated):
        super().__init__(name)
        self.role = role
        self.is_authenticated = is_authenticated


class _Bound:
    __slots__ = ("name", "converter")

    def __init__(self, name, converter):
        self.name = name
        self.converter = converter

    def bind(self, values):
        value = values[self.name]
        return self.converter(value) if self.converter else value


class _Hydration:
    """How one compiled query's rows become objects, worked out from its first result and reused.

    Peewee's cursor wrapper maps the result columns to models, fields, converters
    and joins anew for every result. That mapping depends only on the query and
    the columns it returns, which are fixed for a compiled query, so it is
    learned once and copied onto the next wrappers. For rows of plain models it
    becomes a small function written for the query (`_Source`): one dict of
    field data per object and the links between them, with no loop over the
    columns of each row.
    """

    __slots__ = ("learned", "plan")

    def __init__(self):
        self.learned = None
        self.plan = None

    def rows(self, wrapper, rows):
        if self.learned is None:
            per_result = set(vars(wrapper))  # what the wrapper was made with: cursor, model, joins...
            wrapper.initialize()
            self.plan = _direct_plan(wrapper) or _joined_plan(wrapper) or _tuple_plan(wrapper)
            self.learned = {name: value for name, value in vars(wrapper).items() if name not in per_result}
        else:
            wrapper.__dict__.update(self.learned)
        wrapper.initialized = True
        if self.plan is not None:
            return self.plan[0](self.plan[1], rows)
        process = wrapper.process_row
        return [process(row) for row in rows]


def _accessor(model, name):
    return next((klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__), None)


def _is_field_data(model, name):
    """Whether setting `name` on a fresh instance of `model` only stores the value as field data."""
    accessor = _accessor(model, name)
    return type(accessor) in (FieldAccessor, ForeignKeyAccessor) and accessor.name == name


def _plain_model(constructor):
    return isinstance(constructor, type) and issubclass(constructor, Model) and constructor.__init__ is Model.__init__


def _needed(converter):
    """The column's converter, None when the database driver already returns the Python value, or a
    faster reader of dates and times.

    Ids, foreign keys and counts come back from SQLite and PostgreSQL as int, and an integer field's
    converter only calls int() on them again: a call per column per row, skipped here.
    """
    wrapped = _safely_wrapped(converter)
    if wrapped is not None:  # an expression's column (`SUBSTR(body)`): the field's converter, made safe
        inner = _needed(wrapped)
        return _TextColumn(converter) if type(inner) is _TextColumn else converter
    field = getattr(converter, "__self__", None)
    while isinstance(field, (FieldAlias, ForeignKeyField)):
        field = field.field if isinstance(field, FieldAlias) else field.rel_field
    if not isinstance(field, Field) or type(field).python_value is not Field.python_value:
        return converter
    if type(field).adapt is IntegerField.adapt:
        return None
    if type(field).adapt is _StringField.adapt:
        return _TextColumn(converter)
    if type(field).adapt is DateTimeField.adapt and field.formats == DateTimeField.formats:
        return _datetime_reader(converter)
    if type(field).adapt is DateField.adapt and field.formats == DateField.formats:
        return _date_reader(converter)
    return converter


def _safely_wrapped(converter):
    """The converter inside peewee's `safe_python_value` wrapper (which returns the value as it is
    when the converter fails), or None for any other converter."""
    if getattr(converter, "__qualname__", None) != "safe_python_value.<locals>.validate":
        return None
    cells = converter.__closure__ or ()
    return cells[0].cell_contents if len(cells) == 1 else None


class _TextColumn:
    """A text column's converter: the drivers give text columns as str, which the converter would
    return as it is, so the row builder reads a str directly and calls the converter only for
    anything else (None, bytes, a number stored in a text column)."""

    __slots__ = ("converter",)

    def __init__(self, converter):
        self.converter = converter


# SQLite returns dates and times as text, which peewee reads through format_date_time (reshaping the
# text for fromisoformat, then its strptime formats in turn): several Python calls per value. Text in
# the exact shapes peewee writes is read by fromisoformat directly, to the same value. Anything else
# (PostgreSQL's datetime objects, other text) goes to peewee's converter.

def _datetime_reader(converter):
    read = datetime.datetime.fromisoformat

    def read_datetime(value):
        """'2026-11-28 06:22:40' and '2026-11-28 06:22:40.657337' as peewee reads them."""
        if type(value) is str and (len(value) == 19 or len(value) == 26 and value[19] == ".") and value[10] == " ":
            try:
                return read(value)
            except ValueError:
                pass
        return converter(value)

    return read_datetime


def _date_reader(converter):
    read = datetime.date.fromisoformat

    def read_date(value):
        """'2026-11-28' as peewee reads it."""
        if type(value) is str and len(value) == 10:
            try:
                return read(value)
            except ValueError:
                pass
        return converter(value)

    return read_date


def _direct_plan(wrapper):
    """For rows of one model (the lists' usual case): which columns go straight into the instance's
    field data, and which are set as attributes, in the order peewee sets them. None otherwise."""
    if type(wrapper) is not ModelObjectCursorWrapper or not wrapper.is_model:
        return None
    model = wrapper.constructor
    if not _plain_model(model):
        return None
    fields, attributes = [], []
    for index in list(wrapper.no_convert) + list(wrapper.convert):
        name = wrapper.unique_columns[index]
        converter = _needed(wrapper.converters[index])
        (fields if _is_field_data(model, name) else attributes).append((index, name, converter))
    return _run_builder, _direct_builder(model, fields, attributes)


def _joined_plan(wrapper):
    """For rows of joined models (meetings with their match and people, a session with its person,
    shared entries with their read markers): the same objects and links peewee makes, with field
    data stored directly. Rows built into dicts or other classes keep peewee's own code (None)."""
    if type(wrapper) is not ModelCursorWrapper:
        return None
    try:
        constructors = [(key, constructor) for key, constructor, is_model in wrapper._constructor_list
                        if is_model and _plain_model(constructor)]
        if len(constructors) != len(wrapper._constructor_list):
            return None
        links = [(src, attr, dest, is_outer, is_fk) for src, attr, dest, is_dict, is_outer, is_fk in wrapper.src_to_dest
                 if not is_dict]
        owners = dict(constructors)
        if len(links) != len(wrapper.src_to_dest) or any(
                src not in owners or dest not in owners for src, _attr, dest, _is_outer, _is_fk in links):
            return None
        root = wrapper.model
        columns = []
        for index, key, column, converter in wrapper._row_spec:
            owner = key if key in owners else root
            columns.append((index, key, owner, column, _needed(converter), _is_field_data(owners[owner], column)))
        return _run_builder, _joined_builder(constructors, columns, links, dict(wrapper._dest_reachable), root)
    except (AttributeError, ValueError, TypeError):  # a peewee without these internals: its own code then
        return None


def _tuple_plan(wrapper):
    """For `.tuples()` rows (counts per day, per status): one tuple per row, converted as peewee
    converts each column."""
    if type(wrapper) is not ModelTupleCursorWrapper:
        return None
    source = _Source()
    values = [source.value(index, _needed(wrapper.converters[index])) for index in range(wrapper.ncols)]
    return _run_builder, source.function(f"({', '.join(values)},)")


def _run_builder(builder, rows):
    return builder(rows)


class _Source:
    """Python source of a row builder, with the objects it uses (models, converters) as named values."""

    def __init__(self):
        self.lines = ["def build(rows):", "    built = []", "    for row in rows:"]
        self.names = {}

    def name(self, prefix, value):
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def add(self, line, depth=2):
        self.lines.append("    " * depth + line)

    def value(self, index, converter):
        if converter is None:
            return f"row[{index}]"
        if type(converter) is _TextColumn:
            convert = self.name("convert", converter.converter)
            return f"(_text if type(_text := row[{index}]) is str else {convert}(_text))"
        return f"{self.name('convert', converter)}(row[{index}])"

    def new_instance(self, variable, model, data):
        model_name = self.name("Model", model)
        self.add(f"{variable} = {model_name}.__new__({model_name})")
        self.add(f"{variable}.__data__ = {{{', '.join(data)}}}")
        self.add(f"{variable}._dirty = set()")
        self.add(f"{variable}.__rel__ = {{}}")

    def function(self, result):
        self.add(f"built.append({result})")
        self.add("return built", depth=1)
        namespace = dict(self.names)
        exec(compile("\n".join(self.lines) + "\n", "<tandem row builder>", "exec"), namespace)  # noqa: S102
        return namespace["build"]


def _direct_builder(model, fields, attributes):
    """What Model(__no_default__=1, **columns) followed by clearing the dirty marks gives, written out
    as a function for this query's columns: no loop over columns, no descriptor call per column."""
    source = _Source()
    source.new_instance("instance", model, [f"{name!r}: {source.value(index, converter)}"
                                            for index, name, converter in fields])
    for index, name, converter in attributes:
        source.add(f"setattr(instance, {name!r}, {source.value(index, converter)})")
    if attributes:
        source.add("instance._dirty.clear()")
    return source.function("instance")


def _link(source_variable, source_model, attr, target_variable, target_model):
    """`source.attr = target`, written as what peewee's foreign key accessor does with a joined row of
    its model (the id into the field data, the object into the relations) when it is that accessor."""
    accessor = _accessor(source_model, attr)
    if type(accessor) is ForeignKeyAccessor and accessor.name == attr and issubclass(target_model, accessor.rel_model):
        target_field = accessor.field.rel_field.name
        if _is_field_data(target_model, target_field):
            return (f"{source_variable}.__data__[{attr!r}] = {target_variable}.__data__.get({target_field!r}); "
                    f"{source_variable}.__rel__[{attr!r}] = {target_variable}")
    return f"setattr({source_variable}, {attr!r}, {target_variable})"


def _joined_builder(constructors, columns, links, reachable, root):
    """The objects and links peewee makes for rows of joined models, written out as a function for
    this query's columns and joins.

    A joined object whose columns all came back NULL, with nothing further along its joins either,
    is left out by an inner join and linked as None by an outer join (peewee's rules).
    """
    source = _Source()
    variables = {key: f"object{index}" for index, (key, _model) in enumerate(constructors)}
    owned = {key: [] for key in variables}
    attributes, columns_of = [], {}
    for index, key, owner, column, converter, is_data in columns:
        columns_of.setdefault(key, []).append(index)
        value = source.value(index, converter)
        if is_data:
            owned[owner].append(f"{column!r}: {value}")
        else:
            attributes.append((owner, column, value))
    for key, model in constructors:
        source.new_instance(variables[key], model, owned[key])
    for owner, column, value in attributes:
        source.add(f"setattr({variables[owner]}, {column!r}, {value})")

    flags = {}

    def filled(key):
        """A local that says whether any of `key`'s columns came back, computed once per row."""
        if key not in columns_of:
            return "False"
        if key not in flags:
            flags[key] = f"filled{len(flags)}"
            tests = " or ".join(f"row[{index}] is not None" for index in columns_of[key])
            source.add(f"{flags[key]} = {tests}")
        return flags[key]

    models = dict(constructors)
    for src, attr, dest, is_outer, is_fk in links:
        present = " or ".join([filled(dest)] + [filled(key) for key in sorted(reachable.get(dest, ()), key=repr)])
        link = _link(variables[src], models[src], attr, variables[dest], models[dest])
        if not is_outer:
            source.add(f"if {present}:")
            source.add(link, depth=3)
            continue
        absent = f"{variables[src]}.__rel__[{attr!r}] = None" if is_fk else f"setattr({variables[src]}, {attr!r}, None)"
        source.add(f"if {filled(src)} or {filled(dest)}:")
        source.add(f"if {present}:", depth=3)
        source.add(link, depth=4)
        source.add("else:", depth=3)
        source.add(absent, depth=4)  # known to be absent; a foreign key's id stays as it is
    for variable in variables.values():
        source.add(f"{variable}._dirty.clear()")
    return source.function(variables[root])


# Shapes come from code (roles, fixed limits, which filters are on), so a query has a handful; the
# bound only guards against a caller passing free input as a shape by mistake.
MAX_SHAPES = 64


class PreparedQuery:
    """`builder(**arguments)` returns a peewee select; `slots` name the arguments bound per call.

    The other arguments shape the SQL and are passed to the builder as they are
    (they must be hashable: use tuples, not lists).
    """

    def __init__(self, builder, slots=(), person_slots=()):
        self.builder = builder
        self.slots = tuple(slots)
        self.person_slots = tuple(person_slots)
        self._only_slots = frozenset(slots) if not person_slots else None
        self._compiled = {}
        self._lock = threading.Lock()

    def _shape(self, values):
        if values.keys() == self._only_slots:  # nothing but values to bind: one shape per database
            return type(database.obj)
        shape = [type(database.obj)]
        for name, value in sorted(values.items()):
            if name in self.person_slots:
                shape.append((name, getattr(value, "role", None), bool(getattr(value, "is_authenticated", False))))
            elif name not in self.slots:
                shape.append((name, value))
        return tuple(shape)

    def _compile(self, shape, values):
        arguments = {}
        for name, value in values.items():
            if name in self.person_slots:
                arguments[name] = PersonSlot(name, getattr(value, "role", None),
                                             bool(getattr(value, "is_authenticated", False)))
            elif name in self.slots:
                arguments[name] = Slot(name)
            else:
                arguments[name] = value
        query = self.builder(**arguments)
        sql, params = database.get_sql_context().sql(query).query()
        compiled = (query, sql, tuple(params), _Hydration())
        with self._lock:
            if len(self._compiled) < MAX_SHAPES:
                self._compiled[shape] = compiled
        return compiled

    def _execute(self, values):
        shape = self._shape(values)
        compiled = self._compiled.get(shape) or self._compile(shape, values)
        query, sql, params, hydration = compiled
        bound = [param.bind(values) if type(param) is _Bound else param for param in params]
        return query, database.execute_sql(sql, bound), hydration

    def all(self, **values):
        """Every row, hydrated as the builder's query would hydrate them."""
        query, cursor, hydration = self._execute(values)
        rows = cursor.fetchall()
        if not rows:
            return []
        plan = hydration.plan
        if plan is not None:  # a row builder learned from an earlier result: no cursor wrapper needed
            return plan[0](plan[1], rows)
        return hydration.rows(query._get_cursor_wrapper(cursor), rows)

    def first(self, **values):
        """The first row or None (the builder should LIMIT 1)."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def row(self, **values):
        """The first row as the database returned it (a tuple of plain values), or None."""
        _query, cursor, _hydration = self._execute(values)
        return cursor.fetchone()

    def scalar(self, **values):
        """The first column of the first row, or None."""
        _query, cursor, _hydration = self._execute(values)
        row = cursor.fetchone()
        return row[0] if row else None
