"""Programme staff's side: the match's inputs, cycles, runs side by side, institutions."""

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from exchanges.enums import RotationStatus
from exchanges.models import (
    Coordinator,
    Couple,
    CoupleChoice,
    CoupleStatus,
    ExchangeCycle,
    Institution,
    MatchRun,
    RankList,
    RankListEntry,
    Rotation,
    SchoolRankEntry,
)
from exchanges.selectors.exclusions import Exclusions, match_exclusions
from portal.pagination import paginate

#: Rows of a run's result on one page: three queries per page, whatever its size.
RUN_PAGE_SIZE = 50


@dataclass(frozen=True)
class MatchInputs:
    """Plain ids, as `stable_match_with_couples` takes them: rank list ids for students,
    rotation ids, couple ids; and who was left out, with their `LeftOut` codes."""

    students: dict[int, list[int]]
    rotations: dict[int, list[int]]
    capacities: dict[int, int]
    # couple id -> (first rank list id, second rank list id, [(rotation, rotation), ...])
    couples: dict[int, tuple[int, int, list[tuple[int, int]]]] = field(default_factory=dict)
    excluded: list[tuple[int, str]] = field(default_factory=list)  # (rank list, code)
    excluded_pairs: list[tuple[int, int, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "students": [[s, r] for s, r in self.students.items()],
            "rotations": [[r, s] for r, s in self.rotations.items()],
            "capacities": [[r, c] for r, c in self.capacities.items()],
            "couples": [
                [c, a, b, [list(pair) for pair in pairs]]
                for c, (a, b, pairs) in self.couples.items()
            ],
            "excluded": [list(row) for row in self.excluded],
            "excluded_pairs": [list(row) for row in self.excluded_pairs],
        }

    @classmethod
    def from_json(cls, data: dict) -> "MatchInputs":
        """Runs stored before couples and exclusions have none of their keys."""
        return cls(
            students={s: list(r) for s, r in data["students"]},
            rotations={r: list(s) for r, s in data["rotations"]},
            capacities={r: c for r, c in data["capacities"]},
            couples={
                c: (a, b, [tuple(pair) for pair in pairs])
                for c, a, b, pairs in data.get("couples", [])
            },
            excluded=[tuple(row) for row in data.get("excluded", [])],
            excluded_pairs=[tuple(row) for row in data.get("excluded_pairs", [])],
        )


def _linked_couples(cycle: ExchangeCycle, submitted: set[int]) -> dict[int, tuple]:
    """Linked couples whose two lists are submitted and who ranked at least one pair (until
    then each member takes part with their own list), pairs on published rotations only."""
    couples = {
        pk: (a, b, [])
        for pk, a, b in Couple.objects.filter(cycle=cycle, status=CoupleStatus.LINKED)
        .order_by("pk")
        .values_list("pk", "first_id", "second_id")
        if a in submitted and b in submitted
    }
    for couple_id, first, second in (
        CoupleChoice.objects.filter(
            couple_id__in=couples,
            first_rotation__status=RotationStatus.PUBLISHED,
            first_rotation__cycle=cycle,
            second_rotation__status=RotationStatus.PUBLISHED,
            second_rotation__cycle=cycle,
        )
        .order_by("couple_id", "position")
        .values_list("couple_id", "first_rotation_id", "second_rotation_id")
    ):
        couples[couple_id][2].append((first, second))
    return {pk: couple for pk, couple in couples.items() if couple[2]}


def match_inputs(*, cycle: ExchangeCycle, exclusions: Exclusions | None = None) -> MatchInputs:
    """Submitted student lists against the published rotations of the cycle.

    A rotation whose school did not submit its ranking accepts nobody (as a programme without
    a certified list in the NRMP); a school's entry for a student who no longer ranks the
    rotation is left out, so it can neither place nor shift anyone. A linked couple takes
    part with its pairs instead of its members' lists (`_linked_couples`). Students left out
    (`match_exclusions`) are in neither side's lists, a student's pair left out is off their
    list and off every pair of their couple naming it, and a couple with a member left out
    is left out; the reasons are kept. `exclusions`: those of `match_exclusions` unless given.
    """
    submitted = RankList.objects.filter(cycle=cycle, submitted_at__isnull=False)
    rotations = Rotation.objects.filter(cycle=cycle, status=RotationStatus.PUBLISHED)
    students: dict[int, list[int]] = {
        pk: [] for pk in submitted.order_by("pk").values_list("pk", flat=True)
    }
    for rank_list_id, rotation_id in (
        RankListEntry.objects.filter(rank_list__in=submitted, rotation__in=rotations)
        .order_by("rank_list_id", "position")
        .values_list("rank_list_id", "rotation_id")
    ):
        students[rank_list_id].append(rotation_id)
    capacities = dict(rotations.order_by("pk").values_list("pk", "capacity"))
    prefs: dict[int, list[int]] = {pk: [] for pk in capacities}
    still_ranks = RankListEntry.objects.filter(
        rank_list=OuterRef("rank_list_id"), rotation=OuterRef("rotation_id")
    )
    for rotation_id, rank_list_id in (
        SchoolRankEntry.objects.filter(
            rotation__in=rotations.filter(ranking_submitted_at__isnull=False),
            rank_list__in=submitted,
            position__isnull=False,
        )
        .filter(Exists(still_ranks))
        .order_by("rotation_id", "position")
        .values_list("rotation_id", "rank_list_id")
    ):
        prefs[rotation_id].append(rank_list_id)
    couples = _linked_couples(cycle, set(students))
    if exclusions is None:
        exclusions = match_exclusions(cycle=cycle)
    left_out = {s: code for s, code in exclusions.students.items() if s in students}
    for pk, (a, b, _pairs) in list(couples.items()):
        if a in left_out or b in left_out:
            del couples[pk]
    off_pairs = {
        (s, r): code
        for (s, r), code in exclusions.pairs.items()
        if s in students and s not in left_out
    }
    for pk, (a, b, pairs) in couples.items():
        kept = [
            (ra, rb) for ra, rb in pairs if (a, ra) not in off_pairs and (b, rb) not in off_pairs
        ]
        couples[pk] = (a, b, kept)
    in_couples = {m for a, b, _pairs in couples.values() for m in (a, b)}
    students = {
        s: [r for r in ranked if (s, r) not in off_pairs]
        for s, ranked in students.items()
        if s not in left_out and s not in in_couples
    }
    prefs = {
        r: [s for s in ranked if s not in left_out and (s, r) not in off_pairs]
        for r, ranked in prefs.items()
    }
    return MatchInputs(
        students=students,
        rotations=prefs,
        capacities=capacities,
        couples=couples,
        excluded=sorted(left_out.items()),
        excluded_pairs=sorted((s, r, code) for (s, r), code in off_pairs.items()),
    )


def cycle_list_for_staff() -> QuerySet[ExchangeCycle]:
    return (
        ExchangeCycle.objects.select_related("published_run")
        .annotate(
            submitted_count=Count(
                "rank_lists", filter=Q(rank_lists__submitted_at__isnull=False), distinct=True
            ),
            rotation_count=Count(
                "rotations", filter=Q(rotations__status=RotationStatus.PUBLISHED), distinct=True
            ),
            run_count=Count("runs", distinct=True),
        )
        .order_by("-opens_at", "-pk")
    )


def cycle_overview(*, cycle: ExchangeCycle) -> dict[str, int]:
    lists = cycle.rank_lists.aggregate(
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        drafts=Count("pk", filter=Q(submitted_at__isnull=True)),
    )
    rotations = cycle.rotations.filter(status=RotationStatus.PUBLISHED).aggregate(
        published=Count("pk"),
        rankings=Count("pk", filter=Q(ranking_submitted_at__isnull=False)),
        seats=Coalesce(Sum("capacity"), 0),
    )
    return {**lists, **rotations}


def run_list(*, cycle: ExchangeCycle) -> QuerySet[MatchRun]:
    return cycle.runs.select_related("created_by").defer("inputs", "result").order_by("-number")


def run_get(*, run_id: int) -> MatchRun:
    """The run with its figures; its inputs and result (thousands of students) are read when
    asked for, or a page at a time by `run_results`."""
    return get_object_or_404(
        MatchRun.objects.select_related("cycle", "created_by").defer("inputs", "result"),
        pk=run_id,
    )


@dataclass(frozen=True)
class RunRow:
    rank_list: RankList
    rotation: Rotation | None
    choice: int | None  # 1 for the first choice


def run_results(*, run: MatchRun, page_number=None) -> Page:
    """The run's result, one row per student, paginated: the page's slice of the result and
    of the students' lists is cut out of the JSON by the database, so a page costs three
    queries whatever the number of students."""
    page = paginate(_ResultRows(run), page_number, per_page=RUN_PAGE_SIZE)
    pair_choice = _pair_choices(run) if run.couples else {}
    lists = RankList.objects.select_related("student").in_bulk([s for s, _r, _l in page])
    rotations = Rotation.objects.select_related("institution").in_bulk(
        [r for _s, r, _l in page if r is not None]
    )
    page.object_list = [
        RunRow(
            rank_list=lists[s],
            rotation=rotations.get(r),
            choice=pair_choice[s]
            if s in pair_choice
            else (ranked.index(r) + 1 if r is not None and r in ranked else None),
        )
        for s, r, ranked in page.object_list
        if s in lists
    ]
    return page


def _pair_choices(run: MatchRun) -> dict[int, int | None]:
    """Each couple member's choice: the rank of the pair the couple is placed on (None when
    unplaced). The members close the result (after the singles), so one query reads the
    couples and that tail, a few rows in a hundred."""
    singles = run.students - 2 * run.couples
    couples, tail = (
        MatchRun.objects.filter(pk=run.pk)
        .values_list("inputs__couples", _JsonSlice("result", singles, run.students))
        .get()
    )
    placed = {s: r for s, r in tail or []}
    choice: dict[int, int | None] = {}
    for _couple, a, b, pairs in couples or []:
        here = [placed.get(a), placed.get(b)]
        choice[a] = choice[b] = pairs.index(here) + 1 if here in pairs else None
    return choice


class _ResultRows:
    """A run's result as the paginator sees it: its length is the run's student count, and a
    slice is read from the database, `(rank list id, rotation id or None, ranked rotations)`
    per student (the result follows the order of the inputs' students)."""

    def __init__(self, run: MatchRun) -> None:
        self.run = run

    def __len__(self) -> int:
        return self.run.students

    def __getitem__(self, index: slice) -> list[tuple[int, int | None, list[int]]]:
        start, stop, _step = index.indices(len(self))
        if stop <= start:
            return []
        result, students = (
            MatchRun.objects.filter(pk=self.run.pk)
            .values_list(
                _JsonSlice("result", start, stop), _JsonSlice("inputs", start, stop, "students")
            )
            .get()
        )
        ranks = {s: ranked for s, ranked in students}
        return [(s, r, ranks.get(s, [])) for s, r in result]


class _JsonSlice(Func):
    """Elements `start` to `stop` (excluded) of a JSON array column (or of its array under
    `key`), as a JSON array, cut out by the database."""

    output_field = JSONField()

    def __init__(self, column: str, start: int, stop: int, key: str = "") -> None:
        super().__init__(F(column))
        self.start, self.stop, self.key = start, stop, key

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other databases
        raise NotImplementedError(f"no JSON array slice for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0])
        key = f".{self.key}" if self.key else ""
        path = f"${key}[{self.start} to {self.stop - 1}]"
        return f"jsonb_path_query_array({column}, %s::jsonpath)", (*params, path)

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0])
        each = f"json_each({column}, %s)" if self.key else f"json_each({column})"
        path = (f"$.{self.key}",) if self.key else ()
        # Only the compiled column goes into the text; every value is a parameter.
        sql = "(SELECT json_group_array(json(value)) FROM (SELECT value FROM %s ORDER BY key "
        return (
            sql % each + "LIMIT %s OFFSET %s))",
            (*params, *path, self.stop - self.start, self.start),
        )


