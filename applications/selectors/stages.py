"""Reads of a call's second stage: the shortlist, the slots and bookings, the panel's scores and
what they add up to, and the applicant's own booking (authorised in one step: else a 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from applications.algorithms import board as figures
from applications.algorithms.rubric import Criterion as RubricCriterion
from applications.enums import ApplicationState
from applications.models import (
    Application,
    Call,
    CommitteeMembership,
    InterviewSlot,
    Shortlisting,
    Stage,
    StageScore,
)
from applications.models.stages import BOOKING_CLOSES_BEFORE
from applications.selectors.review import conflicted_application_ids
from portal.permissions import allowed


def stage_of(call: Call) -> Stage | None:
    """The call's second stage, or None for a call decided on its reviews."""
    return Stage.objects.filter(call=call).first()


def stage_get(*, call: Call) -> Stage:
    stage = stage_of(call)
    if stage is None:
        raise Http404
    return stage


def application_shortlisted_at(application: Application):
    """When the application was shortlisted for its call's second stage, or None: for the
    application's timeline."""
    return (
        Shortlisting.objects.filter(application=application)
        .values_list("shortlisted_at", flat=True)
        .first()
    )


def shortlisted_ids(stage: Stage) -> set[int]:
    return set(stage.shortlistings.values_list("application_id", flat=True))


def stage_rubric(stage: Stage) -> list[RubricCriterion]:
    return [
        RubricCriterion(id=pk, weight=weight, scale_max=scale_max)
        for pk, weight, scale_max in stage.criteria.values_list("pk", "weight", "scale_max")
    ]


def stage_scores(stage: Stage) -> dict[int, figures.Scores]:
    """Each shortlisted application's figures from the panel's scores, computed exactly as
    the board's are from reviews (`applications.algorithms.board.scores_compute`): the mean of
    weighted totals, and the mean of each panel member's z-scores (normalised), which ranks."""
    rows = StageScore.objects.filter(stage=stage).values_list(
        "scorer_id", "application_id", "scores"
    )
    return figures.scores_compute(rows, stage_rubric(stage))


def booked_slots(stage: Stage) -> dict[int, InterviewSlot]:
    """The stage's booked slots by application."""
    return {
        slot.booked_by_id: slot for slot in stage.slots.filter(booked_by__isnull=False).order_by()
    }


# --- The applicant ------------------------------------------------------------------------


def shortlisting_get_own(*, user, application_id: int) -> Shortlisting:
    """The person's own shortlisted application, still in the running; else 404."""
    shortlisting = (
        Shortlisting.objects.filter(
            application_id=application_id,
            application__state__in=ApplicationState.decidable(),
        )
        .select_related("stage__call", "application__applicant")
        .first()
    )
    if shortlisting is None or not allowed(
        user, "applications.book_stage_slot", shortlisting.application
    ):
        raise Http404
    return shortlisting


@dataclass
class Booking:
    """The applicant's booking page: their slot, the slots they may choose, and whether they
    may still change."""

    shortlisting: Shortlisting
    current: InterviewSlot | None
    choices: list[InterviewSlot]
    may_change: bool


def booking_get(*, shortlisting: Shortlisting, now=None) -> Booking:
    now = now or timezone.now()
    stage = shortlisting.stage
    current = stage.slots.filter(booked_by_id=shortlisting.application_id).first()
    may_change = current is None or current.may_change(now)
    choices = []
    if may_change:
        choices = list(
            stage.slots.filter(
                booked_by__isnull=True, starts_at__gt=now + BOOKING_CLOSES_BEFORE
            ).order_by("starts_at", "pk")
        )
    return Booking(shortlisting, current, choices, may_change)


def _ics_text(value: str) -> str:
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ics_fold(line: str) -> list[str]:
    """RFC 5545: lines longer than 75 octets continue on the next, after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 74:
            out.append(current)
            current = " "
        current += char
    return [*out, current]


def booking_ics(*, slot: InterviewSlot, stage: Stage, call: Call, url: str) -> str:
    """An iCalendar file of one booked slot (times in UTC, which every calendar converts)."""

    def stamp(moment) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    description = "\n".join(part for part in (stage.instructions, url) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Scholarship portal//Second stage//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:stage-slot-{slot.pk}-{slot.booked_by_id}@portal",
        f"DTSTAMP:{stamp(slot.booked_at or timezone.now())}",
        f"DTSTART:{stamp(slot.starts_at)}",
        f"DTEND:{stamp(slot.ends_at)}",
        f"SUMMARY:{_ics_text(f'{stage.name}: {call.title}')}",
        f"DESCRIPTION:{_ics_text(description)}",
        *([f"LOCATION:{_ics_text(stage.location)}"] if stage.location else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(folded for line in lines for folded in _ics_fold(line)) + "\r\n"


# --- The staff's and the panel's pages -----------------------------------------------------


def slots_with_bookings(*, stage: Stage) -> QuerySet[InterviewSlot]:
    return stage.slots.select_related("booked_by__applicant").order_by("starts_at", "pk")


@dataclass
class PanelRow:
    application: Application
    slot: InterviewSlot | None
    scored_by_me: bool
    scores: int  # panel members who scored it


def panel_list(*, stage: Stage, user) -> list[PanelRow]:
    """The shortlisted applications a panel member (or staff) may see, in slot order: those
    in conflict with the person are left out."""
    hidden = conflicted_application_ids(user=user, call=stage.call)
    shortlisted = (
        Application.objects.filter(
            shortlistings__stage=stage, state__in=ApplicationState.on_board()
        )
        .exclude(pk__in=hidden)
        .select_related("applicant")
        .prefetch_related(
            Prefetch(
                "stage_scores",
                queryset=StageScore.objects.filter(stage=stage).select_related("scorer"),
                to_attr="panel_scores",
            )
        )
    )
    slots = booked_slots(stage)
    rows = [
        PanelRow(
            application=application,
            slot=slots.get(application.pk),
            scored_by_me=any(s.scorer.user_id == user.pk for s in application.panel_scores),
            scores=len(application.panel_scores),
        )
        for application in shortlisted
    ]
    far = timezone.now().replace(year=9999)
    rows.sort(key=lambda row: (row.slot.starts_at if row.slot else far, row.application.pk))
    return rows


def stage_get_for_panel(*, user, call_id: int) -> Stage:
    """The call's second stage for its committee and programme staff; else 404."""
    stage = Stage.objects.filter(call_id=call_id).select_related("call").first()
    if stage is None or not allowed(user, "applications.view_stage_panel", stage.call):
        raise Http404
    return stage


def scoring_get(*, user, stage: Stage, application_id: int):
    """A shortlisted application the person may score, with their membership and their
    score so far; else 404."""
    application = (
        Application.objects.filter(
            pk=application_id,
            call_id=stage.call_id,
            shortlistings__stage=stage,
            state__in=ApplicationState.on_board(),
        )
        .select_related("applicant", "call")
        .first()
    )
    if application is None or not allowed(user, "applications.score_stage", application):
        raise Http404
    membership = CommitteeMembership.objects.get(call_id=stage.call_id, user=user)
    mine = StageScore.objects.filter(stage=stage, application=application, scorer=membership)
    return application, membership, mine.first()
