"""Form fields for templates: `field(form.title)` writes the label, hint, errors and control.

`field` is plain Python rather than a Jinja macro: a macro call sets up a context, a frame and its
arguments each time, which cost more than the markup it writes.

The controls are rendered by WTForms' own widgets with a quicker attribute writer and flag reader.

WTForms writes every attribute through `Markup.format`, a pure-Python string formatter, and lists
the field's flags object's whole class (`dir`) to find its validation attributes: a field and its
label took 120 to 150 µs on the bench machine, and on the goal page (three fields) they were a sixth
of the page's Python function calls. `html_params` below writes the same markup (same order, same
escaping) with plain string joins and markupsafe's C escaping, and the flags are read from the
flags object's own dict. The common input widgets (text, email, number, dates and times, radio
buttons and checkboxes, text areas) are used as they are, with only `Input.__call__` swapped, and a
single select writes its options the same way; any other widget, or one configured with settings of
its own, renders through WTForms unchanged. Templates write a whole field with `field(...)` and a
lone radio button or checkbox inside its own label with `control(...)`.
tests/core/test_form_controls.py checks the output against WTForms byte for byte for every field
of every form.
"""
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields.core import Flags
from wtforms.widgets.core import clean_key

from app.core.blank_forms import BlankField
from app.template_codegen import escape_text

# Attribute names come from the code and templates, never from input: each is cleaned and escaped once.
_written_keys = {}


def _key(key):
    written = _written_keys.get(key)
    if written is None:
        written = str(escape(clean_key(key)))
        if len(_written_keys) < 512:
            _written_keys[key] = written
    return written


def _attribute_text(value):
    """An attribute's value, escaped as WTForms' `html_params` escapes it (quotes too, even in Markup)."""
    return escape_text(value) if type(value) is str else str(escape(value)).replace('"', "&quot;")


def html_params(**attributes):
    """`wtforms.widgets.html_params`: sorted keys, `True` as a bare attribute, `False` left out."""
    parts = []
    for key, value in sorted(attributes.items()):
        if value is True:
            parts.append(_key(key))
        elif value is not False:
            parts.append(f'{_key(key)}="{_attribute_text(value)}"')
    return Markup(" ".join(parts))


def _add_validation_flags(field, names, kwargs, call_values):
    """What WTForms' widgets add from `field.flags` (`for k in dir(flags)`), without listing the
    flags object's whole class each time: a plain Flags object holds its flags in its own dict."""
    flags = getattr(field, "flags", {})
    if type(flags) is Flags:
        present = vars(flags)
        for key in names:
            if key in present and key not in kwargs:
                value = present[key]
                kwargs[key] = value() if call_values and callable(value) else value
        return
    for key in dir(flags):
        if key in names and key not in kwargs:
            value = getattr(flags, key)
            kwargs[key] = value() if call_values and callable(value) else value


class _QuickInput(widgets.Input):
    """WTForms' `Input.__call__`, with the quicker flag reading and attribute writer. Widgets that add
    attributes of their own first (dates, numbers) reach it through their `super().__call__`."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("type", self.input_type)
        if "value" not in kwargs:
            kwargs["value"] = field._value()
        datalist = getattr(field, "_datalist", None)
        if datalist is not None and "list" not in kwargs:
            kwargs["list"] = datalist if isinstance(datalist, str) else datalist.id
        _add_validation_flags(field, self.validation_attrs, kwargs, call_values=True)
        return Markup(f"<input {html_params(name=field.name, **kwargs)}>")


class _QuickTextArea(widgets.TextArea):
    """WTForms' `TextArea.__call__`, with the quicker flag reading and attribute writer."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        _add_validation_flags(field, self.validation_attrs, kwargs, call_values=False)
        return Markup(f"<textarea {html_params(name=field.name, **kwargs)}>\r\n{_text(field._value())}</textarea>")


