"""Small helpers shared by the services."""

from django.conf import settings


def user_language(user) -> str:
    """The language a person reads their email in: theirs if the portal speaks it."""
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE
