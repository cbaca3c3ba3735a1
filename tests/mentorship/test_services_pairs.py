"""Tests for mentorship.services.pairs: pinned and forbidden pairs."""

import pytest

from mentorship.enums import MentorshipStatus, PairRuleKind
from mentorship.models import PairRule
from mentorship.services.pairs import pair_rule_delete, pair_rule_set
from portal.errors import Refused
from tests.factories.mentorship import (
    ApprovedMentorFactory,
    MenteeRequestFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db


def test_pair_rule_pin_then_forbid_keeps_one_rule_per_pair():
    request, mentor = MenteeRequestFactory(), ApprovedMentorFactory()

    pair_rule_set(request=request, mentor=mentor, kind=PairRuleKind.PIN, by=None)
    rule = pair_rule_set(
        request=request, mentor=mentor, kind=PairRuleKind.FORBID, note="Same hospital", by=None
    )

    assert list(PairRule.objects.values_list("kind", "note")) == [("forbid", "Same hospital")]
    assert rule.pk == PairRule.objects.get().pk


def test_pair_rule_pin_refused_without_a_shared_language():
    request = MenteeRequestFactory(languages=["sw"])

    with pytest.raises(Refused, match="share no language") as refusal:
        pair_rule_set(
            request=request, mentor=ApprovedMentorFactory(), kind=PairRuleKind.PIN, by=None
        )
    assert refusal.value.code == "no_language"


def test_pair_rule_pin_refused_when_pinned_to_another_mentor():
    request = MenteeRequestFactory()
    pair_rule_set(request=request, mentor=ApprovedMentorFactory(), kind=PairRuleKind.PIN, by=None)

    with pytest.raises(Refused, match="already pinned to another mentor") as refusal:
        pair_rule_set(
            request=request, mentor=ApprovedMentorFactory(), kind=PairRuleKind.PIN, by=None
        )
    assert refusal.value.code == "pinned"


def test_pair_rule_pin_refused_for_a_former_mentor():
    former = MentorshipFactory(status=MentorshipStatus.ENDED)
    request = former.request
    request.status = "open"
    request.save()

    with pytest.raises(Refused, match="paired before") as refusal:
        pair_rule_set(request=request, mentor=former.mentor, kind=PairRuleKind.PIN, by=None)
    assert refusal.value.code == "excluded"


def test_pair_rule_pin_refused_for_a_mentor_who_is_not_approved():
    request = MenteeRequestFactory()

    with pytest.raises(Refused, match="not approved") as refusal:
        pair_rule_set(
            request=request,
            mentor=ApprovedMentorFactory(status="pending"),
            kind=PairRuleKind.PIN,
            by=None,
        )
    assert refusal.value.code == "not_approved"


def test_pair_rule_pin_replaces_a_ban_of_the_same_pair():
    request, mentor = MenteeRequestFactory(), ApprovedMentorFactory()
    pair_rule_set(request=request, mentor=mentor, kind=PairRuleKind.FORBID, by=None)

    pair_rule_set(request=request, mentor=mentor, kind=PairRuleKind.PIN, by=None)

    assert list(PairRule.objects.values_list("kind", flat=True)) == ["pin"]


def test_pair_rule_delete():
    request, mentor = MenteeRequestFactory(), ApprovedMentorFactory()
    rule = pair_rule_set(request=request, mentor=mentor, kind=PairRuleKind.FORBID, by=None)

    pair_rule_delete(rule=rule)

    assert PairRule.objects.count() == 0
