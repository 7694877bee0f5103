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
import threading

from peewee import FieldAccessor, ForeignKeyAccessor, Model, ModelObjectCursorWrapper, Node

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
    learned once and copied onto the next wrappers.
    """

    __slots__ = ("learned", "plan")

    def __init__(self):
        self.learned = None
        self.plan = None

    def rows(self, wrapper, rows):
        if self.learned is None:
            per_result = set(vars(wrapper))  # what the wrapper was made with: cursor, model, joins...
            wrapper.initialize()
            self.plan = _direct_plan(wrapper)
            self.learned = {name: value for name, value in vars(wrapper).items() if name not in per_result}
        else:
            wrapper.__dict__.update(self.learned)
        wrapper.initialized = True
        if self.plan is not None:
            return _build_directly(self.plan, rows)
        process = wrapper.process_row
        return [process(row) for row in rows]


def _direct_plan(wrapper):
    """For rows of one model (the lists' usual case): which columns go straight into the instance's
    field data, and which are set as attributes, in the order peewee sets them. None otherwise."""
    if type(wrapper) is not ModelObjectCursorWrapper or not wrapper.is_model:
        return None
    model = wrapper.constructor
    if model.__init__ is not Model.__init__:
        return None
    fields, attributes = [], []
    for index in list(wrapper.no_convert) + list(wrapper.convert):
        name = wrapper.unique_columns[index]
        converter = wrapper.converters[index]
        accessor = next((klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__), None)
        if type(accessor) in (FieldAccessor, ForeignKeyAccessor) and accessor.name == name:
            fields.append((index, name, converter))
        else:
            attributes.append((index, name, converter))
    return model, tuple(fields), tuple(attributes)


def _build_directly(plan, rows):
    """What Model(__no_default__=1, **columns) followed by clearing the dirty marks gives, without a
    descriptor call per column."""
    model, fields, attributes = plan
    new = model.__new__
    built = []
    for row in rows:
        instance = new(model)
        instance.__data__ = {name: (row[index] if converter is None else converter(row[index]))
                             for index, name, converter in fields}
        instance._dirty = set()
        instance.__rel__ = {}
        if attributes:
            for index, name, converter in attributes:
                setattr(instance, name, row[index] if converter is None else converter(row[index]))
            instance._dirty.clear()
        built.append(instance)
    return built


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
        self._compiled = {}
        self._lock = threading.Lock()

    def _shape(self, values):
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
        return hydration.rows(query._get_cursor_wrapper(cursor), rows)

    def first(self, **values):
        """The first row or None (the builder should LIMIT 1)."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def scalar(self, **values):
        """The first column of the first row, or None."""
        _query, cursor, _hydration = self._execute(values)
        row = cursor.fetchone()
        return row[0] if row else None
