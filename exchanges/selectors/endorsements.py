"""Home-school endorsements: the student's own, the requests a school (or programme staff)
decides, who is told of a request, and the lists the match leaves out for want of one."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from exchanges import rules
from exchanges.models import (
    Coordinator,
    Endorsement,
    EndorsementStatus,
    ExchangeCycle,
    Institution,
    RankList,
)
from exchanges.models.institutions import CoordinatorConflict
from exchanges.selectors.exclusions import lists_not_endorsed
from exchanges.selectors.students import rank_list_page
from portal.pagination import paginate

#: The filters of the requests page: a status, or every status.
ALL = "all"
REQUEST_FILTERS = (
    EndorsementStatus.REQUESTED,
    EndorsementStatus.ENDORSED,
    EndorsementStatus.DECLINED,
    ALL,
)
PER_PAGE = 25


@dataclass(frozen=True)
class EndorsementPage:
    cycle: ExchangeCycle
    rank_list: RankList | None
    endorsement: Endorsement | None
    has_coordinator: bool  # the school named has a coordinator on the portal


def endorsement_for(*, rank_list: RankList | None) -> Endorsement | None:
    if rank_list is None:
        return None
    return (
        Endorsement.objects.select_related("institution", "decided_by")
        .filter(rank_list=rank_list)
        .first()
    )


def endorsement_page(*, user, cycle_id: int) -> EndorsementPage:
    """The student's side: the cycle, their list and its endorsement; a cycle where they have
    no list exists for them only while it is open for ranking (as the rank list page)."""
    cycle, mine = rank_list_page(user=user, cycle_id=cycle_id)
    endorsement = endorsement_for(rank_list=mine)
    return EndorsementPage(
        cycle=cycle,
        rank_list=mine,
        endorsement=endorsement,
        has_coordinator=endorsement is not None
        and Coordinator.objects.filter(institution_id=endorsement.institution_id).exists(),
    )


def partner_institutions() -> QuerySet[Institution]:
    """The schools a student may name as their home school."""
    return Institution.objects.order_by("name", "pk")


def endorsement_request_list(
    *,
    user,
    status: str = EndorsementStatus.REQUESTED,
    cycle_id: int | None = None,
    page_number=None,
) -> Page:
    """The requests the person may decide (`rules.endorsements_visible_to`), oldest first,
    of one status (or all), of one cycle if given; one page."""
    requests = rules.endorsements_visible_to(user)
    if status != ALL:
        requests = requests.filter(status=status)
    if cycle_id is not None:
        requests = requests.filter(rank_list__cycle_id=cycle_id)
    requests = requests.select_related(
        "rank_list__student", "rank_list__cycle", "institution"
    ).order_by("requested_at", "pk")
    return paginate(requests, page_number, per_page=PER_PAGE)


def endorsement_get_decidable(*, user, endorsement_id: int) -> Endorsement:
    """A request the person may decide (`exchanges.decide_endorsement`); Http404 for
    anything else."""
    return get_object_or_404(
        rules.endorsements_visible_to(user).select_related(
            "rank_list__student", "rank_list__cycle", "institution", "decided_by"
        ),
        pk=endorsement_id,
    )


def endorsement_recipients(endorsement: Endorsement) -> list:
    """The active coordinators of the school named, except the student and those who declared
    a conflict with them: whoever may decide the request."""
    student_id = endorsement.rank_list.student_id
    conflicted = CoordinatorConflict.objects.filter(
        coordinator=OuterRef("pk"), student_id=student_id
    )
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Coordinator.objects.filter(institution_id=endorsement.institution_id).values(
                "user"
            ),
        )
        .exclude(pk=student_id)
        .exclude(Exists(conflicted))
        .order_by("pk")
    )


def endorsement_missing_lists(*, cycle: ExchangeCycle) -> QuerySet[RankList]:
    """The cycle's submitted lists not endorsed, with their student and endorsement if any."""
    return (
        lists_not_endorsed(cycle=cycle)
        .filter(student__is_active=True)
        .select_related("student", "cycle", "endorsement__institution")
        .order_by("pk")
    )
