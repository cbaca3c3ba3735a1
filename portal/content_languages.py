"""Content that staff type in every language: which language a text is given in, the English
text where it is not, and that fallback marked for readers and screen readers.

A registered field (each app's ``translation.py``, django-modeltranslation) has one column per
language: ``title_en``, ``title_fr``, ``title_ar``, ``title_es``. Reading ``call.title`` gives
the active language's text, or the English one. The functions here work on such an object and
on the plain dicts applications keep of their questions (``Question.snapshot``): the English
text under the field's name, the others under ``translations[language][field]``.

Templates use ``{% load i18n_content %}`` (``portal/templatetags/i18n_content.py``).
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi, get_language_info, override
from django.utils.translation import gettext_lazy as _

#: The language every registered text must be given in, and the one shown when another is not.
DEFAULT = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
#: Every language of the interface, the default first.
LANGUAGES: tuple[str, ...] = (
    DEFAULT,
    *(code for code, _name in settings.LANGUAGES if code != DEFAULT),
)
OTHERS: tuple[str, ...] = LANGUAGES[1:]


def active_language() -> str:
    """The interface language now, as one of `LANGUAGES` (the default outside a request)."""
    code = (get_language() or DEFAULT).lower()
    if code in LANGUAGES:
        return code
    return code.split("-")[0] if code.split("-")[0] in LANGUAGES else DEFAULT


def localized_names(*fields: str, languages: Iterable[str] = LANGUAGES) -> list[str]:
    """``title`` → ``title_en, title_fr, title_ar, title_es``: the columns of registered fields,
    for forms and search fields that offer every language."""
    return [f"{field}_{code}" for field in fields for code in languages]


def localized(path: str, language: str | None = None) -> models.Expression:
    """An ORM expression for a registered field read in the active language with the English
    fallback, as the descriptor reads it: for ordering and `values()` across a relation
    (``localized("rotation__title")``), where the model's own manager does not rewrite."""
    code = language or active_language()
    english = F(f"{path}_{DEFAULT}")
    if code == DEFAULT:
        return english
    return Coalesce(NullIf(F(f"{path}_{code}"), Value("")), english)


class EnglishBaseColumn(models.Model):
    """Saves a registered model with English active, so that the original column (``title``,
    beside ``title_en`` …) always holds the English text, whichever language the person saving
    reads the portal in: a query that does not go through the model's manager (a filter across
    a relation, a raw export) reads one language, not the last editor's."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with override(DEFAULT):
            return super().save(*args, **kwargs)


def _given(value: Any) -> bool:
    return value is not None and value != "" and value != []


def text_in(obj: Any, field: str, language: str) -> Any:
    """The text of `field` given in `language` exactly (None when it is not): a model with
    per-language columns, or a question snapshot."""
    if isinstance(obj, dict):
        if language == DEFAULT:
            value = obj.get(field)
        else:
            value = (obj.get("translations") or {}).get(language, {}).get(field)
    else:
        value = getattr(obj, f"{field}_{language}", None)
    return value if _given(value) else None


def text_and_language(obj: Any, field: str, language: str | None = None) -> tuple[Any, str]:
    """The text to show for `field` and the language it is in: the reader's when given, else
    English (``("", DEFAULT)`` when neither is)."""
    code = language or active_language()
    value = text_in(obj, field, code)
    if value is not None:
        return value, code
    value = text_in(obj, field, DEFAULT)
    if value is None and not isinstance(obj, dict):
        value = getattr(obj, field, None)  # an unregistered model: its one column
    return (value if _given(value) else ""), DEFAULT


def translations_of(obj: Any, fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The texts of `fields` given in each language other than English, for a snapshot:
    ``{"fr": {"label": "…"}, …}`` (languages with nothing given are left out)."""
    found: dict[str, dict[str, Any]] = {}
    for code in OTHERS:
        given = {field: text_in(obj, field, code) for field in fields}
        given = {field: value for field, value in given.items() if value is not None}
        if given:
            found[code] = given
    return found


def is_fallback(obj: Any, field: str) -> bool:
    """Whether `field` is shown in English to a reader of another language."""
    value, code = text_and_language(obj, field)
    return _given(value) and code != active_language()


def marked(text: Any, language: str) -> SafeString:
    """`text`, escaped, wrapped in a ``lang`` (and, on a right-to-left page, ``dir="ltr"``)
    span when it is in another language than the page."""
    if not _given(text):
        return mark_safe("")
    if language == active_language():
        return conditional_escape(text)
    direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
    if get_language_bidi() or direction == "rtl":
        return format_html('<span lang="{}" dir="{}">{}</span>', language, direction, text)
    return format_html('<span lang="{}">{}</span>', language, text)


def content_html(obj: Any, field: str) -> SafeString:
    """`field` in the reader's language, or its English text marked ``lang="en"``."""
    return marked(*text_and_language(obj, field))


def choice_html(question: dict, value: Any) -> SafeString:
    """An answer to a choice question as the reader reads it. Answers keep the English choice
    (the same whatever language the applicant used); it is shown in the reader's language where
    the call gives one, and as given otherwise (an answer older than the translation)."""
    english = question.get("choices") or []
    if value not in english:
        return format_html('<span dir="auto">{}</span>', value)
    position = english.index(value)
    translated = text_in(question, "choices", active_language()) or []
    if position < len(translated) and _given(translated[position]):
        return conditional_escape(translated[position])
    return marked(value, DEFAULT)


def with_required_mark(label: Any) -> SafeString:
    """A question's label followed by the translated "(required)"."""
    sentence = conditional_escape(_("%(label)s (required)"))
    return mark_safe(sentence % {"label": conditional_escape(label)})  # noqa: S308 - both escaped


def _language_heading(code: str) -> str:
    name = get_language_info(code)["name_local"]
    name = name[:1].upper() + name[1:]
    if code == DEFAULT:
        return str(_("%(language)s (required)") % {"language": name})
    return name


#: A language's own name ("Français", "العربية"): the heading of its fields in forms, read by
#: whoever writes in it; the default language's says it is required. Lazy: panels are built
#: when models are imported.
language_heading = lazy(_language_heading, str)


def language_panels(*fields: str, collapse_others: bool = False) -> list:
    """Wagtail panels for registered `fields`: one group per language, English first
    ("English (required)", "Français", "العربية", "Español"). `collapse_others` folds the
    other languages (the rows of an inline panel stay short)."""
    from wagtail.admin.panels import FieldPanel, MultiFieldPanel

    return [
        MultiFieldPanel(
            [FieldPanel(name) for name in localized_names(*fields, languages=(code,))],
            heading=language_heading(code),
            classname="collapsed" if collapse_others and code != DEFAULT else "",
        )
        for code in LANGUAGES
    ]
