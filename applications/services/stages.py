"""Writes of a call's second stage: the stage and its rubric, slots, the shortlist (emailing
the shortlisted), bookings (a free slot is taken by a conditional UPDATE … WHERE booked_by IS
NULL: of two people, tabs or clicks exactly one gets it), and the panel's scores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from applications.algorithms.rubric import Criterion as RubricCriterion
from applications.algorithms.rubric import weighted_total
from applications.enums import ApplicationState
from applications.models import (
    Application,
    Call,
    CommitteeMembership,
    InterviewSlot,
    Shortlisting,
    Stage,
    StageCriterion,
    StageScore,
)
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused

if TYPE_CHECKING:
    from portal.accounts.models import User

#: Slots one "generate" may add: a long day of ten-minute slots.
MAX_SLOTS_AT_ONCE = 100

#: What a criterion is made of beyond its texts: changing these changes totals.
_SCORING_FIELDS = ("weight", "scale_max")


def _scope(call_id: int) -> str:
    return f"call:{call_id}"


# --- Defining the stage --------------------------------------------------------------------


def stage_save(
    *, call: Call, actor: User, values: dict, criteria: Sequence[dict]
) -> tuple[Stage, bool]:
    """Create or change the call's second stage and its rubric; returns it and whether it was
    created. `values` are Stage fields; each of `criteria` is a dict of StageCriterion fields,
    with "id" for an existing one and "delete" to remove it. Once the panel has scored, the
    rubric's criteria, weights and scales are fixed (their texts may still change)."""
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        stage = Stage.objects.filter(call=call).first()
        created = stage is None
        stage = stage or Stage(call=call)
        for name, value in values.items():
            setattr(stage, name, value)
        stage.save()
        kept = [c for c in criteria if not c.get("delete")]
        if not kept:
            raise Refused(_lazy("Give the stage at least one criterion."), code="no_criteria")
        existing = {c.pk: c for c in stage.criteria.select_for_update()}
        if StageScore.objects.filter(stage=stage).exists() and _rubric_changes(existing, criteria):
            raise Refused(
                _lazy(
                    "The panel has started scoring: criteria, weights and highest scores can no "
                    "longer change. Their names and descriptions still can."
                ),
                code="rubric_fixed",
            )
        for order, data in enumerate(criteria):
            fields = {k: v for k, v in data.items() if k not in ("id", "delete")}
            criterion = existing.get(data.get("id")) if data.get("id") else None
            if data.get("delete"):
                if criterion is not None:
                    criterion.delete()
                continue
            criterion = criterion or StageCriterion(stage=stage)
            for name, value in fields.items():
                setattr(criterion, name, value)
            criterion.sort_order = order
            criterion.save()
        audit_record(
            actor=actor,
            action="stage.created" if created else "stage.changed",
            obj=stage,
            scope=_scope(call.pk),
            before=None,
            after={"kind": stage.kind, "criteria": len(kept)},
        )
    return stage, created


def _rubric_changes(existing: dict[int, StageCriterion], criteria: Sequence[dict]) -> bool:
    for data in criteria:
        criterion = existing.get(data.get("id"))
        if criterion is None:
            if not data.get("delete"):
                return True  # a new criterion
            continue
        if data.get("delete"):
            return True
        if any(name in data and data[name] != getattr(criterion, name) for name in _SCORING_FIELDS):
            return True
    return False


def slots_generate(
    *, stage: Stage, actor: User, day: date, start: time, end: time, minutes: int
) -> int:
    """Slots of `minutes` from `start` to `end` on `day`, as typed in the call's time zone;
    a slot starting where one already does is skipped. Returns how many were added."""
    zone = stage.call.zone
    first = timezone.make_aware(datetime.combine(day, start), zone)
    last = timezone.make_aware(datetime.combine(day, end), zone)
    if minutes < 5:
        raise Refused(_lazy("A slot lasts at least 5 minutes."), code="too_short", field="minutes")
    if last - first < timedelta(minutes=minutes):
        raise Refused(
            _lazy("The end time must leave room for at least one slot after the start time."),
            code="no_room",
            field="end",
        )
    # In UTC, so that a change of clocks that day still gives slots of the length asked.
    starts, moment = [], first.astimezone(UTC)
    while moment + timedelta(minutes=minutes) <= last:
        starts.append(moment)
        moment += timedelta(minutes=minutes)
    if len(starts) > MAX_SLOTS_AT_ONCE:
        raise Refused(
            _lazy("That makes more than %(most)d slots: add them a day at a time.")
            % {"most": MAX_SLOTS_AT_ONCE},
            code="too_many_slots",
            field="minutes",
        )
    with transaction.atomic():
        taken = set(stage.slots.filter(starts_at__in=starts).values_list("starts_at", flat=True))
        new = [
            InterviewSlot(stage=stage, starts_at=s, ends_at=s + timedelta(minutes=minutes))
            for s in starts
            if s not in taken
        ]
        InterviewSlot.objects.bulk_create(new)
        if new:
            audit_record(
                actor=actor,
                action="stage.slots_added",
                obj=stage,
                scope=_scope(stage.call_id),
                before=None,
                after={"slots": len(new), "day": day.isoformat()},
            )
    return len(new)


