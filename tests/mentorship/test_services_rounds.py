"""Tests for mentorship.services.rounds: prepare, adjust, publish and discard a match round."""

import pytest

from mentorship.enums import (
    MentorshipStatus,
    MentorStatus,
    PairRuleKind,
    ProposalSource,
    RequestStatus,
    RoundStatus,
)
from mentorship.models import MatchingWeights, MatchProposal, Mentorship, PairRule
from mentorship.services import rounds
from mentorship.services.pairs import pair_rule_set
from portal.errors import Refused
from tests.factories.accounts import StaffFactory
from tests.factories.mentorship import (
    ApprovedMentorFactory,
    MenteeRequestFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialty_only():
    """Scores from specialties alone, so that each test's numbers are easy to follow."""
    MatchingWeights.objects.update_or_create(
        pk=1, defaults={"specialty": 1, "time_zone": 0, "country": 0, "context": 0}
    )


@pytest.fixture
def two_and_two(specialty_only):
    """Greedy would give Awa the first mentor and Bintou a 50; the optimum gives both 100."""
    awa = MenteeRequestFactory(user__full_name="Awa", interests=["cardiology"])
    bintou = MenteeRequestFactory(user__full_name="Bintou", interests=["cardiology", "surgery"])
    both = ApprovedMentorFactory(
        user__full_name="Dr Both", specialties=["cardiology", "surgery"], capacity=1
    )
    cardio = ApprovedMentorFactory(
        user__full_name="Dr Cardio", specialties=["cardiology"], capacity=1
    )
    return awa, bintou, both, cardio


def _pairs(match_round):
    return {
        str(p.request.user): str(p.mentor.user) if p.mentor else None
        for p in match_round.proposals.select_related("request__user", "mentor__user")
    }


def test_round_prepare_maximises_the_total_compatibility(two_and_two):
    match_round = rounds.round_prepare(by=StaffFactory())

    assert _pairs(match_round) == {"Awa": "Dr Cardio", "Bintou": "Dr Both"}
    assert match_round.status == RoundStatus.DRAFT
    assert (match_round.mentee_count, match_round.matched_count) == (2, 2)
    assert (match_round.mentor_count, match_round.seat_count) == (2, 2)
    assert match_round.eligible_pair_count == 4
    assert match_round.total_score == 200
    assert match_round.weights == {"specialty": 1, "time_zone": 0, "country": 0, "context": 0}


def test_round_prepare_stores_the_reasons_of_each_pair(two_and_two):
    match_round = rounds.round_prepare(by=None)

    proposal = match_round.proposals.get(request=two_and_two[1])
    assert proposal.reasons == [
        {"code": "language", "values": ["fr"], "points": 0},
        {"code": "specialty", "values": ["cardiology", "surgery"], "points": 100.0},
    ]
    assert proposal.source == ProposalSource.ALGORITHM


def test_round_prepare_honours_a_pin_even_when_it_costs(two_and_two):
    awa, _bintou, both, _cardio = two_and_two
    pair_rule_set(request=awa, mentor=both, kind=PairRuleKind.PIN, by=None)

    match_round = rounds.round_prepare(by=None)

    assert _pairs(match_round) == {"Awa": "Dr Both", "Bintou": "Dr Cardio"}
    assert match_round.proposals.get(request=awa).source == ProposalSource.PINNED
    assert match_round.total_score == 150


def test_round_prepare_leaves_out_forbidden_pairs(two_and_two):
    _awa, bintou, both, _cardio = two_and_two
    pair_rule_set(request=bintou, mentor=both, kind=PairRuleKind.FORBID, by=None)

    match_round = rounds.round_prepare(by=None)

    assert _pairs(match_round) == {"Awa": "Dr Both", "Bintou": "Dr Cardio"}


def test_round_prepare_never_returns_a_mentee_to_a_former_mentor(two_and_two):
    awa, _bintou, _both, cardio = two_and_two
    MentorshipFactory(request=awa, mentee=awa.user, mentor=cardio, status=MentorshipStatus.ENDED)

    match_round = rounds.round_prepare(by=None)

    assert _pairs(match_round) == {"Awa": "Dr Both", "Bintou": "Dr Cardio"}


def test_round_prepare_explains_who_is_left_unmatched(specialty_only):
    MenteeRequestFactory(user__full_name="Speaks Swahili", languages=["sw"])
    MenteeRequestFactory(user__full_name="First")
    MenteeRequestFactory(user__full_name="Second")
    ApprovedMentorFactory(capacity=1)

    match_round = rounds.round_prepare(by=None)

    reasons = dict(
        match_round.proposals.filter(mentor__isnull=True).values_list(
            "request__user__full_name", "unmatched_reason"
        )
    )
    assert reasons == {
        "Speaks Swahili": MatchProposal.UNMATCHED_NO_LANGUAGE,
        "Second": MatchProposal.UNMATCHED_FULL,
    }
    assert (match_round.mentee_count, match_round.matched_count) == (3, 1)


def test_round_prepare_counts_seats_taken_by_active_mentorships(specialty_only):
    mentor = ApprovedMentorFactory(capacity=2)
    MentorshipFactory(mentor=mentor)
    MenteeRequestFactory()
    MenteeRequestFactory()

    match_round = rounds.round_prepare(by=None)

    assert (match_round.seat_count, match_round.matched_count) == (1, 1)


def test_round_prepare_skips_paused_and_pending_mentors_and_oneself(specialty_only):
    request = MenteeRequestFactory()
    ApprovedMentorFactory(status=MentorStatus.PAUSED)
    ApprovedMentorFactory(status=MentorStatus.PENDING)
    ApprovedMentorFactory(user=request.user)

    match_round = rounds.round_prepare(by=None)

    assert (match_round.mentor_count, match_round.eligible_pair_count) == (1, 0)
    assert match_round.matched_count == 0


def test_round_prepare_warns_about_a_pin_it_cannot_honour(two_and_two):
    awa, _bintou, both, _cardio = two_and_two
    pair_rule_set(request=awa, mentor=both, kind=PairRuleKind.PIN, by=None)
    both.status = MentorStatus.PAUSED
    both.save()

    match_round = rounds.round_prepare(by=None)

    assert match_round.warnings == [
        {"code": "pin_ineligible", "mentee": "Awa", "mentor": "Dr Both"}
    ]


def test_round_prepare_warns_about_pins_beyond_capacity(two_and_two):
    awa, bintou, both, _cardio = two_and_two
    PairRule.objects.create(request=awa, mentor=both, kind=PairRuleKind.PIN)
    PairRule.objects.create(request=bintou, mentor=both, kind=PairRuleKind.PIN)

    match_round = rounds.round_prepare(by=None)

    assert match_round.warnings == [
        {"code": "pin_over_capacity", "mentee": "Bintou", "mentor": "Dr Both"}
    ]
    assert _pairs(match_round) == {"Awa": "Dr Both", "Bintou": "Dr Cardio"}


def test_round_prepare_discards_the_previous_preview(two_and_two):
    first = rounds.round_prepare(by=None)

    rounds.round_prepare(by=None)

    first.refresh_from_db()
    assert first.status == RoundStatus.DISCARDED


def test_round_proposal_change_to_another_mentor_with_a_seat(two_and_two):
    awa = two_and_two[0]
    extra = ApprovedMentorFactory(user__full_name="Dr Extra", specialties=[], capacity=1)
    match_round = rounds.round_prepare(by=None)
    proposal = match_round.proposals.get(request=awa)

    rounds.round_proposal_change(proposal=proposal, mentor=extra)

    proposal.refresh_from_db()
    match_round.refresh_from_db()
    assert (proposal.mentor, proposal.score, proposal.source) == (extra, 0, ProposalSource.MANUAL)
    assert match_round.total_score == 100


def test_round_proposal_change_refuses_a_mentor_full_in_this_round(two_and_two):
    awa, _bintou, both, _cardio = two_and_two
    match_round = rounds.round_prepare(by=None)

    with pytest.raises(Refused, match="no seat left in this round") as refusal:
        rounds.round_proposal_change(proposal=match_round.proposals.get(request=awa), mentor=both)
    assert refusal.value.code == "full"


def test_round_proposal_change_to_no_mentor(two_and_two):
    awa = two_and_two[0]
    match_round = rounds.round_prepare(by=None)

    rounds.round_proposal_change(proposal=match_round.proposals.get(request=awa), mentor=None)

    match_round.refresh_from_db()
    assert (match_round.matched_count, match_round.total_score) == (1, 100)


def test_round_publish_makes_mentorships_and_introduces_both_sides(
    two_and_two, mailoutbox, django_capture_on_commit_callbacks
):
    awa = two_and_two[0]
    awa.user.preferred_language = "fr"
    awa.user.save()
    staff = StaffFactory()
    match_round = rounds.round_prepare(by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        made = rounds.round_publish(match_round=match_round, by=staff)

    match_round.refresh_from_db()
    assert (match_round.status, match_round.published_by) == (RoundStatus.PUBLISHED, staff)
    assert len(made) == 2
    assert set(
        Mentorship.objects.values_list("mentee__full_name", "mentor__user__full_name", "status")
    ) == {("Awa", "Dr Cardio", "active"), ("Bintou", "Dr Both", "active")}
    awa.refresh_from_db()
    assert awa.status == RequestStatus.MATCHED
    assert sorted(m.subject for m in mailoutbox) == [  # each in its reader's language
        "[Global Health Portal] Faites connaissance avec votre mentor, Dr Cardio",
        "[Global Health Portal] Meet your mentor, Dr Both",
        "[Global Health Portal] Meet your new mentee, Awa",
        "[Global Health Portal] Meet your new mentee, Bintou",
    ]
    to_awa = next(m for m in mailoutbox if m.to == [awa.user.email])
    assert "Pourquoi nous vous avons associés : parlent tous deux Français" in to_awa.body
    assert "Cardiologie en commun." in to_awa.body
    awa_mentorship = Mentorship.objects.get(mentee=awa.user)
    assert f"http://127.0.0.1:8000/fr/mentorship/{awa_mentorship.pk}/" in to_awa.body


def test_round_publish_skips_mentees_who_withdrew(two_and_two):
    awa, bintou, *_ = two_and_two
    match_round = rounds.round_prepare(by=None)
    awa.status = RequestStatus.WITHDRAWN
    awa.save()

    made = rounds.round_publish(match_round=match_round, by=None)

    assert [m.request_id for m in made] == [bintou.pk]


def test_round_publish_refuses_a_stale_preview_and_writes_nothing(two_and_two):
    both = two_and_two[2]
    match_round = rounds.round_prepare(by=None)
    both.status = MentorStatus.PAUSED
    both.save()

    with pytest.raises(Refused, match="Things changed since this preview") as refusal:
        rounds.round_publish(match_round=match_round, by=None)

    assert (refusal.value.code, refusal.value.status) == ("stale", 409)
    assert refusal.value.message == "Things changed since this preview; prepare the round again."
    assert refusal.value.details == ["Dr Both is no longer approved."]
    assert Mentorship.objects.count() == 0
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.DRAFT


def test_round_publish_refuses_a_pair_forbidden_since_the_preview(two_and_two):
    _awa, bintou, both, _cardio = two_and_two
    match_round = rounds.round_prepare(by=None)
    PairRule.objects.create(request=bintou, mentor=both, kind=PairRuleKind.FORBID)

    with pytest.raises(Refused, match="Things changed since this preview") as refusal:
        rounds.round_publish(match_round=match_round, by=None)
    assert refusal.value.code == "stale"
    assert refusal.value.details == ["Bintou and Dr Both may no longer be paired."]


def test_round_publish_twice_is_refused(two_and_two):
    match_round = rounds.round_prepare(by=None)
    rounds.round_publish(match_round=match_round, by=None)

    with pytest.raises(Refused, match="no longer a preview") as refusal:
        rounds.round_publish(match_round=match_round, by=None)
    assert refusal.value.code == "not_draft"
    assert Mentorship.objects.count() == 2


def test_round_discard_then_no_change(two_and_two):
    match_round = rounds.round_prepare(by=None)

    rounds.round_discard(match_round=match_round)

    with pytest.raises(Refused, match="no longer a preview") as refusal:
        rounds.round_proposal_change(proposal=match_round.proposals.first(), mentor=None)
    assert refusal.value.code == "not_draft"


def test_weights_update_applies_from_the_next_round(two_and_two):
    weights = MatchingWeights.load()
    rounds.weights_update(weights=weights, by=None, specialty=0, time_zone=0, country=0, context=0)

    match_round = rounds.round_prepare(by=None)

    assert (match_round.matched_count, match_round.total_score) == (2, 0)


def test_round_publish_queues_the_introductions_as_one_task(
    two_and_two, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    match_round = rounds.round_prepare(by=None)

    with django_capture_on_commit_callbacks(execute=True):
        rounds.round_publish(match_round=match_round, by=None)

    (result,) = DBTaskResult.objects.all()
    assert result.task_path == "mentorship.services.mentorships.task_send_round_introductions"
    assert result.args_kwargs["kwargs"] == {"round_id": match_round.pk}
