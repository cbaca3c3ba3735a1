"""The exchange programme's section of the daily digest: what waits for a coordinator (students
to rank, placements to confirm, new documents) and for programme staff (matches to run)."""

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.enums import PlacementStatus, RotationStatus
from exchanges.models import (
    Coordinator,
    ExchangeCycle,
    Placement,
    RankListEntry,
    Rotation,
    StudentDocument,
)
from exchanges.selectors.schools import rotation_list_for_coordinator
from portal.permissions import is_programme_staff, staff_group

#: Documents uploaded within this time before the digest are new to it.
NEW_DOCUMENTS = timedelta(days=1)


def _cycles_ranking(now: datetime):
    """Cycles in which schools may rank now (while students rank, and after until their own
    deadline), as `ExchangeCycle.schools_may_rank` says for one."""
    return ExchangeCycle.objects.filter(
        published_run__isnull=True, opens_at__lte=now, schools_close_at__gt=now
    )


def _cycles_awaiting_match(now: datetime):
    return ExchangeCycle.objects.filter(published_run__isnull=True, schools_close_at__lte=now)


def _awaiting_school(user=None):
    placements = Placement.objects.filter(
        status=PlacementStatus.CONFIRMED, school_confirmed_at__isnull=True
    )
    if user is not None:
        placements = placements.filter(rotation__institution__coordinator_links__user=user)
    return placements


def digest_recipients(now: datetime) -> set[int]:
    """Everyone who may have something waiting: coordinators of schools with a rotation in a
    cycle being ranked or a placement to confirm, and staff while a match waits. The digest
    leaves out whoever turns out to have nothing."""
    institutions = Rotation.objects.filter(cycle__in=_cycles_ranking(now)).values("institution")
    confirming = _awaiting_school().values("rotation__institution")
    ids = set(
        Coordinator.objects.filter(
            Q(institution__in=institutions) | Q(institution__in=confirming),
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    if _cycles_awaiting_match(now).exists():
        ids |= set(staff_group().user_set.filter(is_active=True).values_list("pk", flat=True))
    return ids


def digest_lines(user, now: datetime) -> list[tuple[str, str]]:
    """What waits for this person, one line each, in the active language."""
    return [*_rotation_lines(user, now), *_placement_lines(user), *_match_lines(user, now)]


def _rotation_lines(user, now: datetime) -> list[tuple[str, str]]:
    rotations = list(
        rotation_list_for_coordinator(user=user).filter(
            cycle__in=_cycles_ranking(now), status=RotationStatus.PUBLISHED
        )
    )
    new_documents = _new_documents(rotations, now)
    lines = []
    for rotation in rotations:
        url = reverse("exchanges:rotation_applicants", args=[rotation.pk])
        if rotation.to_review_count:
            lines.append(
                (
                    ngettext(
                        "%(rotation)s: %(count)s applicant to rank",
                        "%(rotation)s: %(count)s applicants to rank",
                        rotation.to_review_count,
                    )
                    % {"rotation": rotation.title, "count": rotation.to_review_count},
                    url,
                )
            )
        elif rotation.applicant_count and rotation.ranking_submitted_at is None:
            lines.append(
                (
                    _("%(rotation)s: your ranking is not submitted yet")
                    % {"rotation": rotation.title},
                    url,
                )
            )
        if new_documents[rotation.pk]:
            lines.append(
                (
                    ngettext(
                        "%(rotation)s: %(count)s new document to check",
                        "%(rotation)s: %(count)s new documents to check",
                        new_documents[rotation.pk],
                    )
                    % {"rotation": rotation.title, "count": new_documents[rotation.pk]},
                    url,
                )
            )
    return lines


def _new_documents(rotations: list[Rotation], now: datetime) -> Counter:
    """Per rotation, the documents of its applicants uploaded lately that it asks for (a
    school reads only those)."""
    required = {rotation.pk: set(rotation.required_documents or ()) for rotation in rotations}
    ranks: dict[int, list[int]] = {}
    for rank_list_id, rotation_id in RankListEntry.objects.filter(
        rotation_id__in=required, rank_list__submitted_at__isnull=False
    ).values_list("rank_list_id", "rotation_id"):
        ranks.setdefault(rank_list_id, []).append(rotation_id)
    counts: Counter = Counter()
    for rank_list_id, kind in StudentDocument.objects.filter(
        rank_list_id__in=ranks, uploaded_at__gt=now - NEW_DOCUMENTS, uploaded_at__lte=now
    ).values_list("rank_list_id", "kind"):
        for rotation_id in ranks[rank_list_id]:
            if kind in required[rotation_id]:
                counts[rotation_id] += 1
    return counts


def _placement_lines(user) -> list[tuple[str, str]]:
    rows = (
        _awaiting_school(user)
        .values("rotation__institution", "rotation__institution__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("rotation__institution__name", "rotation__institution")
    )
    return [
        (
            ngettext(
                "%(institution)s: %(count)s placement waits for your confirmation",
                "%(institution)s: %(count)s placements wait for your confirmation",
                row["n"],
            )
            % {"institution": row["rotation__institution__name"], "count": row["n"]},
            reverse("exchanges:institution_placements", args=[row["rotation__institution"]]),
        )
        for row in rows
    ]


def _match_lines(user, now: datetime) -> list[tuple[str, str]]:
    if not is_programme_staff(user):
        return []
    cycles = _cycles_awaiting_match(now).annotate(run_count=Count("runs")).order_by("opens_at")
    return [
        (
            (
                _("%(cycle)s: a match run waits to be published")
                if cycle.run_count
                else _("%(cycle)s: both deadlines have passed; the match waits to be run")
            )
            % {"cycle": cycle.name},
            reverse("exchanges:staff_cycle", args=[cycle.pk]),
        )
        for cycle in cycles
    ]
