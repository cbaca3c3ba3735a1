"""Template filters for mentoring pages: names of codes, and reasons in words."""

from django import template

from mentorship import reasons as words

register = template.Library()


@register.filter
def reasons_line(reasons, n: int = 3) -> str:
    return words.reasons_line(reasons or [], n)


@register.filter
def reason_texts(reasons, n: int = 5) -> list[str]:
    return [words.reason_text(r) for r in words.top_reasons(reasons or [], n)]


@register.filter
def specialty_names(codes) -> str:
    return words.join_names([words.specialty_name(c) for c in codes or []])


@register.filter
def language_names(codes) -> str:
    return words.join_names([words.language_name(c) for c in codes or []])


@register.filter
def country_names(codes) -> str:
    return words.join_names([words.country_name(c) for c in codes or []])


@register.filter
def score(value) -> str:
    """A compatibility as a whole number out of 100."""
    return "" if value is None else str(round(value))
