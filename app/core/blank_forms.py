"""Blank forms whose fields are written once per language, not once per page.

A page that shows an empty form next to its content (the goal page's add-step and progress-note
forms) builds a WTForms form and renders each field on every request, though a blank field of a
fixed form class comes out the same every time: the class fixes its name, id, label, hint, flags
and widget, the language fixes the label's and hint's text, and there is no data and no error.
`blank(StepForm)` stands in for `StepForm(formdata=None)`: `field(blank_form.title, ...)` gives the
same markup, from a cache keyed by class, field, arguments and catalogue; any other use of the
stand-in (an attribute of the form or of a field) builds the real blank form and answers from it.

Only plain form classes are cached: no `__init__` of their own (which could change fields per
request) and no field with a default (a default may change from day to day, like "today"); for
any other class `blank` returns the real blank form. The stand-ins are read only, so a view cannot
change a field (its choices, say) and have the cache write the unchanged one.
"""
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields.core import UnboundField

from app.i18n import translations

_PLAIN_INITS = (FlaskForm.__init__, Form.__init__)
_markup = {}  # (form class, field name, hint, attributes, id(catalogue)) -> (catalogue, markup)
_MAX_MARKUP = 512
_cacheable_classes = {}


def _cacheable(form_class):
    known = _cacheable_classes.get(form_class)
    if known is None:
        fields = [value for name in dir(form_class) if isinstance(value := getattr(form_class, name), UnboundField)]
        known = form_class.__init__ in _PLAIN_INITS and all(
            "default" not in unbound.kwargs and len(unbound.args) <= 2 for unbound in fields)
        _cacheable_classes[form_class] = known
    return known


def blank(form_class):
    """A blank form of `form_class` for display, as `form_class(formdata=None)`."""
    return BlankForm(form_class) if _cacheable(form_class) else form_class(formdata=None)


class BlankForm:
    """Stands in for a blank form: its fields are `BlankField`s, anything else is the real form's."""

    def __init__(self, form_class):
        self._form_class = form_class
        self._real = None

    def real(self):
        if self._real is None:
            self._real = self._form_class(formdata=None)
        return self._real

    def __getattr__(self, name):
        if isinstance(getattr(self._form_class, name, None), UnboundField):
            blank_field = BlankField(self, name)
            object.__setattr__(self, name, blank_field)
            return blank_field
        return getattr(self.real(), name)

    def __iter__(self):
        return iter(self.real())

    def __getitem__(self, name):
        return self.real()[name]

    def __setattr__(self, name, value):
        if not name.startswith("_"):
            raise AttributeError(f"a blank form is read only; build {self._form_class.__name__}(formdata=None) to change it")
        object.__setattr__(self, name, value)


class BlankField:
    """A field of a `BlankForm`: `field()` writes it from the cache; anything else reads the real field."""

    def __init__(self, form, name):
        self._form = form
        self._name = name

    def real(self):
        return getattr(self._form.real(), self._name)

    def __getattr__(self, name):
        return getattr(self.real(), name)

    def __setattr__(self, name, value):
        if not name.startswith("_"):
            raise AttributeError("a blank form's fields are read only")
        object.__setattr__(self, name, value)

    def markup(self, hint, attributes, render):
        """`render(real field, hint, **attributes)`, remembered per class, field, arguments and catalogue."""
        if hint is not None and type(hint) is not str:
            return render(self.real(), hint, **attributes)
        catalogue = translations()
        try:
            key = (self._form._form_class, self._name, hint, tuple(sorted(attributes.items())), id(catalogue))
            remembered = _markup.get(key)
        except TypeError:  # an attribute value that cannot be a key: render it as it is
            return render(self.real(), hint, **attributes)
        if remembered is not None and remembered[0] is catalogue:
            return remembered[1]
        written = render(self.real(), hint, **attributes)
        if len(_markup) < _MAX_MARKUP:
            _markup[key] = (catalogue, written)
        return written
