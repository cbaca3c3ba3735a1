"""Match rounds: prepare a preview with the optimal assignment, adjust it, publish it."""

import time
from collections import Counter

import numpy as np
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship.compatibility import compatibility, score_pairs
from mentorship.enums import (
    MentorshipStatus,
    MentorStatus,
    PairRuleKind,
    ProposalSource,
    RequestStatus,
    RoundStatus,
)
from mentorship.matching import assign_pairs
from mentorship.models import (
    MatchingWeights,
    MatchProposal,
    MatchRound,
    MenteeRequest,
    MentorProfile,
    Mentorship,
    PairRule,
)
from mentorship.pairing import (
    active_mentee_counts,
    excluded_mentor_ids,
    mentee_traits_bulk,
    mentor_traits_bulk,
    pair_compatibility,
)
from mentorship.services.mentorships import task_send_round_introductions
from mentorship.services.pairs import check_pairable
from portal.errors import Refused

ALGORITHM = "assign_mentors: OR-Tools min-cost flow, v1"
#: Scores go to the solver as whole hundredths of a point: exact, so ties stay ties.
SCORE_UNIT = 100


@transaction.atomic
def weights_update(
    *,
    weights: MatchingWeights,
    by,
    specialty: int,
    time_zone: int,
    country: int,
    context: int,
    quiet_weeks: int | None = None,
) -> MatchingWeights:
    """New weights apply from the next round; a preview keeps the weights it was made with.
    `quiet_weeks` (None: unchanged) applies from the next nudge job."""
    weights.specialty, weights.time_zone = specialty, time_zone
    weights.country, weights.context = country, context
    if quiet_weeks is not None:
        weights.quiet_weeks = quiet_weeks
    weights.updated_by = by
    weights.save()
    return weights


def _check_draft(match_round: MatchRound) -> None:
    if match_round.status != RoundStatus.DRAFT:
        raise Refused(_("This round is no longer a preview; it cannot change."), code="not_draft")


@transaction.atomic
def round_prepare(*, by, now=None) -> MatchRound:
    """Score every eligible pair of waiting mentees and approved mentors with free seats, and
    propose the assignment with the largest total compatibility. Earlier previews are
    discarded: there is one preview at a time, prepared from the data as it is now.

    Built for a national round (tens of thousands of mentees): the profiles are read as values
    (`mentee_traits_bulk`, `mentor_traits_bulk`), every eligible pair is scored at once
    (`score_pairs`, equal to `score` pair by pair), its arrays go straight to the solver
    (`assign_pairs`), and the proposals are written in bulk."""
    now = now or timezone.now()
    MatchRound.objects.filter(status=RoundStatus.DRAFT).update(status=RoundStatus.DISCARDED)
    weights_row = MatchingWeights.load()
    weights = weights_row.as_weights()

    open_requests = MenteeRequest.objects.filter(status=RequestStatus.OPEN)
    request_ids, mentees = mentee_traits_bulk(open_requests.order_by("created_at", "pk"), at=now)
    profiles, all_traits = mentor_traits_bulk(
        MentorProfile.objects.filter(status=MentorStatus.APPROVED).order_by("pk"), at=now
    )
    active = active_mentee_counts()
    free = [max(0, capacity - active.get(pk, 0)) for pk, capacity in profiles]
    kept = [k for k, n in enumerate(free) if n > 0]
    mentor_ids = [profiles[k][0] for k in kept]
    mentor_traits = [all_traits[k] for k in kept]
    seats = np.array([free[k] for k in kept], dtype=np.int64)

    excluded = excluded_mentor_ids(request_ids=open_requests.values("pk"))
    i, j, units = _scores(request_ids, mentor_ids, mentees, mentor_traits, weights, excluded)
    pins, warnings = _usable_pins(request_ids, mentor_ids, i, j, seats)
    started = time.perf_counter()
    chosen = assign_pairs(i, j, units, seats, pinned=pins)
    solve_seconds = time.perf_counter() - started

    match_round = MatchRound.objects.create(
        created_by=by,
        weights=weights_row.as_dict(),
        algorithm=ALGORITHM,
        mentee_count=len(request_ids),
        mentor_count=len(mentor_ids),
        seat_count=int(seats.sum()),
        eligible_pair_count=i.size,
        solve_seconds=solve_seconds,
        warnings=warnings,
    )
    mentor_of = np.full(len(request_ids), -1, dtype=np.int64)
    mentor_of[i[chosen]] = j[chosen]
    has_pair = np.zeros(len(request_ids), dtype=bool)
    has_pair[i] = True
    pinned = set(i[pins].tolist())
    # `_id` fields: setting a related object per row costs more than the whole insert.
    proposals = []
    for n, (request_id, k) in enumerate(zip(request_ids, mentor_of.tolist(), strict=True)):
        if k < 0:
            reason = (
                MatchProposal.UNMATCHED_FULL if has_pair[n] else MatchProposal.UNMATCHED_NO_LANGUAGE
            )
            proposals.append(
                MatchProposal(
                    match_round_id=match_round.pk, request_id=request_id, unmatched_reason=reason
                )
            )
            continue
        found = compatibility(mentees[n], mentor_traits[k], weights)
        proposals.append(
            MatchProposal(
                match_round_id=match_round.pk,
                request_id=request_id,
                mentor_id=mentor_ids[k],
                score=found.score,
                reasons=[reason.as_dict() for reason in found.reasons],
                source=ProposalSource.PINNED if n in pinned else ProposalSource.ALGORITHM,
            )
        )
    MatchProposal.objects.bulk_create(proposals, batch_size=2000)
    _refresh_figures(match_round)
    return match_round


