"""The cycle report for programme staff: where a match run placed students (by country, school
and rotation), how well it met their choices, the seats it left, whom it left unplaced and why,
and what became of its placements since publication.

The run is the published one, or before publication the latest. Its figures are read from its
stored inputs and result (what the match did, whatever changed since); the placements' answers
from the placements as they are now. A handful of queries whatever the cycle's size.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from exchanges import placement as algorithm
from exchanges.enums import LeftOut, PlacementSource, PlacementStatus
from exchanges.models import ExchangeCycle, MatchRun, Placement, RankList, Rotation
from exchanges.selectors.matching import MatchInputs
from portal.accounts.models import display_name_of


@dataclass(frozen=True)
class RotationRow:
    rotation_id: int
    country: str  # ISO 3166 code of the host school's country
    country_name: str
    institution_id: int
    school: str
    title: str
    seats: int  # at the time of the match
    placed: int  # by the match
    confirmed: int  # now, from any source
    unfilled: int  # seats less those held now (after publication) or placed (before)


@dataclass(frozen=True)
class UnplacedRow:
    rank_list_id: int
    code: str  # a key of `reason_labels()`
    reason: str  # in words
    details: str  # rotation by rotation, in words ("" when there is nothing more to say)


@dataclass(frozen=True)
class Outcome:
    source: str
    label: str
    offered: int  # waiting for an answer
    confirmed: int
    declined: int
    lapsed: int

    @property
    def total(self) -> int:
        return self.offered + self.confirmed + self.declined + self.lapsed


@dataclass
class CycleReport:
    cycle: ExchangeCycle
    run: MatchRun | None
    published: bool
    rotations: list[RotationRow] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # by source, after publication
    # Explaining each unplaced student is the report's one costly part: done when asked for
    # (the page and the unplaced CSV), not for the placements CSV.
    explain_unplaced: Callable[[], list[UnplacedRow]] = field(default=list, repr=False)

    @cached_property
    def unplaced(self) -> list[UnplacedRow]:
        """The run's unplaced students, then those left out of it."""
        return self.explain_unplaced()

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.rotations)

    @property
    def placed(self) -> int:
        return sum(row.placed for row in self.rotations)

    @property
    def unfilled(self) -> int:
        return sum(row.unfilled for row in self.rotations)

    @property
    def confirmed(self) -> int:
        return sum(row.confirmed for row in self.rotations)

    def _placed_by(self, key: Callable[[RotationRow], object]) -> list[tuple[str, int]]:
        """Students placed by the match per `key` (a (name, …) tuple), the most first; those
        with seats and nobody placed too."""
        placed: Counter = Counter()
        for row in self.rotations:
            placed[key(row)] += row.placed
        return sorted(((k[0], n) for k, n in placed.items()), key=lambda item: (-item[1], item[0]))

    def by_country(self) -> list[tuple[str, int]]:
        return self._placed_by(lambda row: (row.country_name,))

    def by_school(self) -> list[tuple[str, int]]:
        return self._placed_by(lambda row: (row.school, row.institution_id))

    def choices(self) -> list[tuple[str, int]]:
        """The run's students by the rank of the rotation they got: first choice, second or
        third, further down, unplaced (a couple's members by the rank of their pair)."""
        run = self.run
        if run is None:
            return []
        return [
            (_("First choice"), run.first_choice),
            (_("Second or third choice"), run.top_three - run.first_choice),
            (_("A later choice"), run.placed - run.top_three),
            (_("Unplaced"), run.unplaced),
        ]

    def reasons(self) -> list[tuple[str, int]]:
        """How many students are unplaced or left out for each reason, the most first."""
        counts = Counter(row.reason for row in self.unplaced)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def report_run(*, cycle: ExchangeCycle) -> MatchRun | None:
    """The run the report is about: the published one, else the latest (None before any)."""
    if cycle.published_run_id:
        return cycle.published_run
    return cycle.runs.order_by("-number").first()