class _QuickSelect(widgets.Select):
    """WTForms' `Select.__call__` for a single select without option groups, each option written as
    `Select.render_option` writes it. A long list (the 519 time zones of the account page, every
    mentor of the new-match form) took WTForms about 20 µs an option. Options with attributes of their
    own, a boolean value or an empty label, and grouped or multiple selects, render through WTForms."""

    def __call__(self, field, **kwargs):
        if self.multiple or field.has_groups():
            return super().__call__(field, **kwargs)
        options = []
        for value, label, selected, render_kw in field.iter_choices():
            if render_kw or not label or type(value) is bool:
                return super().__call__(field, **kwargs)
            selected_text = "selected " if selected else ""
            options.append(f'<option {selected_text}value="{_attribute_text(value)}">{_text(label)}</option>')
        attributes = dict(kwargs)
        attributes.setdefault("id", field.id)
        _add_validation_flags(field, self.validation_attrs, attributes, call_values=False)
        return Markup(f"<select {html_params(name=field.name, **attributes)}>{''.join(options)}</select>")


def _quick(widget_class):
    """The widget class with `_QuickInput` as the `Input` its `__call__` ends in."""
    return type(f"Quick{widget_class.__name__}", (widget_class, _QuickInput), {})()


_QUICK_WIDGETS = {
    widgets.TextInput: _quick(widgets.TextInput),
    widgets.EmailInput: _quick(widgets.EmailInput),
    widgets.NumberInput: _quick(widgets.NumberInput),
    widgets.DateInput: _quick(widgets.DateInput),
    widgets.TimeInput: _quick(widgets.TimeInput),
    widgets.DateTimeLocalInput: _quick(widgets.DateTimeLocalInput),
    widgets.CheckboxInput: _quick(widgets.CheckboxInput),
    widgets.RadioInput: _quick(widgets.RadioInput),
    widgets.TextArea: _QuickTextArea(),
    widgets.Select: _QuickSelect(),
}


def control(field, **attributes):
    """The field's control, as `field(**attributes)` renders it."""
    widget = field.widget
    quick = _QUICK_WIDGETS.get(type(widget))
    if quick is None or vars(widget) != vars(quick):  # another widget, or one built with settings of its own
        return field(**attributes)
    attributes = {clean_key(key): value for key, value in attributes.items()}
    if field.render_kw:  # as WTForms' DefaultMeta.render_field merges them
        attributes = dict({clean_key(key): value for key, value in field.render_kw.items()}, **attributes)
    return quick(field, **attributes)


def field(form_field, hint=None, **attributes):
    """A labelled field: label, hint, error messages and control, with the hint and errors tied to the
    control (`aria-describedby`) and the control marked invalid when there are errors. `attributes` go
    to the control, `hint` replaces the field's own description."""
    if type(form_field) is BlankField:
        return form_field.markup(hint, attributes, field)
    field_id = _text(form_field.id)
    hint = hint or form_field.description
    errors = form_field.errors
    parts = ['<div class="field field--error">' if errors else '<div class="field">',
             label(form_field, class_="field__label")]
    described = []
    if hint:
        parts.append(f'<p class="field__hint" id="{field_id}-hint">{_text(hint)}</p>')
        described.append(f"{form_field.id}-hint")
    if errors:
        messages = "".join(f"{_text(error)} " for error in errors)
        parts.append(f'<p class="field__error" id="{field_id}-error">{messages}</p>')
        described.append(f"{form_field.id}-error")
        attributes["aria-invalid"] = "true"
    if described:
        attributes["aria-describedby"] = " ".join(described)
    parts.append(control(form_field, class_="field__input", **attributes))
    parts.append("</div>")
    return Markup("\n".join(parts))  # every part is markup or escaped text


def label(field, **attributes):
    """The field's label, as `field.label(**attributes)` renders it."""
    if "for_" in attributes:
        attributes["for"] = attributes.pop("for_")
    else:
        attributes.setdefault("for", field.label.field_id)
    return Markup(f"<label {html_params(**attributes)}>{_text(field.label.text)}</label>")


def _text(value):
    """The text of `escape(value)`: a plain str is escaped without building Markup objects."""
    return escape_text(value) if type(value) is str else str(escape(value))
