"""Compatibility of stored requests and profiles: who may be paired, and with what score.

Reads only. Language eligibility comes from ``compatibility``; on top of it a pair is excluded
when the mentor is the mentee themselves, when staff forbade it or when the two were paired
before (a mentee is never sent back to a mentor whose mentorship with them ended).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from mentorship.compatibility import (
    Compatibility,
    MenteeTraits,
    MentorTraits,
    compatibility,
    utc_offset_hours,
)
from mentorship.enums import MentorshipStatus, MentorStatus, PairRuleKind
from mentorship.models import (
    MatchingWeights,
    MatchRound,
    MenteeRequest,
    MentorProfile,
    Mentorship,
    PairRule,
)
from portal import programme_context as context


def excluded_mentor_ids(*, request_ids: Collection[int] | QuerySet) -> dict[int, set[int]]:
    """Per request, the mentors it must not be paired with: the mentee's own mentor profile,
    forbidden or former mentors.

    ``request_ids`` may be a queryset of ids (``.values("pk")``): a round passes thousands,
    which go to the database as a subquery rather than as parameters."""
    excluded: dict[int, set[int]] = defaultdict(set)
    themselves = MenteeRequest.objects.filter(
        pk__in=request_ids, user__mentor_profile__isnull=False
    ).values_list("pk", "user__mentor_profile")
    for request_id, mentor_id in themselves:
        excluded[request_id].add(mentor_id)
    forbidden = PairRule.objects.filter(request_id__in=request_ids, kind=PairRuleKind.FORBID)
    for request_id, mentor_id in forbidden.values_list("request_id", "mentor_id"):
        excluded[request_id].add(mentor_id)
    former = Mentorship.objects.filter(request_id__in=request_ids)
    for request_id, mentor_id in former.values_list("request_id", "mentor_id"):
        excluded[request_id].add(mentor_id)
    return excluded


def mentee_traits_bulk(
    requests: QuerySet[MenteeRequest], *, at: datetime
) -> tuple[list[int], list[MenteeTraits]]:
    """The ids of the requests and their ``MenteeRequest.traits`` with the programme context,
    in the queryset's order: what a round needs of thousands, read as values in one query
    (and the context's), each time zone's offset worked out once."""
    rows = list(
        requests.values_list(
            "pk", "user_id", "languages", "interests", "time_zone", "preferred_country"
        )
    )
    countries = context.context_countries([row[1] for row in rows])
    offset, frozen = _offsets(at), _frozen()
    traits = [
        MenteeTraits(
            languages=frozen(languages),
            interests=frozen(interests),
            utc_offset=offset(zone),
            preferred_country=str(country or ""),
            context_countries=frozen(countries.get(user_id, ())),
        )
        for _pk, user_id, languages, interests, zone, country in rows
    ]
    return [row[0] for row in rows], traits


def mentor_traits_bulk(
    mentors: QuerySet[MentorProfile], *, at: datetime
) -> tuple[list[tuple[int, int]], list[MentorTraits]]:
    """``(id, capacity)`` of each profile and its ``MentorProfile.traits``, in the queryset's
    order, read as values in one query."""
    rows = list(
        mentors.values_list("pk", "capacity", "languages", "specialties", "countries", "time_zone")
    )
    offset, frozen = _offsets(at), _frozen()
    traits = [
        MentorTraits(
            languages=frozen(languages),
            specialties=frozen(specialties),
            utc_offset=offset(zone),
            countries=frozen(countries),
        )
        for _pk, _capacity, languages, specialties, countries, zone in rows
    ]
    return [(pk, capacity) for pk, capacity, *_ in rows], traits


def _offsets(at: datetime):
    """``utc_offset_hours(zone, at)``, remembered per zone."""
    known: dict[str, float] = {}

    def offset(zone: str) -> float:
        if zone not in known:
            known[zone] = utc_offset_hours(zone, at)
        return known[zone]

    return offset


def _frozen():
    """``frozenset(values)``, one object per distinct set: thousands of people share a few
    sets of languages or specialties, and fewer objects keep the garbage collector quiet."""
    known: dict[frozenset, frozenset] = {}

    def frozen(values) -> frozenset:
        value = frozenset(values)
        return known.setdefault(value, value)

    return frozen


def active_mentee_counts(*, mentor_ids: Iterable[int] | None = None) -> dict[int, int]:
    rows = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
    if mentor_ids is not None:
        rows = rows.filter(mentor_id__in=list(mentor_ids))
    return dict(rows.values("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))


def free_seats(*, profile: MentorProfile) -> int:
    active = profile.mentorships.filter(status=MentorshipStatus.ACTIVE).count()
    return max(0, profile.capacity - active)


def pair_compatibility(
    *, request: MenteeRequest, mentor: MentorProfile, weights=None, at: datetime
) -> Compatibility | None:
    """Score and reasons of one pair, with the mentee's programme context."""
    weights = weights or MatchingWeights.load().as_weights()
    countries = context.context_countries([request.user_id]).get(request.user_id, [])
    return compatibility(
        request.traits(at=at, context_countries=countries), mentor.traits(at=at), weights
    )


@dataclass(frozen=True)
class Candidate:
    mentor: MentorProfile
    compatibility: Compatibility
    seats_left: int
    pinned: bool


def candidates(
    *, request: MenteeRequest, at: datetime, match_round: MatchRound | None = None, weights=None
) -> list[Candidate]:
    """Approved mentors who may take this mentee, best first, with their seats left.

    Within a draft round, seats already proposed to other mentees of the round are taken.
    Mentors without a seat left are still listed (staff may want to know) but last.
    """
    weights = weights or MatchingWeights.load().as_weights()
    excluded = excluded_mentor_ids(request_ids=[request.pk]).get(request.pk, set())
    mentors = (
        MentorProfile.objects.filter(status=MentorStatus.APPROVED)
        .exclude(pk__in=excluded)
        .select_related("user")
        .annotate(
            active=Count(
                "mentorships",
                filter=Q(mentorships__status=MentorshipStatus.ACTIVE),
                distinct=True,
            )
        )
    )
    if match_round is not None:
        mentors = mentors.annotate(
            proposed=Count(
                "proposals",
                filter=Q(proposals__match_round=match_round) & ~Q(proposals__request=request),
                distinct=True,
            )
        )
    pinned_ids = set(
        PairRule.objects.filter(request=request, kind=PairRuleKind.PIN).values_list(
            "mentor_id", flat=True
        )
    )
    countries = context.context_countries([request.user_id]).get(request.user_id, [])
    mentee = request.traits(at=at, context_countries=countries)
    found = []
    for mentor in mentors:
        result = compatibility(mentee, mentor.traits(at=at), weights)
        if result is None:
            continue
        taken = mentor.active + getattr(mentor, "proposed", 0)
        found.append(
            Candidate(mentor, result, max(0, mentor.capacity - taken), mentor.pk in pinned_ids)
        )
    found.sort(key=lambda c: (c.seats_left == 0, -c.compatibility.score, c.mentor.pk))
    return found
