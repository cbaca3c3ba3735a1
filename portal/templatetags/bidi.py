"""Isolating what people typed from the sentence around it, so that a name or a title in one
script does not reorder a sentence in another (Unicode bidirectional algorithm, UAX #9).

``{% load bidi %}`` then ``{{ person|person_name }}`` (a user's name, never their address) and
``{{ value|bdi }}`` (a title, an institution, an email address, a number typed by someone),
both escaped and wrapped in ``<bdi>``. Blocks of text people wrote (answers, comments) take
``dir="auto"`` on their element instead.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value) -> str:
    """`value`, escaped, in a ``<bdi>``; nothing for None or an empty string."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def person_name(person) -> str:
    """A person's name for a page: their display name (the placeholder "Name not given" when
    they have none, never their email address), isolated in a ``<bdi>``. Takes a user, or a
    name already read as text."""
    if person is None:
        return ""
    name = getattr(person, "display_name", person)
    return format_html("<bdi>{}</bdi>", name)
