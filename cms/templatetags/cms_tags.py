"""Site-wide navigation: the home page and menu of the reader's language."""

from django import template
from django.utils.html import format_html_join
from wagtail.models import Page, Site

from cms.models import RotationCatalogPage

register = template.Library()


def _home(request) -> Page | None:
    if request is None:
        return None
    if not hasattr(request, "_portal_home"):
        site = Site.find_for_request(request)
        request._portal_home = site.root_page.localized if site else None
    return request._portal_home


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    home = _home(context.get("request"))
    return home.url if home else "/"


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """List items for the home page's children that are marked to show in menus."""
    request = context.get("request")
    home = _home(request)
    if home is None:
        return ""
    pages = home.get_children().live().in_menu()
    return format_html_join(
        "\n",
        '<li><a href="{}">{}</a></li>',
        ((page.get_url(request), page.title) for page in pages),
    )


@register.simple_tag(takes_context=True)
def rotation_catalogue_url(context) -> str:
    """The rotation catalogue in the reader's language, if the site has one."""
    home = _home(context.get("request"))
    if home is None:
        return ""
    page = RotationCatalogPage.objects.live().descendant_of(home).first()
    return page.get_url(context.get("request")) if page else ""
