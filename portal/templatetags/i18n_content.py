"""Content staff type in every language, on a page: ``{% load i18n_content %}`` then

- ``{{ call|content:"title" }}``: the text in the reader's language, or the English text in a
  ``<span lang="en">`` (with ``dir="ltr"`` on a right-to-left page), escaped;
- ``{% if call|in_english:"title" %}…{% endif %}``: whether it is shown in English to a reader
  of another language, for a note such as "(in English)" where it helps (a page's heading);
- ``{% content_language rotation "requirements" as code %}``: the language of the text shown,
  for the ``lang`` of a block (``<div lang="{{ code }}" dir="auto">``) whose text a filter
  such as ``linebreaks`` splits into paragraphs.

Works on a model registered for translation (`<app>/translation.py`) and on the question
snapshots applications keep (see `portal.content_languages`).
"""

from django import template

from portal.content_languages import content_html, is_fallback, text_and_language

register = template.Library()


@register.filter
def content(obj, field: str) -> str:
    if obj is None:
        return ""
    return content_html(obj, field)


@register.filter
def in_english(obj, field: str) -> bool:
    return obj is not None and is_fallback(obj, field)


@register.simple_tag
def content_language(obj, field: str) -> str:
    return text_and_language(obj, field)[1]
