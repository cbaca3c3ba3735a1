"""Reads of institutions and rotations."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from exchanges.enums import RotationStatus
from exchanges.models import Institution


def institution_list_for_coordinator(*, user) -> QuerySet[Institution]:
    return (
        Institution.objects.filter(coordinator_links__user=user)
        .annotate(
            rotation_count=Count("rotations", distinct=True),
            published_count=Count(
                "rotations", filter=Q(rotations__status=RotationStatus.PUBLISHED), distinct=True
            ),
        )
        .order_by("name", "pk")
    )


def staff_summary() -> list[tuple]:
    counts = Institution.objects.aggregate(
        institutions=Count("pk", distinct=True),
        rotations=Count(
            "rotations", filter=Q(rotations__status=RotationStatus.PUBLISHED), distinct=True
        ),
    )
    return [
        (_("Partner institutions"), counts["institutions"], None),
        (_("Published rotations"), counts["rotations"], None),
    ]
