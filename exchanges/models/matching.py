"""Match runs (inputs, algorithm version, result, figures) and the placements they publish."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exchanges.enums import PlacementSource, PlacementStatus
from exchanges.models.second_round import MatchRound


class MatchRun(models.Model):
    """One run of the stable match (`exchanges.couples.stable_match_with_couples`, which is
    `exchanges.placement.stable_match` when no couple takes part), kept so that it can be
    compared, published and explained later. Students are rank list ids, rotations rotation
    ids, couples couple ids."""

    cycle = models.ForeignKey(
        "exchanges.ExchangeCycle", on_delete=models.CASCADE, related_name="runs"
    )
    number = models.PositiveIntegerField(_("run"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    algorithm_version = models.CharField(_("algorithm version"), max_length=100)
    match_round = models.CharField(
        _("round"), max_length=8, choices=MatchRound.choices, default=MatchRound.MAIN
    )
    # {"students": [[rank_list_id, [rotation_id, ...]], ...],
    #  "rotations": [[rotation_id, [rank_list_id, ...]], ...],
    #  "capacities": [[rotation_id, seats], ...],
    #  "couples": [[couple_id, first rank_list_id, second rank_list_id, [[rot, rot], ...]], ...],
    #  "excluded": [[rank_list_id, LeftOut code], ...],
    #  "excluded_pairs": [[rank_list_id, rotation_id, LeftOut code], ...]}: lists of pairs
    # keep ids integers in JSON. Runs before couples and exclusions lack the last three keys.
    inputs = models.JSONField()
    result = models.JSONField()  # [[rank_list_id, rotation_id or null], ...]
    stable = models.BooleanField(
        _("stable"),
        default=True,
        help_text=_("False when the match with couples found no stable result."),
    )
    couples_involved = models.JSONField(
        _("couples involved"), default=list, blank=True
    )  # [couple_id, ...] that kept the run from a stable result
    couples = models.PositiveIntegerField(_("couples"), default=0)
    left_out = models.PositiveIntegerField(_("students left out"), default=0)
    students = models.PositiveIntegerField(_("students"))
    placed = models.PositiveIntegerField(_("placed"))
    unplaced = models.PositiveIntegerField(_("unplaced"))
    rotations = models.PositiveIntegerField(_("rotations"))
    seats = models.PositiveIntegerField(_("seats"))
    seats_filled = models.PositiveIntegerField(_("seats filled"))
    first_choice = models.PositiveIntegerField(_("placed at their first choice"))
    top_three = models.PositiveIntegerField(_("placed at a top-3 choice"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="run_numbers_per_cycle")
        ]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")

    def __str__(self) -> str:
        return f"{self.cycle}, run {self.number}"

    @staticmethod
    def _share(count: int, total: int) -> float:
        return round(100 * count / total, 1) if total else 0.0

    @property
    def first_choice_share(self) -> float:
        return self._share(self.first_choice, self.students)

    @property
    def top_three_share(self) -> float:
        return self._share(self.top_three, self.students)

    @property
    def placed_share(self) -> float:
        return self._share(self.placed, self.students)

    @property
    def seats_filled_share(self) -> float:
        return self._share(self.seats_filled, self.seats)


class Placement(models.Model):
    """A student's seat at a rotation, from the published match or the post-match round.

    One per student and cycle: a student who declines, or lets the answer date pass, leaves
    the cycle. A declined seat goes back to the post-match round; a lapsed one to the next
    student on the school's ranking, or else to the post-match round
    (`exchanges.services.lapses`).
    """

    cycle = models.ForeignKey(
        "exchanges.ExchangeCycle", on_delete=models.CASCADE, related_name="placements"
    )
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    rank_list = models.OneToOneField(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="placement"
    )
    rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.PROTECT, related_name="placements"
    )
    source = models.CharField(_("source"), max_length=12, choices=PlacementSource.choices)
    status = models.CharField(_("status"), max_length=12, choices=PlacementStatus.choices)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    school_confirmed_at = models.DateTimeField(_("school confirmed at"), null=True, blank=True)
    letter_key = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["rotation", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [models.Index(fields=["rotation", "status"], name="placement_seat_idx")]

    def __str__(self) -> str:
        return f"{self.rank_list_id} at {self.rotation_id} ({self.status})"

    def is_lapsed(self, now) -> bool:
        """Lapsed once stored so, and already from its answer date on: the job that stores it
        runs a little later, and until then every read must say the same."""
        return self.status == PlacementStatus.LAPSED or (
            self.status == PlacementStatus.OFFERED
            and self.respond_by is not None
            and now >= self.respond_by
        )

    def holds_seat(self, now) -> bool:
        return self.status == PlacementStatus.CONFIRMED or (
            self.status == PlacementStatus.OFFERED and not self.is_lapsed(now)
        )


def seat_holding(now, prefix: str = "") -> models.Q:
    """The placements that take a seat at `now`, as a filter on Placement (or, with
    `prefix="placements__"`, on the rotations they belong to)."""
    return models.Q(**{f"{prefix}status": PlacementStatus.CONFIRMED}) | models.Q(
        **{f"{prefix}status": PlacementStatus.OFFERED, f"{prefix}respond_by__gt": now}
    )