def _scores(request_ids, mentor_ids, mentees, mentor_traits, weights, excluded) -> tuple:
    """Every eligible pair as arrays (`score_pairs` on the whole round at once): request
    index, mentor index, and score in whole `SCORE_UNIT`s, in request order then mentor
    order."""
    request_index = {pk: n for n, pk in enumerate(request_ids)}
    mentor_index = {pk: n for n, pk in enumerate(mentor_ids)}
    skip = [
        (request_index[request_id], mentor_index[mentor_id])
        for request_id, excluded_ids in excluded.items()
        if request_id in request_index
        for mentor_id in excluded_ids
        if mentor_id in mentor_index
    ]
    i, j, values = score_pairs(mentees, mentor_traits, weights, excluded=skip)
    # round() and rint both round half to even.
    return i, j, np.rint(values * SCORE_UNIT).astype(np.int64)


def _usable_pins(request_ids, mentor_ids, i, j, seats) -> tuple[list[int], list[dict]]:
    """The positions (among the pairs ``i, j``) of the pins the round can honour, and a
    warning for each one it cannot (oldest pins first)."""
    rules = (
        PairRule.objects.filter(kind=PairRuleKind.PIN, request__status=RequestStatus.OPEN)
        .select_related("request__user", "mentor__user")
        .order_by("created_at", "pk")
    )
    request_index = {pk: n for n, pk in enumerate(request_ids)}
    mentor_index = {pk: n for n, pk in enumerate(mentor_ids)}
    # Pairs come request by request, mentors in order: their codes are sorted.
    codes = i * len(mentor_ids) + j
    usable, warnings, used = [], [], Counter()
    for rule in rules:
        names = {"mentee": str(rule.request.user), "mentor": str(rule.mentor.user)}
        e, m = request_index.get(rule.request_id), mentor_index.get(rule.mentor_id)
        at = -1
        if e is not None and m is not None:
            code = e * len(mentor_ids) + m
            at = int(np.searchsorted(codes, code))
            at = at if at < codes.size and codes[at] == code else -1
        if at < 0:
            warnings.append({"code": "pin_ineligible", **names})
        elif used[m] >= seats[m]:
            warnings.append({"code": "pin_over_capacity", **names})
        else:
            usable.append(at)
            used[m] += 1
    return usable, warnings


def _refresh_figures(match_round: MatchRound) -> None:
    figures = match_round.proposals.aggregate(
        matched=Count("pk", filter=Q(mentor__isnull=False)), total=Sum("score")
    )
    match_round.matched_count = figures["matched"]
    match_round.total_score = figures["total"] or 0.0
    match_round.save(update_fields=["matched_count", "total_score"])


def round_seats_left(*, match_round: MatchRound, mentor: MentorProfile, ignore=None) -> int:
    """Free seats of a mentor once this round's other proposals are counted."""
    active = mentor.mentorships.filter(status=MentorshipStatus.ACTIVE).count()
    proposed = match_round.proposals.filter(mentor=mentor)
    if ignore is not None:
        proposed = proposed.exclude(pk=ignore.pk)
    return max(0, mentor.capacity - active - proposed.count())


