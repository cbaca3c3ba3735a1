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
from mentorship.matching import assign_mentors
from mentorship.models import (
    MatchingWeights,
    MatchProposal,
    MatchRound,
    MenteeRequest,
    MentorProfile,
    Mentorship,
    PairRule,
)
from mentorship.pairing import active_mentee_counts, excluded_mentor_ids, pair_compatibility
from mentorship.services.mentorships import task_send_round_introductions
from mentorship.services.pairs import check_pairable
from portal import programme_context as context
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

    Built for a national round (tens of thousands of mentees): the profiles are read with the
    fields their traits need, every eligible pair is scored at once (`score_pairs`, equal to
    `score` pair by pair), and the proposals are written in bulk."""
    now = now or timezone.now()
    MatchRound.objects.filter(status=RoundStatus.DRAFT).update(status=RoundStatus.DISCARDED)
    weights_row = MatchingWeights.load()
    weights = weights_row.as_weights()

    requests = list(
        MenteeRequest.objects.filter(status=RequestStatus.OPEN)
        .order_by("created_at", "pk")
        .only("user", "interests", "languages", "time_zone", "preferred_country")
    )
    mentors = list(
        MentorProfile.objects.filter(status=MentorStatus.APPROVED)
        .order_by("pk")
        .only("languages", "specialties", "countries", "time_zone", "capacity")
    )
    active = active_mentee_counts()
    seats = {m.pk: max(0, m.capacity - active.get(m.pk, 0)) for m in mentors}
    mentors = [m for m in mentors if seats[m.pk] > 0]
    seats = {m.pk: seats[m.pk] for m in mentors}

    countries = context.context_countries([r.user_id for r in requests])
    excluded = excluded_mentor_ids(
        request_ids=MenteeRequest.objects.filter(status=RequestStatus.OPEN).values("pk")
    )
    mentees = [r.traits(at=now, context_countries=countries.get(r.user_id, ())) for r in requests]
    mentor_traits = [m.traits(at=now) for m in mentors]
    scores, has_pair = _scores(requests, mentors, mentees, mentor_traits, weights, excluded)

    pins, warnings = _usable_pins(scores, seats)
    started = time.perf_counter()
    result = assign_mentors(scores, seats, pinned=pins)
    solve_seconds = time.perf_counter() - started

    match_round = MatchRound.objects.create(
        created_by=by,
        weights=weights_row.as_dict(),
        algorithm=ALGORITHM,
        mentee_count=len(requests),
        mentor_count=len(mentors),
        seat_count=sum(seats.values()),
        eligible_pair_count=len(scores),
        solve_seconds=solve_seconds,
        warnings=warnings,
    )
    pinned = set(pins)
    traits_of = {m.pk: traits for m, traits in zip(mentors, mentor_traits, strict=True)}
    proposals = []
    for r, mentee in zip(requests, mentees, strict=True):
        mentor_id = result.get(r.pk)
        if mentor_id is None:
            reason = (
                MatchProposal.UNMATCHED_FULL
                if r.pk in has_pair
                else MatchProposal.UNMATCHED_NO_LANGUAGE
            )
            proposals.append(
                MatchProposal(match_round=match_round, request_id=r.pk, unmatched_reason=reason)
            )
            continue
        found = compatibility(mentee, traits_of[mentor_id], weights)
        proposals.append(
            MatchProposal(
                match_round=match_round,
                request_id=r.pk,
                mentor_id=mentor_id,
                score=found.score,
                reasons=[reason.as_dict() for reason in found.reasons],
                source=(
                    ProposalSource.PINNED
                    if (r.pk, mentor_id) in pinned
                    else ProposalSource.ALGORITHM
                ),
            )
        )
    MatchProposal.objects.bulk_create(proposals, batch_size=2000)
    _refresh_figures(match_round)
    return match_round


def _scores(requests, mentors, mentees, mentor_traits, weights, excluded) -> tuple[dict, set]:
    """{(request id, mentor id): score in whole `SCORE_UNIT`s} for every eligible pair, in
    request order then mentor order (`score_pairs` on the whole round at once), and the ids
    of the requests with at least one."""
    request_index = {r.pk: i for i, r in enumerate(requests)}
    mentor_index = {m.pk: j for j, m in enumerate(mentors)}
    skip = [
        (request_index[request_id], mentor_index[mentor_id])
        for request_id, mentor_ids in excluded.items()
        if request_id in request_index
        for mentor_id in mentor_ids
        if mentor_id in mentor_index
    ]
    i, j, values = score_pairs(mentees, mentor_traits, weights, excluded=skip)
    request_ids = np.array([r.pk for r in requests], dtype=np.int64)
    mentor_ids = np.array([m.pk for m in mentors], dtype=np.int64)
    # round() and rint both round half to even.
    units = np.rint(values * SCORE_UNIT).astype(np.int64)
    pairs = zip(request_ids[i].tolist(), mentor_ids[j].tolist(), strict=True)
    return dict(zip(pairs, units.tolist(), strict=True)), set(request_ids[np.unique(i)].tolist())


def _usable_pins(scores, seats) -> tuple[list[tuple[int, int]], list[dict]]:
    """Pins the round can honour, and a warning for each one it cannot (oldest pins first)."""
    rules = (
        PairRule.objects.filter(kind=PairRuleKind.PIN, request__status=RequestStatus.OPEN)
        .select_related("request__user", "mentor__user")
        .order_by("created_at", "pk")
    )
    usable, warnings, used = [], [], Counter()
    for rule in rules:
        key = (rule.request_id, rule.mentor_id)
        names = {"mentee": str(rule.request.user), "mentor": str(rule.mentor.user)}
        if key not in scores:
            warnings.append({"code": "pin_ineligible", **names})
        elif used[rule.mentor_id] >= seats[rule.mentor_id]:
            warnings.append({"code": "pin_over_capacity", **names})
        else:
            usable.append(key)
            used[rule.mentor_id] += 1
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
