"""Reads of calls and committees, for views, dashboards and the CMS."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Call, CommitteeMembership


def call_list_open(*, now=None) -> QuerySet[Call]:
    now = now or timezone.now()
    return Call.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")


def call_get(*, call_id: int) -> Call | None:
    return Call.objects.filter(pk=call_id).first()


def membership_list_for_user(*, user, chair: bool | None = None) -> QuerySet[CommitteeMembership]:
    memberships = CommitteeMembership.objects.filter(user=user).select_related("call")
    if chair is not None:
        memberships = memberships.filter(is_chair=chair)
    return memberships.order_by("call__closes_at", "pk")


def staff_summary() -> list[tuple]:
    now = timezone.now()
    counts = Call.objects.aggregate(
        open=Count("pk", filter=Q(opens_at__lte=now, closes_at__gt=now)),
        total=Count("pk"),
    )
    return [(_("Open calls"), counts["open"], None), (_("All calls"), counts["total"], None)]
