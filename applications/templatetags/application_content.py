"""An application's questions and answers on a page, each reader in their own language:
``{% load application_content %}`` then

- ``{% answer item application %}``: the answer to one question (a question of the
  application's snapshot with its ``value``): a choice in the reader's language (answers keep
  the English choice), yes or no translated, and what the applicant wrote as written, marked
  with the application's language and ``dir="auto"``;
- ``{{ step.title|section_title:application }}``: a step of the application named in the
  reader's language when it is a section of the call's questions;
- ``{% information_requests_for application as requests %}``: the requests for more
  information made on it, oldest first, with who asked and who answered;
- ``{% information_item request application %}``: what a request for more information is
  about (a question's label, a document's name, or "something else").

`answer_text(question, value)` is the plain-text form of an answer, for PDFs and exports.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from applications.enums import InformationItem, QuestionKind
from applications.selectors.timeline import information_requests_of
from portal.content_languages import choice_html, content_html, text_in
from portal.templatetags.formatting import date_text, number

register = template.Library()


@register.simple_tag
def answer(item: dict, application) -> str:
    value = item.get("value")
    if value is None or value == "" or value == []:
        return "—"
    kind = item.get("kind")
    if kind == QuestionKind.CHOICE:
        return choice_html(item, value)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return format_html_join(", ", "{}", ((choice_html(item, v),) for v in value))
    if kind in (QuestionKind.YES_NO, QuestionKind.NUMBER, QuestionKind.DATE):
        return answer_text(item, value)
    return format_html(
        '<div lang="{}" dir="auto">{}</div>', application.language, linebreaksbr(value)
    )


@register.filter
def section_title(title, application):
    for question in application.questions:
        if question.get("section") == title:
            return content_html(question, "section")
    return title


def _yes_no(value) -> str:
    return {"yes": gettext("Yes"), "no": gettext("No")}.get(value, value)


def _number(value) -> str:
    try:
        return number(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def _date(value) -> str:
    try:
        return date_text(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def _choice(question: dict, value) -> str:
    english = question.get("choices") or []
    if value in english:
        translated = text_in(question, "choices", translation.get_language() or "en") or []
        position = english.index(value)
        if position < len(translated):
            return translated[position]
    return value


def answer_text(question: dict, value) -> str:
    """An answer as plain text in the active language: yes or no translated, a choice in the
    language where the call gives it (else the English choice), a date and a number as the
    language writes them, and what the applicant typed as typed; "—" for no answer."""
    if value in (None, "", []):
        return "—"
    kind = question.get("kind")
    if kind == QuestionKind.YES_NO:
        return _yes_no(value)
    if kind == QuestionKind.CHOICE:
        return _choice(question, value)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return ", ".join(_choice(question, v) for v in value)
    if kind == QuestionKind.NUMBER:
        return _number(value)
    if kind == QuestionKind.DATE:
        return _date(value)
    return str(value)


@register.simple_tag
def information_item(request, application) -> str:
    if request.item_kind == InformationItem.QUESTION:
        for question in application.questions:
            if question["id"] == request.question_id:
                return content_html(question, "label")
    if request.item_kind == InformationItem.DOCUMENT:
        for kind in application.call.document_kinds.all():
            if kind.pk == request.document_kind_id:
                return content_html(kind, "name")
    return InformationItem.OTHER.label


@register.simple_tag
def information_requests_for(application) -> list:
    return list(information_requests_of(application=application))
