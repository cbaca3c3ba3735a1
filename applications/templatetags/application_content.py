"""An application's questions and answers on a page, each reader in their own language:
``{% load application_content %}`` then

- ``{% answer item application %}``: the answer to one question (a question of the
  application's snapshot with its ``value``): a choice in the reader's language (answers keep
  the English choice), yes or no translated, and what the applicant wrote as written, marked
  with the application's language and ``dir="auto"``;
- ``{{ step.title|section_title:application }}``: a step of the application named in the
  reader's language when it is a section of the call's questions.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from applications.enums import QuestionKind
from portal.content_languages import choice_html, content_html

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
    if kind == QuestionKind.YES_NO:
        return {"yes": gettext("Yes"), "no": gettext("No")}.get(value, value)
    if kind in (QuestionKind.NUMBER, QuestionKind.DATE):
        return str(value)
    return format_html(
        '<div lang="{}" dir="auto">{}</div>', application.language, linebreaksbr(value)
    )


@register.filter
def section_title(title, application):
    for question in application.questions:
        if question.get("section") == title:
            return content_html(question, "section")
    return title
