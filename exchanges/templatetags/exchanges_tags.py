"""Template tags of the exchange pages: the head of a table, written once for every list."""

from django import template

register = template.Library()


@register.inclusion_tag("exchanges/includes/table_head.html")
def table_head(*labels) -> dict:
    """`{% table_head _("Rotation") _("Dates") %}`: a row of column headers."""
    return {"labels": labels}
