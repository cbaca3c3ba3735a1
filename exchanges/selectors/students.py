"""The student's side: cycles, the rank list with its documents, placement and explanation."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges import placement as algorithm
from exchanges import rules
from exchanges.enums import DocumentKind, LeftOut
from exchanges.models import (
    ExchangeCycle,
    Placement,
    RankList,
    RankListEntry,
    Rotation,
    StudentDocument,
)
from exchanges.selectors.matching import MatchInputs
from portal.permissions import allowed


def cycle_get(*, cycle_id: int) -> ExchangeCycle:
    return get_object_or_404(ExchangeCycle.objects.select_related("published_run"), pk=cycle_id)


def cycle_list_for_student(*, user, now=None) -> list[ExchangeCycle]:
    """Cycles open for ranking, and those the student took part in, each with their list
    (`my_list`) and placement (`my_placement`) attached."""
    now = now or timezone.now()
    mine = RankList.objects.filter(student=user).select_related("placement__rotation__institution")
    cycles = list(
        ExchangeCycle.objects.filter(
            Q(opens_at__lte=now, students_close_at__gt=now, published_run__isnull=True)
            | Q(rank_lists__student=user)
        )
        .distinct()
        .prefetch_related(Prefetch("rank_lists", queryset=mine, to_attr="mine"))
        .annotate(entry_count=Count("rank_lists__entries", filter=Q(rank_lists__student=user)))
        .order_by("-opens_at", "-pk")
    )
    for cycle in cycles:
        cycle.my_list = cycle.mine[0] if cycle.mine else None
        cycle.my_placement = getattr(cycle.my_list, "placement", None) if cycle.my_list else None
    return cycles


def rank_list_required_kinds(rank_list: RankList) -> list[str]:
    """Document kinds that the ranked rotations require, in the order of the vocabulary."""
    wanted = {
        kind
        for kinds in Rotation.objects.filter(rank_entries__rank_list=rank_list).values_list(
            "required_documents", flat=True
        )
        for kind in kinds
    }
    return [kind for kind in DocumentKind.values if kind in wanted]


def rank_list_missing(rank_list: RankList) -> list[str]:
    """What still stops the list from being submitted, in words for the student."""
    missing = []
    if not rank_list.entries.exists():
        missing.append(_("Rank at least one rotation."))
    if not rank_list.home_school:
        missing.append(_("Name your medical school."))
    if not rank_list.year_of_study:
        missing.append(_("Give your year of study."))
    if not rank_list.languages:
        missing.append(_("List the languages you speak."))
    uploaded = set(rank_list.documents.values_list("kind", flat=True))
    for kind in rank_list_required_kinds(rank_list):
        if kind not in uploaded:
            missing.append(
                _("Upload your %(document)s.") % {"document": DocumentKind(kind).label.lower()}
            )
    return missing


@dataclass
class RankListView:
    rank_list: RankList
    entries: list[RankListEntry]
    documents: list[tuple[str, str, StudentDocument | None]]  # kind, label, document
    missing: list[str] = field(default_factory=list)


def rank_list_view(*, rank_list: RankList) -> RankListView:
    entries = list(rank_list.entries.select_related("rotation__institution").order_by("position"))
    uploaded = {doc.kind: doc for doc in rank_list.documents.all()}
    kinds = rank_list_required_kinds(rank_list)
    for entry in entries:
        entry.missing_documents = [
            DocumentKind(kind).label
            for kind in entry.rotation.required_documents
            if kind not in uploaded
        ]
    return RankListView(
        rank_list=rank_list,
        entries=entries,
        documents=[(kind, DocumentKind(kind).label, uploaded.get(kind)) for kind in kinds],
        missing=rank_list_missing(rank_list),
    )


def rank_list_find_own(*, user, cycle: ExchangeCycle) -> RankList | None:
    """The student's list in this cycle, if they started one."""
    return RankList.objects.filter(cycle=cycle, student=user).first()


