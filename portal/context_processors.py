"""Template context every page needs: the language switcher and the user's roles."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi, get_language_info

from portal import roles


def portal(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "language_links": _language_links(request),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "user_roles": roles.roles_for(request.user) if hasattr(request, "user") else [],
    }


def _language_links(request):
    """One link per language to this same page in that language.

    A Wagtail page sets `request.page_translations` (URL by language code) because
    its slugs differ between locales; any other page keeps its path under the new prefix.
    """
    current = get_language()
    page_urls = getattr(request, "page_translations", None) or {}
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = page_urls.get(code) or translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return links
