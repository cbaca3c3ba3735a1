"""The ranking board's stored figures: one row per application on a call's board (its scores
and rank, `BoardEntry`) and, per call, what those rows were computed from (`BoardState`).

They are derived data, like a materialised view: `BoardEntry.objects.rebuild(call)` recomputes
the whole call from its submitted reviews (the normalisation needs all of them) with the pure
`applications.algorithms.board`, and replaces the rows. `applications.services.board` rebuilds
after reviews change (a coalesced background task); `applications.selectors.board` rebuilds a
small call it finds stale, and reads the rows with an indexed, paginated query.
"""

from __future__ import annotations

import hashlib

from django.db import models, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from applications.algorithms import board as figures
from applications.algorithms.rubric import Criterion as RubricCriterion
from applications.enums import ApplicationState, ReviewState
from applications.models.applications import Application
from applications.models.calls import Call
from applications.models.reviews import Review

#: Rows written per INSERT when a call's board is rebuilt.
WRITE_BATCH = 2000


class BoardState(models.Model):
    """What a call's stored board was computed from, to tell when it is stale.

    `version` goes up whenever a review of the call changes (the review services);
    `refreshed_version` is the version the stored rows were computed at. The fingerprints
    (number and latest change of the call's reviews, the rubric, how many applications on the
    board have a rank) also catch changes made elsewhere (the admin, a withdrawal, a deleted
    assignment). `pending` is set while a background refresh is queued, so that a burst of
    reviews queues one."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, primary_key=True, related_name="board_state"
    )
    version = models.PositiveIntegerField(default=0)
    refreshed_version = models.PositiveIntegerField(default=0)
    pending = models.BooleanField(default=False)
    reviews_count = models.PositiveIntegerField(default=0)
    reviews_changed_at = models.DateTimeField(null=True, blank=True)
    rubric = models.CharField(max_length=64, blank=True)
    ranked = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"board of call #{self.call_id}, version {self.refreshed_version}/{self.version}"


def rubric_of(call: Call) -> list[RubricCriterion]:
    return [
        RubricCriterion(id=pk, weight=weight, scale_max=scale_max)
        for pk, weight, scale_max in call.criteria.order_by("sort_order", "pk").values_list(
            "pk", "weight", "scale_max"
        )
    ]


def rubric_fingerprint(criteria: list[RubricCriterion]) -> str:
    text = ";".join(f"{c.id}:{c.weight}:{c.scale_max}" for c in criteria)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def reviews_fingerprint(call: Call) -> tuple[int, object]:
    """How many submitted reviews the call has, and when the latest changed: a review
    submitted, changed, reopened or deleted changes one of them (a draft changes nothing)."""
    found = Review.objects.filter(
        assignment__application__call=call, state=ReviewState.SUBMITTED
    ).aggregate(count=Count("pk"), changed=Max("updated_at"))
    return found["count"], found["changed"]


class BoardEntryManager(models.Manager):
    def rebuild(self, call: Call) -> BoardState:
        """Recompute every application's scores and rank on the call's board and store them.

        Reads outside the write lock (the reviews, the applications), then, in one
        transaction holding the call's `BoardState` row, replaces the rows: readers see the
        old board or the new one, and two rebuilds never interleave."""
        state, _created = BoardState.objects.get_or_create(call=call)
        version = state.version
        count, changed = reviews_fingerprint(call)
        criteria = rubric_of(call)
        reviews = Review.objects.filter(
            assignment__application__call=call, state=ReviewState.SUBMITTED
        ).values_list("assignment__membership_id", "assignment__application_id", "scores")
        scores = figures.scores_compute(reviews.iterator(chunk_size=WRITE_BATCH), criteria)
        empty = figures.Scores()
        rows = [
            figures.BoardRow(
                application_id=pk,
                name=full_name or "",
                email="",
                country="",
                country_name="",
                institution="",
                state="",
                state_label="",
                requested_amount=None,
                default_amount=0,
                scores=scores.get(pk, empty),
            )
            for pk, full_name in Application.objects.filter(
                call=call, state__in=ApplicationState.on_board()
            ).values_list("pk", "applicant__full_name")
        ]
        entries = [
            BoardEntry(
                application_id=row.application_id,
                call=call,
                reviews=row.scores.reviews,
                raw_mean=row.scores.raw_mean,
                weighted_total=row.scores.weighted_total,
                normalised=row.scores.normalised,
                spread=row.scores.spread,
                disagreement=row.scores.disagreement,
                rank=row.rank,
            )
            for row in figures.rows_rank(rows)
        ]
        with transaction.atomic():
            state = BoardState.objects.select_for_update().get(pk=state.pk)
            self.filter(call=call).delete()
            self.bulk_create(entries, batch_size=WRITE_BATCH)
            state.refreshed_version = max(version, state.refreshed_version)
            state.reviews_count, state.reviews_changed_at = count, changed
            state.rubric = rubric_fingerprint(criteria)
            state.ranked = sum(1 for entry in entries if entry.rank is not None)
            state.refreshed_at = timezone.now()
            state.save()
        return state


class BoardEntry(models.Model):
    """An application's figures on its call's board (see `applications.algorithms.board`);
    the rest of the row (name, state, decision) is read live from the application."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="board_entry"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    reviews = models.PositiveIntegerField(default=0)
    raw_mean = models.FloatField(null=True, blank=True)
    weighted_total = models.FloatField(null=True, blank=True)
    normalised = models.FloatField(null=True, blank=True)
    spread = models.FloatField(default=0.0)
    disagreement = models.BooleanField(default=False)
    rank = models.PositiveIntegerField(null=True, blank=True)

    objects = BoardEntryManager()

    class Meta:
        indexes = [
            # The board's sorts (the ranking, then each score column) and its flag filter.
            models.Index(fields=["call", "rank"], name="board_rank"),
            models.Index(F("call"), F("normalised").desc(), name="board_normalised"),
            models.Index(F("call"), F("weighted_total").desc(), name="board_weighted"),
            models.Index(F("call"), F("raw_mean").desc(), name="board_raw"),
            models.Index(F("call"), F("reviews").desc(), name="board_reviews"),
            models.Index(
                fields=["call"],
                condition=models.Q(disagreement=True),
                name="board_disagreement",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.application_id}: {self.rank or '—'}"
