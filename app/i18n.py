"""Translations and date formats, looked up once per request.

Lists format dozens of dates and translate hundreds of strings per page.
Flask-Babel looks up the locale, time zone and catalogue on every call, and
Babel parses the locale and finds the pattern on every date; here the
viewer's locale, zone and catalogue are kept for the request (on the request
state of app/per_request.py, or on `g` outside a request), and date patterns are
cached per locale and style. Output is exactly Babel's.
"""
import datetime
import functools

from babel import Locale
from babel import dates as babel_dates
from flask import g, has_app_context
from flask_babel import get_locale, get_timezone, get_translations
from flask_babel import gettext as babel_gettext
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from app import per_request

UTC = datetime.timezone.utc


# One Locale object per language for the life of the process (the app's locale selector hands
# Flask-Babel one parsed Locale per language too); the date caches below are keyed by the language's
# name (a str hashes in C, a Locale in Python) and format with the one Locale object kept for it here.
_locales = {}


def _same_locale(locale):
    if locale is None:
        return None, None
    name = str(locale)
    return _locales.setdefault(name, locale), name


def _viewer_formatting():
    locale, name = _same_locale(get_locale())
    return locale, get_timezone(), name


def formatting():
    """(locale, time zone, the locale's name) of this request's viewer."""
    state = per_request.current()
    if state is not None:
        found = state.formatting
        if found is None:
            found = state.formatting = _viewer_formatting()
        return found
    found = g.get("_tandem_formatting")
    if found is None:
        found = g._tandem_formatting = _viewer_formatting()
    return found


def translations():
    state = per_request.current()
    if state is not None:
        found = state.translations
        if found is None:
            found = state.translations = get_translations()
        return found
    found = g.get("_tandem_translations")
    if found is None:
        found = g._tandem_translations = get_translations()
    return found


def _gettext(string, **variables):
    if per_request.current() is None and not has_app_context():
        return babel_gettext(string, **variables)
    text = translations().ugettext(string)
    return text % variables if variables else text


# Labels are module-level {key: lazy label} mappings, and Flask-Babel loads a language's catalogue
# once per process, so a label's text is the same on every request in that language: the texts of
# each mapping are kept per catalogue (a handful of mappings times the languages in use).
_label_texts = {}  # (id(labels), id(catalogue)) -> (labels, catalogue, {key: text})
_MAX_LABEL_SETS = 256


def translated_labels(labels):
    """{key: text} of a module-level {key: lazy label} mapping, in the viewer's language (read only).

    Lists show a label per row (moods, feelings, statuses); a mapping's texts are worked out once per
    language, not once per row or per request.
    """
    state = per_request.current()
    if state is None:
        return {key: str(label) for key, label in labels.items()}
    catalogue = state.translations
    if catalogue is None:
        catalogue = translations()
    remembered = _label_texts.get((id(labels), id(catalogue)))
    if remembered is not None and remembered[0] is labels and remembered[1] is catalogue:
        return remembered[2]
    texts = {key: str(label) for key, label in labels.items()}
    if len(_label_texts) < _MAX_LABEL_SETS:
        _label_texts[(id(labels), id(catalogue))] = (labels, catalogue, texts)
    return texts


def label_of(labels, key):
    """The translated label of `key` in a {key: lazy label} mapping, or the key itself if unknown."""
    texts = translated_labels(labels)
    return texts[key] if key in texts else key


def gettext(string, **variables):
    """Flask-Babel's gettext (same extraction keyword, same result), with the request's catalogue
    looked up once per request rather than on every call: for texts translated in a loop."""
    return _gettext(string, **variables)


def lazy_gettext(string, **variables):
    """Like Flask-Babel's lazy_gettext (same extraction keyword), translated with the request's catalogue."""
    return LazyString(_gettext, string, **variables)


@functools.lru_cache(maxsize=128)
def _pattern(locale_id, kind, style):
    locale = Locale.parse(locale_id)
    if kind == "date":
        return babel_dates.get_date_format(style, locale=locale)
    if kind == "time":
        return babel_dates.get_time_format(style, locale=locale)
    return babel_dates.get_datetime_format(style, locale=locale).replace("'", "")


# Formatting a date or a time is a pure function of (value, style, locale, zone) and pages show
# the same dates again and again, so results are remembered (bounded; dates and times only).


@functools.lru_cache(maxsize=4096)
def _day_text(value, style, locale_name):
    return _pattern(locale_name, "date", style).apply(value, _locales[locale_name])


@functools.lru_cache(maxsize=8192)
def _moment_text(value, style, locale_name, zone):
    locale = _locales[locale_name]
    local = value.replace(tzinfo=UTC).astimezone(zone)
    time = _pattern(locale_name, "time", "short").apply(local.timetz(), locale, reference_date=local.date())
    if style == "short":  # Babel's format_datetime(..., "short")
        return (_pattern(locale_name, "datetime", "short")
                .replace("{0}", time).replace("{1}", _day_text(local.date(), "short", locale_name)))
    return f"{_day_text(local.date(), style, locale_name)}, {time}"


@functools.lru_cache(maxsize=4096)
def _local_day_text(value, style, locale_name, zone):
    return _day_text(value.replace(tzinfo=UTC).astimezone(zone).date(), style, locale_name)


# The template filters `when` and `day` (a list shows a date or two per row).


def when(value, style="medium"):
    """A UTC timestamp shown in the viewer's time zone and language (minutes, never seconds)."""
    if not value:
        return ""
    _locale, zone, name = formatting()
    return _moment_text(value.replace(second=0, microsecond=0), style, name, zone)


def day(value, style="medium"):
    """A date (or the local date of a UTC timestamp) in the viewer's language."""
    if not value:
        return ""
    _locale, zone, name = formatting()
    if isinstance(value, datetime.datetime):
        return _local_day_text(value, style, name, zone)
    return _day_text(value, style, name)


# Template callables: Jinja's newstyle gettext semantics (%(name)s variables, escaped in HTML,
# `num` for plurals), called directly rather than through three layers of wrappers, since a
# page calls them dozens of times.


@pass_eval_context
def template_gettext(eval_ctx, string, **variables):
    text = translations().ugettext(string)
    return (Markup(text) if eval_ctx.autoescape else text) % variables


@pass_eval_context
def template_ngettext(eval_ctx, singular, plural, num, **variables):
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables


@pass_eval_context
def template_pgettext(eval_ctx, context, string, **variables):
    text = translations().upgettext(context, string)
    return (Markup(text) if eval_ctx.autoescape else text) % variables


@pass_eval_context
def template_npgettext(eval_ctx, context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    text = translations().unpgettext(context, singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables


def install_template_callables(jinja_env):
    jinja_env.globals.update(gettext=template_gettext, _=template_gettext, ngettext=template_ngettext,
                             pgettext=template_pgettext, npgettext=template_npgettext)
    jinja_env.newstyle_gettext = True