@dataclass
class Comparison:
    runs: list[MatchRun]
    differences: list[tuple[RankList, list[Rotation | None]]]  # first rows, in student order
    difference_count: int


def run_compare(*, cycle: ExchangeCycle, run_ids, limit: int = 100) -> Comparison:
    """Runs side by side, and the students whom they place differently."""
    runs = list(cycle.runs.filter(pk__in=run_ids).select_related("created_by").order_by("number"))
    results = [dict(map(tuple, run.result)) for run in runs]
    students = list(dict.fromkeys(s for result in results for s in result))
    differing = [s for s in students if len({result.get(s) for result in results}) > 1]
    shown = differing[:limit]
    lists = RankList.objects.select_related("student").in_bulk(shown)
    rotations = Rotation.objects.select_related("institution").in_bulk(
        {result.get(s) for result in results for s in shown} - {None}
    )
    return Comparison(
        runs=runs,
        differences=[
            (lists[s], [rotations.get(result.get(s)) for result in results])
            for s in shown
            if s in lists
        ],
        difference_count=len(differing),
    )


def institution_get(*, institution_id: int) -> Institution:
    return get_object_or_404(Institution, pk=institution_id)


def institution_list_for_staff(*, page_number=None) -> Page:
    institutions = Institution.objects.prefetch_related(
        Prefetch(
            "coordinator_links",
            queryset=Coordinator.objects.select_related("user").order_by("user__email"),
        )
    ).order_by("name", "pk")
    return paginate(institutions, page_number)


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
        (
            _("Exchange cycles and matches"),
            ExchangeCycle.objects.count(),
            reverse("exchanges:staff_cycles"),
        ),
        (
            _("Coordinators to invite"),
            Institution.objects.filter(coordinator_links__isnull=True).count(),
            reverse("exchanges:staff_institutions"),
        ),
    ]