def cycle_report(*, cycle: ExchangeCycle, now=None) -> CycleReport:
    """The whole report in two queries whatever the number of students and rotations: the
    latest run (before publication; the published one comes with the cycle) or the placements
    by rotation and source (after), and the rotations."""
    now = now or timezone.now()
    run = report_run(cycle=cycle)
    if run is None:
        return CycleReport(cycle=cycle, run=None, published=False)
    published = cycle.published_run_id == run.pk
    inputs = MatchInputs.from_json(run.inputs)
    result = {s: r for s, r in run.result}
    holders: dict[int, list[int]] = defaultdict(list)  # the students the run placed there
    for s, r in result.items():
        if r is not None:
            holders[r].append(s)
    per_rotation, outcomes = _placements(cycle, now) if published else ({}, [])
    ids = set(inputs.capacities) | set(per_rotation) | {r for _s, r, _c in inputs.excluded_pairs}
    rotations = {
        pk: (title, institution_id, school, country, capacity)
        for pk, title, institution_id, school, country, capacity in Rotation.objects.filter(
            pk__in=ids
        ).values_list(
            "pk", "title", "institution_id", "institution__name", "institution__country", "capacity"
        )
    }
    rows = []
    for pk, (title, institution_id, school, country, capacity) in rotations.items():
        if pk not in inputs.capacities and pk not in per_rotation:
            continue  # only named by a left-out pair
        seats = inputs.capacities.get(pk, capacity)
        placed = len(holders.get(pk, ()))
        confirmed, held = per_rotation.get(pk, (0, 0))
        taken = held if published else placed
        rows.append(
            RotationRow(
                rotation_id=pk,
                country=str(country),
                country_name=str(countries.name(country)) or str(country),
                institution_id=institution_id,
                school=school,
                title=title,
                seats=seats,
                placed=placed,
                confirmed=confirmed,
                unfilled=max(seats - taken, 0),
            )
        )
    rows.sort(key=lambda row: (row.country_name, row.school, row.title, row.rotation_id))
    titles = {pk: values[0] for pk, values in rotations.items()}
    return CycleReport(
        cycle=cycle,
        run=run,
        published=published,
        rotations=rows,
        outcomes=outcomes,
        explain_unplaced=partial(_unplaced, inputs, result, holders, titles),
    )


def _placements(cycle: ExchangeCycle, now) -> tuple[dict[int, tuple[int, int]], list[Outcome]]:
    """One query: (confirmed, seats held) per rotation, where a seat is held by a confirmed
    placement or an offer not lapsed; and the answers per source. An offer whose answer date
    has passed counts as lapsed, as `Placement.is_lapsed` says."""
    lapsed = Q(status=PlacementStatus.LAPSED) | Q(
        status=PlacementStatus.OFFERED, respond_by__lte=now
    )
    waiting = Q(status=PlacementStatus.OFFERED) & (
        Q(respond_by__isnull=True) | Q(respond_by__gt=now)
    )
    per_rotation: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_source: dict[str, Counter] = defaultdict(Counter)
    for row in (
        Placement.objects.filter(cycle=cycle)
        .values("rotation_id", "source")
        .annotate(
            offered=Count("pk", filter=waiting),
            confirmed=Count("pk", filter=Q(status=PlacementStatus.CONFIRMED)),
            declined=Count("pk", filter=Q(status=PlacementStatus.DECLINED)),
            lapsed=Count("pk", filter=lapsed),
        )
        .order_by()
    ):
        counts = per_rotation[row["rotation_id"]]
        counts[0] += row["confirmed"]
        counts[1] += row["confirmed"] + row["offered"]
        for status in ("offered", "confirmed", "declined", "lapsed"):
            per_source[row["source"]][status] += row[status]
    outcomes = [
        Outcome(
            source=source,
            label=str(label),
            offered=per_source[source]["offered"],
            confirmed=per_source[source]["confirmed"],
            declined=per_source[source]["declined"],
            lapsed=per_source[source]["lapsed"],
        )
        for source, label in PlacementSource.choices
    ]
    return {pk: (c, h) for pk, (c, h) in per_rotation.items()}, outcomes


def reason_labels() -> dict[str, str]:
    """Why a student is unplaced, in words, by code; a student left out has their `LeftOut`
    code instead."""
    return {
        "couple": _("Ranked pairs of rotations with a partner; no pair had a seat for both."),
        "unexplained": _("No reason can be given: this run found no stable result."),
        "nothing_ranked": _("No rotation on their list took part in the match."),
        "pairs_left_out": _("Left out at every rotation they ranked."),
        "not_ranked": _("No school they ranked put them on its ranking."),
        "filled": _("Every rotation they ranked went to students its school ranked higher."),
        "mixed": _(
            "Some schools did not rank them; students ranked higher took the other rotations."
        ),
    }


