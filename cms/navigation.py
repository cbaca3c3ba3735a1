"""The site's navigation (home page, menu, rotation catalogue) of each host and language, kept
in the Django cache: every page shows it, and it changes only when pages or sites do.

One cache entry, `NAVIGATION_KEY`, holds a dict keyed by (host, language, part); the signals of
`cms/signals.py` drop it whenever a page is published, unpublished, moved, saved or deleted, or
a site or locale changes. A page read while another process publishes could store what it read
before the publish: `NAVIGATION_TIMEOUT` bounds how long such a stale menu lasts.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page, Site

NAVIGATION_KEY = "cms:navigation"
NAVIGATION_TIMEOUT = 300  # seconds


def navigation_forget() -> None:
    cache.delete(NAVIGATION_KEY)


def navigation_part(request, part: str, build: Callable[[Page | None], object]):
    """`build(home)` for this request's host and language, from the cache when it holds it.
    `home` is the site's home page in the active language (None without a site)."""
    if request is None:
        return build(None)
    kept = getattr(request, "_cms_navigation", None)
    if kept is None:
        kept = cache.get(NAVIGATION_KEY) or {}
        request._cms_navigation = kept
    key = f"{request.get_host()}|{get_language()}|{part}"
    if key not in kept:
        kept[key] = build(_home(request))
        cache.set(NAVIGATION_KEY, kept, NAVIGATION_TIMEOUT)
    return kept[key]


def _home(request) -> Page | None:
    if not hasattr(request, "_portal_home"):
        site = Site.find_for_request(request)
        request._portal_home = site.root_page.localized if site else None
    return request._portal_home