def slot_delete(*, slot: InterviewSlot, actor: User) -> None:
    """Remove a slot nobody booked; a booked one stays (its applicant was told)."""
    with transaction.atomic():
        deleted, _rows = InterviewSlot.objects.filter(pk=slot.pk, booked_by__isnull=True).delete()
        if not deleted and InterviewSlot.objects.filter(pk=slot.pk).exists():
            raise Refused(
                _lazy("This slot is booked: it cannot be removed."), code="slot_booked", status=409
            )


# --- The shortlist -------------------------------------------------------------------------


def shortlist_add(
    *, stage: Stage, actor: User, application_ids: Iterable[int], now: datetime | None = None
) -> int:
    """Shortlist the applications (of the call, submitted, undecided) and email each newly
    shortlisted applicant, in their language, a link to book a time. Shortlisting one twice
    does nothing. Returns how many were added."""
    now = now or timezone.now()
    ids = set(application_ids)
    if not ids:
        raise Refused(_lazy("Choose at least one application."), code="none_chosen")
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .filter(
                pk__in=ids,
                call_id=stage.call_id,
                state__in=ApplicationState.decidable(),
                decision__isnull=True,
            )
            .select_related("applicant")
        )
        if len(applications) != len(ids):
            raise Refused(
                _lazy(
                    "Some of these applications were decided, withdrawn or are not in this call. "
                    "Nothing was changed."
                ),
                code="not_shortlistable",
                status=409,
            )
        already = set(
            Shortlisting.objects.filter(stage=stage, application_id__in=ids).values_list(
                "application_id", flat=True
            )
        )
        added = [a for a in applications if a.pk not in already]
        Shortlisting.objects.bulk_create(
            [
                Shortlisting(stage=stage, application=a, shortlisted_by=actor, shortlisted_at=now)
                for a in added
            ]
        )
        for application in added:
            audit_record(
                actor=actor,
                action="stage.shortlisted",
                obj=application,
                scope=_scope(stage.call_id),
                before=None,
                after={"stage": stage.pk},
            )
            applicant = application.applicant
            email_send(
                to=[applicant.email],
                template="shortlisted",
                context={
                    "name": applicant.get_short_name(),
                    "call": stage.call,
                    "stage": stage,
                    "application_id": application.pk,
                },
                user=applicant,
            )
    return len(added)


def shortlisting_remove(*, shortlisting: Shortlisting, actor: User) -> None:
    """Take an application off the shortlist before the panel scored it; frees its slot."""
    with transaction.atomic():
        if StageScore.objects.filter(
            stage_id=shortlisting.stage_id, application_id=shortlisting.application_id
        ).exists():
            raise Refused(
                _lazy("The panel has scored this application: it stays on the shortlist."),
                code="scored",
            )
        InterviewSlot.objects.filter(
            stage_id=shortlisting.stage_id, booked_by_id=shortlisting.application_id
        ).update(booked_by=None, booked_at=None)
        audit_record(
            actor=actor,
            action="stage.unshortlisted",
            obj=shortlisting.application,
            scope=_scope(shortlisting.stage.call_id),
            before={"stage": shortlisting.stage_id},
            after=None,
        )
        shortlisting.delete()


# --- The applicant's booking ---------------------------------------------------------------


def _too_late() -> Refused:
    return Refused(
        _lazy(
            "Your time is less than 24 hours away: it can no longer change. Write to the "
            "programme if you cannot come."
        ),
        code="too_late",
    )


