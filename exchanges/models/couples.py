"""Two students of one cycle who link their applications, and the pairs of rotations they rank
together: the match places both of them, on one of their pairs, or neither."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoupleStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for an answer")
    LINKED = "linked", _("Linked")
    DISSOLVED = "dissolved", _("Dissolved")

    @classmethod
    def current(cls) -> frozenset[str]:
        """A student is in at most one couple in these states per cycle."""
        return frozenset({cls.PROPOSED, cls.LINKED})


class Couple(models.Model):
    """`first` asked `second` to rank with them; `second` accepts (linked) or declines
    (dissolved), and either dissolves a linked couple before the students' deadline. While
    linked, the match uses the couple's pairs instead of the two students' own lists."""

    cycle = models.ForeignKey(
        "exchanges.ExchangeCycle", on_delete=models.CASCADE, related_name="couples"
    )
    first = models.ForeignKey(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="couples_as_first"
    )
    second = models.ForeignKey(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="couples_as_second"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CoupleStatus.choices, default=CoupleStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "pk"]
        verbose_name = _("couple")
        verbose_name_plural = _("couples")
        # A list in two current couples as first and second at once is refused by the
        # service, which locks both lists: a unique constraint cannot span two columns.
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first=models.F("second")), name="couple_of_two_lists"
            ),
            models.UniqueConstraint(
                fields=["first"],
                condition=models.Q(status__in=["proposed", "linked"]),
                name="one_current_couple_as_first",
            ),
            models.UniqueConstraint(
                fields=["second"],
                condition=models.Q(status__in=["proposed", "linked"]),
                name="one_current_couple_as_second",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} + {self.second_id} ({self.status})"

    @property
    def is_linked(self) -> bool:
        return self.status == CoupleStatus.LINKED

    @property
    def is_proposed(self) -> bool:
        return self.status == CoupleStatus.PROPOSED

    def member_ids(self) -> tuple[int, int]:
        return self.first_id, self.second_id

    def partner_of(self, rank_list_id: int):
        """The other member's rank list."""
        return self.second if rank_list_id == self.first_id else self.first


class CoupleChoice(models.Model):
    """One ranked pair: `first_rotation` for the couple's first member, `second_rotation` for
    the second (the same rotation twice takes two of its seats)."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    first_rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="+"
    )
    second_rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["couple", "position"]
        verbose_name = _("pair of rotations")
        verbose_name_plural = _("pairs of rotations")
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "position"], name="one_pair_per_couple_position"
            ),
            models.UniqueConstraint(
                fields=["couple", "first_rotation", "second_rotation"],
                name="pair_once_per_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.first_rotation_id} + {self.second_rotation_id}"
