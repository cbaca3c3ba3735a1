"""The portal's public address, for every link that leaves a page: emails, PDFs, calendar
files, referee links, the Wagtail admin's notifications.

In production it is `SITE_URL`, required by the deployment check (`portal.checks`). In
development, when it is not set, the address is learned from the requests the web server
answers (`LearnAddressMiddleware`) and kept in the shared cache, so that a worker writing an
email links to the port the portal really runs on; before any request it is
`DEVELOPMENT_ADDRESS`.
"""

from django.conf import settings
from django.core.cache import cache

DEVELOPMENT_ADDRESS = "http://127.0.0.1:8000"
_CACHE_KEY = "portal.links.learned_address"
_learned: str | None = None  # this process's last write, to write only on a change


def public_address() -> str:
    """Scheme and host, without a slash: "https://portal.example.org"."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    return (cache.get(_CACHE_KEY) or DEVELOPMENT_ADDRESS).rstrip("/")


def public_url(path: str) -> str:
    """`path` ("/fr/dashboard/") as a full address; a full address is returned as it is."""
    if not path.startswith("/"):
        return path
    return public_address() + path


class LearnAddressMiddleware:
    """Development only (no `SITE_URL`): remember the address this server is reached at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _learned
        if not settings.SITE_URL:
            address = f"{request.scheme}://{request.get_host()}"
            if address != _learned:
                cache.set(_CACHE_KEY, address, None)
                _learned = address
        return self.get_response(request)
