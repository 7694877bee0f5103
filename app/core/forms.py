"""The base of every form: Flask-WTF's FlaskForm, with WTForms' own messages ("Not a valid date
value.", "Not a valid choice.") read from a catalogue loaded once per language.

Flask-WTF loads WTForms' catalogue from disk on the first message of every request (0.3 to 0.5 ms),
and a date, time or select field asks for its message as it is built, so every page with such a
form paid for a load. The catalogues are the same for the life of the process.
"""
from babel import support
from flask import has_request_context
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

from app.i18n import formatting

_catalogues = {}  # language name -> WTForms' catalogue in that language
_MAX_CATALOGUES = 64


def _catalogue():
    locale, _zone, name = formatting()
    found = _catalogues.get(name)
    if found is None:
        found = support.Translations.load(messages_path(), [locale], domain="wtforms")
        if len(_catalogues) < _MAX_CATALOGUES:
            _catalogues[name] = found
    return found


class WTFormsMessages:
    """WTForms' translations object: its messages in the viewer's language (as they are, outside a
    request)."""

    def gettext(self, string):
        return _catalogue().ugettext(string) if has_request_context() else string

    def ngettext(self, singular, plural, n):
        if not has_request_context():
            return singular if n == 1 else plural
        return _catalogue().ungettext(singular, plural, n)


MESSAGES = WTFormsMessages()


class TandemForm(FlaskForm):
    """Every form of the app derives from this one."""

    class Meta:
        def get_translations(self, form):
            return MESSAGES
