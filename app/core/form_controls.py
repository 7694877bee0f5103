"""Form fields for templates: `field(form.title)` writes the label, hint, errors and control.

`field` is plain Python rather than a Jinja macro: a macro call sets up a context, a frame and its
arguments each time, which cost more than the markup it writes.

The controls are rendered by WTForms' own widgets with a quicker attribute writer.

WTForms writes every attribute through `Markup.format`, a pure-Python string formatter: a field
and its label took 120 to 150 µs on the bench machine, and on the goal page (three fields) they
were a sixth of the page's Python function calls. `html_params` below writes the same markup
(same order, same escaping) with plain string joins, in a third of the time. The common input
widgets are used as they are, with only their attribute writer swapped; any other widget, or one
configured with settings of its own, renders through WTForms unchanged.
tests/core/test_form_controls.py checks the output against WTForms byte for byte for every field
of every form.
"""
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key


def html_params(**attributes):
    """`wtforms.widgets.html_params`: sorted keys, `True` as a bare attribute, `False` left out."""
    parts = []
    for key, value in sorted(attributes.items()):
        if value is True:
            parts.append(str(escape(clean_key(key))))
        elif value is not False:
            parts.append(f'{escape(clean_key(key))}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(parts))


class _QuickTextArea(widgets.TextArea):
    """WTForms' TextArea, which calls the module's attribute writer directly."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        return Markup(f"<textarea {html_params(name=field.name, **kwargs)}>\r\n{escape(field._value())}</textarea>")


def _quick(widget_class):
    """The widget class with the quicker attribute writer (its `__call__` asks `self.html_params`)."""
    return type(f"Quick{widget_class.__name__}", (widget_class,), {"html_params": staticmethod(html_params)})()


_QUICK_WIDGETS = {
    widgets.TextInput: _quick(widgets.TextInput),
    widgets.EmailInput: _quick(widgets.EmailInput),
    widgets.NumberInput: _quick(widgets.NumberInput),
    widgets.DateInput: _quick(widgets.DateInput),
    widgets.TimeInput: _quick(widgets.TimeInput),
    widgets.DateTimeLocalInput: _quick(widgets.DateTimeLocalInput),
    widgets.TextArea: _QuickTextArea(),
}


def control(field, **attributes):
    """The field's control, as `field(**attributes)` renders it."""
    widget = field.widget
    quick = _QUICK_WIDGETS.get(type(widget))
    if quick is None or vars(widget):  # another widget, or one built with settings of its own
        return field(**attributes)
    attributes = {clean_key(key): value for key, value in attributes.items()}
    if field.render_kw:  # as WTForms' DefaultMeta.render_field merges them
        attributes = dict({clean_key(key): value for key, value in field.render_kw.items()}, **attributes)
    return quick(field, **attributes)


def field(form_field, hint=None, **attributes):
    """A labelled field: label, hint, error messages and control, with the hint and errors tied to the
    control (`aria-describedby`) and the control marked invalid when there are errors. `attributes` go
    to the control, `hint` replaces the field's own description."""
    field_id = escape(form_field.id)
    hint = hint or form_field.description
    errors = form_field.errors
    parts = [Markup('<div class="field field--error">' if errors else '<div class="field">'),
             label(form_field, class_="field__label")]
    described = []
    if hint:
        parts.append(Markup(f'<p class="field__hint" id="{field_id}-hint">{escape(hint)}</p>'))
        described.append(f"{form_field.id}-hint")
    if errors:
        messages = "".join(f"{escape(error)} " for error in errors)
        parts.append(Markup(f'<p class="field__error" id="{field_id}-error">{messages}</p>'))
        described.append(f"{form_field.id}-error")
        attributes["aria-invalid"] = "true"
    if described:
        attributes["aria-describedby"] = " ".join(described)
    parts.append(control(form_field, class_="field__input", **attributes))
    parts.append(Markup("</div>"))
    return Markup("\n").join(parts)


def label(field, **attributes):
    """The field's label, as `field.label(**attributes)` renders it."""
    if "for_" in attributes:
        attributes["for"] = attributes.pop("for_")
    else:
        attributes.setdefault("for", field.label.field_id)
    return Markup(f"<label {html_params(**attributes)}>{escape(field.label.text)}</label>")