@transaction.atomic
def round_proposal_change(
    *, proposal: MatchProposal, mentor: MentorProfile | None
) -> MatchProposal:
    """Staff adjust the preview by hand: another mentor for this mentee, or none."""
    match_round = MatchRound.objects.select_for_update().get(pk=proposal.match_round_id)
    _check_draft(match_round)
    proposal = MatchProposal.objects.select_related("request").get(pk=proposal.pk)
    if mentor is None:
        proposal.mentor, proposal.score, proposal.reasons = None, None, []
    else:
        check_pairable(request=proposal.request, mentor=mentor)
        if round_seats_left(match_round=match_round, mentor=mentor, ignore=proposal) < 1:
            raise Refused(_("This mentor has no seat left in this round."), code="full")
        found = pair_compatibility(request=proposal.request, mentor=mentor, at=timezone.now())
        proposal.mentor, proposal.score = mentor, found.score
        proposal.reasons = [reason.as_dict() for reason in found.reasons]
    proposal.source = ProposalSource.MANUAL
    proposal.unmatched_reason = ""
    proposal.save(update_fields=["mentor", "score", "reasons", "source", "unmatched_reason"])
    _refresh_figures(match_round)
    return proposal


@transaction.atomic
def round_discard(*, match_round: MatchRound) -> MatchRound:
    match_round = MatchRound.objects.select_for_update().get(pk=match_round.pk)
    _check_draft(match_round)
    match_round.status = RoundStatus.DISCARDED
    match_round.save(update_fields=["status"])
    return match_round


@transaction.atomic
def round_publish(*, match_round: MatchRound, by) -> list[Mentorship]:
    """Turn the preview into mentorships and introduce every pair by email (a background
    task, once the transaction commits).

    Mentees who withdrew or were paired by hand since the preview are skipped. Anything else
    that changed since (a mentor paused or with fewer seats, a pair forbidden) refuses the
    whole publication: staff prepare the round again rather than publish a stale preview.
    """
    match_round = MatchRound.objects.select_for_update().get(pk=match_round.pk)
    _check_draft(match_round)
    proposals = [
        p
        for p in match_round.proposals.filter(mentor__isnull=False).select_related(
            "request__user", "mentor__user"
        )
        if p.request.status == RequestStatus.OPEN
    ]
    _check_still_valid(match_round, proposals)
    mentorships = Mentorship.objects.bulk_create(
        [
            Mentorship(
                mentee_id=p.request.user_id,
                mentor_id=p.mentor_id,
                request_id=p.request_id,
                match_round=match_round,
                score=p.score,
                reasons=p.reasons,
                goals=p.request.goals,
            )
            for p in proposals
        ],
        batch_size=500,
    )
    MenteeRequest.objects.filter(
        status=RequestStatus.OPEN,
        pk__in=match_round.proposals.filter(mentor__isnull=False).values("request_id"),
    ).update(status=RequestStatus.MATCHED, needs_new_mentor_since=None, updated_at=timezone.now())
    match_round.status = RoundStatus.PUBLISHED
    match_round.published_at, match_round.published_by = timezone.now(), by
    match_round.save(update_fields=["status", "published_at", "published_by"])
    round_id = match_round.pk
    transaction.on_commit(lambda: task_send_round_introductions.enqueue(round_id=round_id))
    return mentorships


def _check_still_valid(match_round: MatchRound, proposals: list[MatchProposal]) -> None:
    if not proposals:
        return
    problems = []
    load = Counter(p.mentor_id for p in proposals)
    active = active_mentee_counts()
    mentors = {p.mentor_id: p.mentor for p in proposals}
    for mentor_id, count in load.items():
        mentor = mentors[mentor_id]
        if mentor.status != MentorStatus.APPROVED:
            problems.append(_("%(mentor)s is no longer approved.") % {"mentor": mentor.user})
        elif active.get(mentor_id, 0) + count > mentor.capacity:
            problems.append(
                ngettext(
                    "%(mentor)s no longer has %(count)d free seat.",
                    "%(mentor)s no longer has %(count)d free seats.",
                    count,
                )
                % {"mentor": mentor.user, "count": count}
            )
    excluded = excluded_mentor_ids(request_ids=match_round.proposals.values("request_id"))
    for p in proposals:
        if p.mentor_id in excluded.get(p.request_id, set()):
            problems.append(
                _("%(mentee)s and %(mentor)s may no longer be paired.")
                % {"mentee": p.request.user, "mentor": p.mentor.user}
            )
    if problems:
        raise Refused(
            _("Things changed since this preview; prepare the round again."),
            code="stale",
            details=problems[:5],
            status=409,
        )
