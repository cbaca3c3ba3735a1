"""A mentor is never matched to themselves: not by a round, not by hand, not as a candidate."""

import pytest
from django.utils import timezone

from mentorship.enums import PairRuleKind
from mentorship.models import MatchProposal
from mentorship.pairing import candidates, excluded_mentor_ids
from mentorship.services import rounds
from mentorship.services.pairs import pair_rule_set
from portal.errors import Refused
from tests.factories.accounts import StaffFactory
from tests.factories.mentorship import ApprovedMentorFactory, MenteeRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_sides():
    """Awa mentors in cardiology and also asks for a mentor; nobody else offers to mentor."""
    mentor = ApprovedMentorFactory(user__full_name="Awa")
    request = MenteeRequestFactory(user=mentor.user)
    return mentor, request


def test_a_round_leaves_a_mentor_who_asks_for_a_mentor_unmatched(both_sides):
    _mentor, request = both_sides

    match_round = rounds.round_prepare(by=StaffFactory())

    proposal = MatchProposal.objects.get(match_round=match_round, request=request)
    assert proposal.mentor_id is None
    assert match_round.eligible_pair_count == 0


def test_a_round_pairs_them_with_someone_else(both_sides):
    _mentor, request = both_sides
    other = ApprovedMentorFactory(user__full_name="Bintou")

    match_round = rounds.round_prepare(by=StaffFactory())

    assert MatchProposal.objects.get(match_round=match_round, request=request).mentor == other


def test_the_own_profile_is_excluded_and_never_a_candidate(both_sides):
    mentor, request = both_sides

    assert mentor.pk in excluded_mentor_ids(request_ids=[request.pk])[request.pk]
    assert [c.mentor for c in candidates(request=request, at=timezone.now())] == []


def test_staff_cannot_pin_a_mentor_to_themselves(both_sides):
    mentor, request = both_sides

    with pytest.raises(Refused, match="cannot mentor themselves") as refusal:
        pair_rule_set(request=request, mentor=mentor, kind=PairRuleKind.PIN, by=StaffFactory())
    assert refusal.value.code == "self"


def test_staff_cannot_change_a_proposal_to_the_mentee_themselves(both_sides):
    mentor, request = both_sides
    match_round = rounds.round_prepare(by=StaffFactory())
    proposal = MatchProposal.objects.get(match_round=match_round, request=request)

    with pytest.raises(Refused, match="cannot mentor themselves") as refusal:
        rounds.round_proposal_change(proposal=proposal, mentor=mentor)
    assert refusal.value.code == "self"
