"""Deployment checks of the portal's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def public_address_check(app_configs, **kwargs) -> list[Error]:
    """Links in emails and letters need the portal's public address, over HTTPS."""
    address = settings.SITE_URL
    if not address:
        return [
            Error(
                "SITE_URL is not set: emails and letters would link to a development address.",
                hint="Set SITE_URL to the portal's public address, e.g. https://portal.example.org",
                id="portal.E001",
            )
        ]
    parts = urlsplit(address)
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/"):
        return [
            Error(
                f"SITE_URL ({address}) is not an https:// address without a path.",
                hint="Set SITE_URL to the portal's public address, e.g. https://portal.example.org",
                id="portal.E002",
            )
        ]
    return []
