"""The scheduled notices of an exchange cycle's phases: who acts next is told when their phase
opens, and students with a list not submitted are reminded before their deadline."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from exchanges.enums import CyclePhase, RotationStatus
from exchanges.models import Coordinator, ExchangeCycle, RankList, Rotation
from exchanges.selectors.matching import cycle_overview
from exchanges.selectors.students import rank_list_missing
from portal import jobs
from portal.emails import email_send
from portal.permissions import staff_group

#: How long before the students' deadline an unsubmitted list is reminded of it.
REMINDER_BEFORE = timedelta(days=2)
DEADLINE_REMINDERS = "deadline_reminders"


def cycle_phases_notify(*, now: datetime) -> dict[str, int]:
    """Tell those who act next about each phase open now that they were not told about yet
    (one ledger key per cycle and phase), and remind students before their deadline.

    Only the phase open now is announced: a phase that opened and closed between two looks
    asks nothing of anyone any more.
    """
    counts = {"students": 0, "coordinators": 0, "staff": 0, "reminded": 0}
    for cycle in ExchangeCycle.objects.filter(published_run__isnull=True, opens_at__lte=now):
        phase = cycle.phase(now)
        notice = _NOTICES.get(phase)
        if notice is not None:
            outcome, tell = notice
            with transaction.atomic():
                if jobs.once(f"exchanges.phase:{phase}:cycle:{cycle.pk}"):
                    counts[outcome] += tell(cycle)
        closing_soon = now >= cycle.students_close_at - REMINDER_BEFORE
        if phase == CyclePhase.STUDENTS_RANKING and closing_soon:
            counts["reminded"] += _remind_unsubmitted(cycle)
    return counts


def _students_ranking_opened(cycle: ExchangeCycle) -> int:
    """Students who started a list in this cycle, and those who ranked in an earlier one."""
    ranked = RankList.objects.filter(Q(cycle=cycle) | Q(cycle__opens_at__lt=cycle.opens_at))
    sent = 0
    for student in (
        get_user_model()
        .objects.filter(pk__in=ranked.values("student"), is_active=True)
        .order_by("pk")
    ):
        sent += email_send(
            to=[student.email],
            template="exchanges_students_ranking_opened",
            context={"name": student.get_short_name(), "cycle": cycle},
            user=student,
        )
    return sent


def _schools_ranking_opened(cycle: ExchangeCycle) -> int:
    """Each coordinator of a school whose rotations have applicants, with how many."""
    rotations = list(
        Rotation.objects.filter(cycle=cycle, status=RotationStatus.PUBLISHED)
        .annotate(
            applicant_count=Count(
                "rank_entries",
                filter=Q(rank_entries__rank_list__submitted_at__isnull=False),
            )
        )
        .filter(applicant_count__gt=0)
        .order_by("start_date", "title", "pk")
    )
    by_institution: dict[int, list[Rotation]] = {}
    for rotation in rotations:
        by_institution.setdefault(rotation.institution_id, []).append(rotation)
    sent = 0
    for link in (
        Coordinator.objects.filter(institution_id__in=by_institution, user__is_active=True)
        .select_related("user", "institution")
        .order_by("institution_id", "user_id")
    ):
        rows = by_institution[link.institution_id]
        sent += email_send(
            to=[link.user.email],
            template="exchanges_schools_ranking_opened",
            context={
                "name": link.user.get_short_name(),
                "cycle": cycle,
                "institution": link.institution,
                "rotations": rows,
            },
            user=link.user,
        )
    return sent


def _match_due(cycle: ExchangeCycle) -> int:
    """Programme staff: both deadlines have passed and the match waits to be run."""
    overview = cycle_overview(cycle=cycle)
    sent = 0
    for user in staff_group().user_set.filter(is_active=True).order_by("pk"):
        sent += email_send(
            to=[user.email],
            template="exchanges_match_due",
            context={"name": user.get_short_name(), "cycle": cycle, **overview},
            user=user,
        )
    return sent


def _remind_unsubmitted(cycle: ExchangeCycle) -> int:
    """Students whose list is not submitted, once per list: an optional email."""
    sent = 0
    for rank_list in RankList.objects.filter(
        cycle=cycle, submitted_at__isnull=True, student__is_active=True
    ).select_related("student", "cycle"):
        with transaction.atomic():
            if not jobs.once(f"exchanges.deadline:2d:rank_list:{rank_list.pk}"):
                continue
            student = rank_list.student
            sent += email_send(
                to=[student.email],
                template="exchanges_ranking_closing",
                context={
                    "name": student.get_short_name(),
                    "cycle": cycle,
                    "missing": rank_list_missing(rank_list),
                },
                kind=DEADLINE_REMINDERS,
                user=student,
            )
    return sent


#: The phases that ask someone to act as they open: the outcome counted, and who is told.
_NOTICES: dict[str, tuple[str, Callable[[ExchangeCycle], int]]] = {
    CyclePhase.STUDENTS_RANKING: ("students", _students_ranking_opened),
    CyclePhase.SCHOOLS_RANKING: ("coordinators", _schools_ranking_opened),
    CyclePhase.MATCHING: ("staff", _match_due),
}
