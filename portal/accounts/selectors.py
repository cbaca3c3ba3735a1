"""Reads about people's accounts for the staff pages."""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from portal.accounts.models import User


def user_get(*, user_id: int) -> User:
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def authenticator_types(*, user: User) -> list[str]:
    """The kinds of second factor a person holds ("recovery_codes", "totp"), sorted."""
    return sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def user_list_search(*, query: str):
    """People whose email, name or name in Latin letters contains `query`, with the kinds of
    second factor they hold; nobody for an empty query, so the page never lists everyone."""
    query = query.strip()
    if not query:
        return User.objects.none()
    return (
        User.objects.filter(
            Q(email__icontains=query)
            | Q(full_name__icontains=query)
            | Q(latin_name__icontains=query)
        )
        .annotate(second_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk"))))
        .order_by("email")
    )
