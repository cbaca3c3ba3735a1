"""Site-wide navigation: the home page and menu of the reader's language, read from the cache
(`cms.navigation`), so that a page asks the database nothing for them."""

from django import template
from django.utils.html import format_html_join

from cms.models import RotationCatalogPage
from cms.navigation import navigation_part

register = template.Library()


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    return navigation_part(context.get("request"), "home", lambda home: home.url if home else "/")


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """List items for the home page's children that are marked to show in menus."""
    request = context.get("request")

    def build(home) -> list[tuple[str, str]]:
        if home is None:
            return []
        pages = home.get_children().live().in_menu()
        return [(page.get_url(request), page.title) for page in pages]

    items = navigation_part(request, "menu", build)
    return format_html_join("\n", '<li><a href="{}">{}</a></li>', items)


@register.simple_tag(takes_context=True)
def rotation_catalogue_url(context) -> str:
    """The rotation catalogue in the reader's language, if the site has one."""
    request = context.get("request")

    def build(home) -> str:
        if home is None:
            return ""
        page = RotationCatalogPage.objects.live().descendant_of(home).first()
        return (page.get_url(request) or "") if page else ""

    return navigation_part(request, "catalogue", build)
