"""Template context every page needs: the language switcher and the user's roles."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_bidi, get_language_info

from portal import roles


def portal(request):
    return {
        "site_name": settings.SITE_NAME,
        "language_links": _language_links(request),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        # Asked only by a page that shows them (the dashboards' tabs), and kept in the session.
        "user_roles": SimpleLazyObject(lambda: _roles_shown(request)),
    }


def _roles_shown(request) -> list:
    return roles.roles_shown(request) if hasattr(request, "user") else []


def _home_url(code: str) -> str:
    """The public site's home page in language `code` (Wagtail serves each language's home
    under its prefix)."""
    with translation.override(code):
        try:
            return reverse("wagtail_serve", args=[""])
        except NoReverseMatch:
            return "/"


def _language_links(request):
    """One link per language to this same page in that language.

    A Wagtail page sets `request.page_translations` (URL by language code of its live
    translations, `cms.models.BasePage.get_context`) because its slugs differ between
    locales: a language it is not translated into links to that language's home page instead,
    and says so, in that language (`untranslated`, `note`). Any other page keeps its path
    under the new prefix.
    """
    current = get_language()
    page_urls = getattr(request, "page_translations", None)
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        untranslated = page_urls is not None and code not in page_urls
        if page_urls is None:
            url = translate_url(request.get_full_path(), code)
        elif untranslated:
            url = _home_url(code)
        else:
            url = page_urls[code]
        note = ""
        if untranslated:
            with translation.override(code):
                note = translation.gettext("home page — this page is not translated")
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current,
                "direction": "rtl" if info["bidi"] else "ltr",
                "untranslated": untranslated,
                "note": note,
            }
        )
    return links