def _left_out_label(code: str) -> str:
    return str(LeftOut(code).label) if code in LeftOut.values else code


def _unplaced(
    inputs: MatchInputs, result: dict, holders: dict[int, list[int]], titles: dict[int, str]
) -> list[UnplacedRow]:
    """Each unplaced student's reason, from `exchanges.placement.explain` on the run's own
    inputs; then each student left out of the run, with the reason kept in its inputs (runs
    stored before exclusions have none)."""
    labels = reason_labels()
    off_pairs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for s, r, code in inputs.excluded_pairs:
        off_pairs[s].append((r, code))
    rows = []
    for s, r in result.items():
        if r is not None:
            continue
        code, details = _why(s, inputs, holders, titles)
        details.extend(
            f"{titles.get(rotation, f'#{rotation}')}: {_left_out_label(reason)}"
            for rotation, reason in off_pairs.get(s, ())
        )
        if code == "nothing_ranked" and off_pairs.get(s):
            code = "pairs_left_out"
        rows.append(
            UnplacedRow(rank_list_id=s, code=code, reason=labels[code], details="; ".join(details))
        )
    for s, code in inputs.excluded:
        rows.append(
            UnplacedRow(
                rank_list_id=s, code=f"left_out:{code}", reason=_left_out_label(code), details=""
            )
        )
    return rows


def _why(
    student: int, inputs: MatchInputs, holders: dict[int, list[int]], titles: dict[int, str]
) -> tuple[str, list[str]]:
    """The reason code of one unplaced student, and rotation by rotation in words. `explain`
    is given only the holders of the rotations the student ranked, which is all it reads of
    the result for them: the same answer, in time proportional to their list."""
    if student not in inputs.students:
        return "couple", []
    ranked = inputs.students[student]
    if not ranked:
        return "nothing_ranked", []
    part = {student: None}
    for rotation in set(ranked):
        part.update(dict.fromkeys(holders.get(rotation, ()), rotation))
    try:
        reasons = algorithm.explain(
            student, inputs.students, inputs.rotations, inputs.capacities, part
        )
    except ValueError:  # an unstable run (couples): no statement holds for every rotation
        return "unexplained", []
    details = []
    for number, (rotation, reason) in enumerate(reasons, start=1):
        if reason == "not_ranked":
            words = _("not on the school's ranking")
        elif not inputs.capacities.get(rotation):
            words = _("no seats")
        else:
            seats = inputs.capacities[rotation]
            words = ngettext(
                "its seat went to a student ranked higher",
                "its %(seats)s seats went to students ranked higher",
                seats,
            ) % {"seats": seats}
        details.append(f"{number}. {titles.get(rotation, f'#{rotation}')}: {words}")
    kinds = {reason for _rotation, reason in reasons}
    if kinds == {"not_ranked"}:
        return "not_ranked", details
    if "not_ranked" in kinds:
        return "mixed", details
    return "filled", details


def unplaced_students(*, cycle: ExchangeCycle, rank_list_ids) -> dict[int, dict]:
    """Name, email, home school and placement now (a seat from the post-match round or a
    waiting list) of the cycle's students among `rank_list_ids`: one query over the cycle's
    lists."""
    wanted = set(rank_list_ids)
    found = {}
    for pk, name, email, school, source, status in (
        RankList.objects.filter(cycle=cycle)
        .values_list(
            "pk",
            "student__full_name",
            "student__email",
            "home_school",
            "placement__source",
            "placement__status",
        )
        .order_by("pk")
        .iterator(chunk_size=2000)
    ):
        if pk in wanted:
            found[pk] = {
                "name": display_name_of(name),
                "email": email,
                "home_school": school,
                "since": _since(source, status),
            }
    return found


def _since(source: str | None, status: str | None) -> str:
    if not source:
        return ""
    return f"{PlacementSource(source).label}: {PlacementStatus(status).label}"


def unplaced_page_rows(
    *, report: CycleReport, limit: int = 50
) -> list[tuple[RankList, UnplacedRow]]:
    """The first `limit` unplaced students with their lists and names, for the page (the CSV
    has them all): one query."""
    shown = report.unplaced[:limit]
    lists = RankList.objects.select_related("student", "placement").in_bulk(
        [row.rank_list_id for row in shown]
    )
    return [(lists[row.rank_list_id], row) for row in shown if row.rank_list_id in lists]