def rank_list_page(*, user, cycle_id: int) -> tuple[ExchangeCycle, RankList | None]:
    """The cycle and the student's list in it; a cycle where they have no list exists for
    them only while it is open for ranking."""
    cycle = cycle_get(cycle_id=cycle_id)
    mine = rank_list_find_own(user=user, cycle=cycle)
    if mine is None and not cycle.students_may_rank():
        raise Http404
    return cycle, mine


def rank_list_get_own(*, user, cycle_id: int) -> RankList:
    return get_object_or_404(
        RankList.objects.select_related("cycle"), cycle_id=cycle_id, student=user
    )


def document_get_downloadable(*, user, document_id: int) -> StudentDocument:
    document = get_object_or_404(
        StudentDocument.objects.filter(
            rank_list__in=rules.rank_lists_visible_to(user)
        ).select_related("rank_list"),
        pk=document_id,
    )
    if not allowed(user, "exchanges.download_document", document):
        raise Http404
    return document


def placement_get_visible(*, user, placement_id: int) -> Placement:
    return get_object_or_404(
        rules.placements_visible_to(user).select_related(
            "cycle", "rotation__institution", "rank_list__student"
        ),
        pk=placement_id,
    )


def placement_for_rank_list(*, rank_list: RankList) -> Placement | None:
    return (
        Placement.objects.filter(rank_list=rank_list)
        .select_related("rotation__institution", "cycle")
        .first()
    )


@dataclass(frozen=True)
class Explanation:
    choice: int  # the student's rank of the rotation, from 1
    rotation: Rotation
    reason: str  # "not_ranked", "filled_by_higher_ranked" or "no_seats"
    seats: int  # at the time of the match


def placement_explanation(*, rank_list: RankList) -> tuple[int | None, list[Explanation]]:
    """Why the student did not get each rotation they ranked above their match result.

    Read from the published run's stored inputs and result, so it says what the match did,
    whatever changed since. Returns the choice number of the match result (None: unplaced).
    No other student is named: the reasons are about the rotation's own ranking and seats.
    """
    run = rank_list.cycle.published_run
    if run is None:
        raise Http404("No match is published for this cycle.")
    inputs = MatchInputs.from_json(run.inputs)
    if rank_list.pk not in inputs.students:
        return None, []
    result = {s: r for s, r in run.result}
    reasons = algorithm.explain(
        rank_list.pk, inputs.students, inputs.rotations, inputs.capacities, result
    )
    ranked = list(dict.fromkeys(inputs.students[rank_list.pk]))
    rotations = Rotation.objects.select_related("institution").in_bulk([r for r, _ in reasons])
    placed = result.get(rank_list.pk)
    rows = [
        Explanation(
            choice=ranked.index(rotation_id) + 1,
            rotation=rotations[rotation_id],
            reason="no_seats"
            if reason == "filled_by_higher_ranked" and not inputs.capacities.get(rotation_id)
            else reason,
            seats=inputs.capacities.get(rotation_id, 0),
        )
        for rotation_id, reason in reasons
    ]
    return (ranked.index(placed) + 1 if placed is not None else None), rows


@dataclass(frozen=True)
class RunStanding:
    """How the published run took this student: alone, with a partner, or left out (and why,
    a `LeftOut` label); and whether the run ended stable."""

    left_out: str = ""
    in_couple: bool = False
    stable: bool = True


def run_standing(*, rank_list: RankList) -> RunStanding:
    run = rank_list.cycle.published_run
    if run is None:
        raise Http404("No match is published for this cycle.")
    inputs = MatchInputs.from_json(run.inputs)
    code = next((code for pk, code in inputs.excluded if pk == rank_list.pk), "")
    return RunStanding(
        left_out=str(LeftOut(code).label) if code in LeftOut.values else "",
        in_couple=any(rank_list.pk in (a, b) for a, b, _pairs in inputs.couples.values()),
        stable=run.stable,
    )
