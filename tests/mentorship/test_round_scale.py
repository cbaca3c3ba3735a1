"""A national mentoring round: every eligible pair scored at once (`score_pairs`) scores as
`score` does pair by pair, the round's optimum is the pair-by-pair one, and preparing it reads
and writes in bulk."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorship.compatibility import MenteeTraits, MentorTraits, Weights, score, score_pairs
from mentorship.enums import MentorStatus, PairRuleKind, RequestStatus
from mentorship.matching import assign_mentors
from mentorship.models import MatchingWeights, MenteeRequest, MentorProfile, PairRule
from mentorship.pairing import mentee_traits_bulk, mentor_traits_bulk
from mentorship.services.rounds import SCORE_UNIT, round_prepare
from portal import programme_context as context
from tests.factories.accounts import UserFactory
from tests.factories.mentorship import ApprovedMentorFactory, MenteeRequestFactory

LANGUAGES = ["en", "fr", "ar", "es", "sw"]
TOPICS = ["cardiology", "pediatrics", "surgery", "oncology"]
COUNTRIES = ["SN", "FR", "NG", "GB", "UG"]

offsets = st.integers(-48, 56).map(lambda quarter: quarter / 4)
mentees = st.builds(
    MenteeTraits,
    languages=st.frozensets(st.sampled_from(LANGUAGES), max_size=3),
    interests=st.frozensets(st.sampled_from(TOPICS), max_size=3),
    utc_offset=offsets,
    preferred_country=st.sampled_from(["", *COUNTRIES]),
    context_countries=st.frozensets(st.sampled_from(COUNTRIES), max_size=3),
)
mentors = st.builds(
    MentorTraits,
    languages=st.frozensets(st.sampled_from(LANGUAGES), max_size=3),
    specialties=st.frozensets(st.sampled_from(TOPICS), max_size=3),
    utc_offset=offsets,
    countries=st.frozensets(st.sampled_from(["", *COUNTRIES]), max_size=3),
)
weight = st.one_of(st.integers(0, 10), st.floats(0, 10, allow_nan=False))
weights = st.builds(Weights, specialty=weight, time_zone=weight, country=weight, context=weight)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(mentees, max_size=8),
    st.lists(mentors, max_size=8),
    weights,
    st.sets(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=6),
)
def test_every_pair_scored_at_once_scores_as_one_by_one(es, ms, w, excluded):
    i, j, values = score_pairs(es, ms, w, excluded=excluded)

    expected = {
        (a, b): score(e, m, w)
        for a, e in enumerate(es)
        for b, m in enumerate(ms)
        if (a, b) not in excluded and score(e, m, w) is not None
    }
    found = dict(zip(zip(i.tolist(), j.tolist(), strict=True), values.tolist(), strict=True))
    assert list(found) == list(expected)  # mentee by mentee, mentors in order
    assert found == expected  # exactly: the same floating-point operations


def test_large_vocabularies_take_several_words_of_bits():
    topics = [f"topic {n}" for n in range(150)]
    mentee = MenteeTraits(languages=frozenset({"fr"}), interests=frozenset(topics[60:140]))
    mentor = MentorTraits(languages=frozenset({"fr"}), specialties=frozenset(topics[100:]))

    _i, _j, values = score_pairs([mentee], [mentor], Weights())

    assert values.tolist() == [score(mentee, mentor, Weights())]


def random_programme(rng: random.Random, n_requests: int, n_mentors: int) -> None:
    for _ in range(n_mentors):
        ApprovedMentorFactory(
            languages=rng.sample(LANGUAGES[:3], rng.randint(1, 2)),
            specialties=rng.sample(TOPICS, rng.randint(0, 2)),
            countries=rng.sample(COUNTRIES, rng.randint(0, 2)),
            time_zone=rng.choice(["Europe/Paris", "Africa/Lagos", "America/New_York"]),
            capacity=rng.randint(0, 3),
        )
    ApprovedMentorFactory(status=MentorStatus.PAUSED)
    for _ in range(n_requests):
        MenteeRequestFactory(
            languages=rng.sample(LANGUAGES[:3], rng.randint(1, 2)),
            interests=rng.sample(TOPICS, rng.randint(0, 2)),
            preferred_country=rng.choice(["", *COUNTRIES]),
            time_zone=rng.choice(["Africa/Dakar", "Asia/Kolkata", "UTC"]),
        )
    requests = list(MenteeRequest.objects.all())
    mentors_ = list(MentorProfile.objects.filter(status=MentorStatus.APPROVED))
    for request, mentor in {(rng.choice(requests), rng.choice(mentors_)) for _ in range(3)}:
        PairRule.objects.create(
            request=request, mentor=mentor, kind=PairRuleKind.FORBID, created_by=UserFactory()
        )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_the_round_is_the_optimum_of_the_pair_by_pair_scores(seed):
    random_programme(random.Random(seed), n_requests=25, n_mentors=8)
    now = timezone.now()
    w = MatchingWeights.load().as_weights()
    forbidden = set(PairRule.objects.values_list("request_id", "mentor_id"))
    mentors_ = [m for m in MentorProfile.objects.filter(status=MentorStatus.APPROVED) if m.capacity]
    scores = {}
    for request in MenteeRequest.objects.filter(status=RequestStatus.OPEN):
        for mentor in mentors_:
            value = score(request.traits(at=now), mentor.traits(at=now), w)
            if value is not None and (request.pk, mentor.pk) not in forbidden:
                scores[(request.pk, mentor.pk)] = round(value * SCORE_UNIT)
    best = assign_mentors(scores, {m.pk: m.capacity for m in mentors_})

    match_round = round_prepare(by=None, now=now)

    matched = list(
        match_round.proposals.filter(mentor__isnull=False).values_list("request", "mentor")
    )
    assert match_round.eligible_pair_count == len(scores)
    assert sum(scores[pair] for pair in matched) == sum(
        scores[(e, m)] for e, m in best.items() if m is not None
    )
    assert match_round.proposals.count() == 25


def _queries_to_prepare(n_requests: int) -> int:
    random_programme(random.Random(n_requests), n_requests=n_requests, n_mentors=6)
    round_prepare(by=None)  # the weights exist, and a preview to discard
    with CaptureQueriesContext(connection) as captured:
        round_prepare(by=None)
    return len(captured)


@pytest.mark.django_db
def test_preparing_a_round_reads_and_writes_in_bulk():
    few = _queries_to_prepare(3)
    MenteeRequest.objects.all().delete()
    MentorProfile.objects.all().delete()

    assert _queries_to_prepare(40) == few


@pytest.mark.django_db
def test_traits_read_in_bulk_are_the_traits_of_each_row():
    random_programme(random.Random(5), n_requests=12, n_mentors=6)
    requests = list(MenteeRequest.objects.order_by("pk"))
    abroad = {requests[0].user_id: ["gb", "SN"], requests[3].user_id: ["FR"]}

    def provider(user_ids):
        return {user_id: abroad[user_id] for user_id in user_ids if user_id in abroad}

    context.register_context_provider(provider)
    try:
        now = timezone.now()
        ids, mentee_traits = mentee_traits_bulk(MenteeRequest.objects.order_by("pk"), at=now)
        expected = [
            r.traits(
                at=now, context_countries=context.context_countries([r.user_id]).get(r.user_id, ())
            )
            for r in requests
        ]
    finally:
        context.unregister_context_provider(provider)
    profiles, mentor_traits = mentor_traits_bulk(MentorProfile.objects.order_by("pk"), at=now)
    mentors_ = list(MentorProfile.objects.order_by("pk"))

    assert ids == [r.pk for r in requests]
    assert mentee_traits == expected
    assert mentee_traits[0].context_countries == frozenset({"GB", "SN"})
    assert profiles == [(m.pk, m.capacity) for m in mentors_]
    assert mentor_traits == [m.traits(at=now) for m in mentors_]