def slot_book(
    *, shortlisting: Shortlisting, slot_id: int, now: datetime | None = None
) -> InterviewSlot:
    """Book the slot for the shortlisted application, giving up the one it held. Booking the
    slot already held does nothing; a slot taken meanwhile is refused, the old booking kept."""
    now = now or timezone.now()
    stage_id, application_id = shortlisting.stage_id, shortlisting.application_id
    with transaction.atomic():
        # One booking change at a time per application (two tabs): the second waits and sees
        # the first's result.
        Application.objects.select_for_update().filter(pk=application_id).first()
        slot = InterviewSlot.objects.filter(pk=slot_id, stage_id=stage_id).first()
        if slot is None:
            raise Refused(_lazy("Choose one of the times offered."), code="unknown_slot")
        current = InterviewSlot.objects.filter(
            stage_id=stage_id, booked_by_id=application_id
        ).first()
        if current is not None and current.pk == slot.pk:
            return current
        if current is not None and not current.may_change(now):
            raise _too_late()
        if not slot.may_change(now):
            raise Refused(
                _lazy("This time is less than 24 hours away: choose a later one."),
                code="too_soon",
            )
        if current is not None:
            InterviewSlot.objects.filter(pk=current.pk).update(booked_by=None, booked_at=None)
        try:
            with transaction.atomic():
                taken = InterviewSlot.objects.filter(pk=slot.pk, booked_by__isnull=True).update(
                    booked_by_id=application_id, booked_at=now
                )
        except IntegrityError:  # another request of the same application got in first
            taken = 0
        if not taken:
            raise Refused(
                _lazy("This time has just been taken; choose another."),
                code="slot_taken",
                status=409,
            )
    slot.refresh_from_db()
    return slot


def slot_cancel(*, shortlisting: Shortlisting, now: datetime | None = None) -> bool:
    """Give up the booked slot (until 24 hours before it); False when none was booked."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            InterviewSlot.objects.select_for_update()
            .filter(stage_id=shortlisting.stage_id, booked_by_id=shortlisting.application_id)
            .first()
        )
        if current is None:
            return False
        if not current.may_change(now):
            raise _too_late()
        InterviewSlot.objects.filter(pk=current.pk).update(booked_by=None, booked_at=None)
    return True


# --- The panel's scores --------------------------------------------------------------------


def stage_score_save(
    *,
    stage: Stage,
    application: Application,
    membership: CommitteeMembership,
    scores: dict[str, int | None],
    comment: str = "",
    now: datetime | None = None,
) -> StageScore:
    """Record (or change) a panel member's scores of a shortlisted application: every
    criterion scored, each within its scale."""
    now = now or timezone.now()
    criteria = list(stage.criteria.all())
    missing = [c for c in criteria if scores.get(str(c.pk)) is None]
    if missing:
        raise Refused(
            _lazy("Score every criterion before saving."),
            code="incomplete",
            field=f"c{missing[0].pk}",
        )
    clean = {str(c.pk): int(scores[str(c.pk)]) for c in criteria}
    for criterion in criteria:
        if not 0 <= clean[str(criterion.pk)] <= criterion.scale_max:
            raise Refused(
                _lazy("A score goes from 0 to the criterion's highest score."),
                code="out_of_scale",
                field=f"c{criterion.pk}",
            )
    total = weighted_total(clean, [RubricCriterion(c.pk, c.weight, c.scale_max) for c in criteria])
    with transaction.atomic():
        record = (
            StageScore.objects.select_for_update()
            .filter(stage=stage, application=application, scorer=membership)
            .first()
        )
        before = None if record is None else {"scores": record.scores, "total": record.total}
        if record is None:
            record = StageScore(
                stage=stage, application=application, scorer=membership, submitted_at=now
            )
        elif record.scores == clean and record.comment == comment:
            return record  # the same form sent twice
        record.scores, record.total, record.comment = clean, total, comment
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # two tabs created it at once: the other one's is kept
            record = StageScore.objects.get(stage=stage, application=application, scorer=membership)
            return record
        audit_record(
            actor=membership.user,
            action="stage.scored" if before is None else "stage.score_changed",
            obj=record,
            scope=_scope(stage.call_id),
            before=before,
            after={"scores": clean, "total": total},
        )
    return record
