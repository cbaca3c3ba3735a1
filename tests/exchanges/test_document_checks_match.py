"""What a checked document costs in the match: a rotation that requires a rejected document,
or ends after an accepted one expires, is left out for that student, with its reason, and the
student reads it next to the rotation."""

from datetime import date

import pytest
from django.urls import reverse

from exchanges import selectors
from exchanges.enums import DocumentKind, LeftOut
from exchanges.models import StudentDocument
from exchanges.models.ranking import DocumentCheck
from exchanges.selectors.document_checks import document_exclusions, document_problems
from exchanges.selectors.exclusions import match_exclusions
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    ranked,
    with_documents,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    """A cycle with two rotations: April (ends 30 April 2027, asks for immunisation and
    insurance) and June (ends 30 June 2027, asks for insurance only)."""
    cycle = CycleFactory()
    april = CycleRotationFactory(
        cycle=cycle, start_date=date(2027, 4, 1), end_date=date(2027, 4, 30)
    )
    june = CycleRotationFactory(
        cycle=cycle,
        start_date=date(2027, 6, 1),
        end_date=date(2027, 6, 30),
        required_documents=[DocumentKind.INSURANCE.value],
    )
    return cycle, april, june


def _set(rank_list, kind, status, expires_on=None, reason=""):
    StudentDocument.objects.filter(rank_list=rank_list, kind=kind).update(
        check_status=status, expires_on=expires_on, rejection_reason=reason
    )


def test_document_exclusions(season):
    cycle, april, june = season
    expiring = with_documents(ranked(RankListFactory(cycle=cycle), [april, june]))
    _set(expiring, DocumentKind.INSURANCE, DocumentCheck.ACCEPTED, date(2027, 5, 31))
    _set(expiring, DocumentKind.IMMUNISATION, DocumentCheck.ACCEPTED, date(2027, 4, 30))
    rejected = with_documents(ranked(RankListFactory(cycle=cycle), [april, june]))
    _set(rejected, DocumentKind.IMMUNISATION, DocumentCheck.REJECTED, reason="Blurred")
    fine = with_documents(ranked(RankListFactory(cycle=cycle), [april, june]))
    _set(fine, DocumentKind.INSURANCE, DocumentCheck.ACCEPTED, date(2027, 6, 30))
    pending = with_documents(ranked(RankListFactory(cycle=cycle), [april]))  # noqa: F841
    draft = with_documents(ranked(RankListFactory(cycle=cycle), [april], submitted=False))
    _set(draft, DocumentKind.IMMUNISATION, DocumentCheck.REJECTED, reason="Blurred")
    elsewhere = with_documents(ranked(RankListFactory(), [CycleRotationFactory()]))
    _set(elsewhere, DocumentKind.IMMUNISATION, DocumentCheck.REJECTED, reason="Blurred")

    assert document_exclusions(cycle=cycle) == {
        # Insurance valid until 31 May: April is fine, June ends after it.
        (expiring.pk, june.pk): LeftOut.DOCUMENT_EXPIRES,
        # Immunisation rejected: April asks for it, June does not.
        (rejected.pk, april.pk): LeftOut.DOCUMENT_REJECTED,
    }
    assert match_exclusions(cycle=cycle).pairs == document_exclusions(cycle=cycle)


def test_a_rejection_wins_over_an_expiry(season):
    cycle, april, _june = season
    both = with_documents(ranked(RankListFactory(cycle=cycle), [april]))
    _set(both, DocumentKind.INSURANCE, DocumentCheck.ACCEPTED, date(2027, 4, 1))
    _set(both, DocumentKind.IMMUNISATION, DocumentCheck.REJECTED, reason="Blurred")

    assert document_exclusions(cycle=cycle) == {(both.pk, april.pk): LeftOut.DOCUMENT_REJECTED}
    problem = document_problems(rank_list=both)[april.pk]
    assert (problem.code, problem.kind) == (LeftOut.DOCUMENT_REJECTED, "immunisation_record")


def test_the_match_leaves_the_pair_out_and_keeps_the_reason(season):
    cycle, april, june = season
    mine = with_documents(ranked(RankListFactory(cycle=cycle), [april, june]))
    _set(mine, DocumentKind.INSURANCE, DocumentCheck.ACCEPTED, date(2027, 5, 1))

    inputs = selectors.match_inputs(cycle=cycle)

    assert inputs.students[mine.pk] == [april.pk]
    assert inputs.as_json()["excluded_pairs"] == [[mine.pk, june.pk, "document_expires"]]


def test_the_student_sees_the_expiry_next_to_the_rotation(season, signed_in):
    cycle, april, june = season
    mine = with_documents(ranked(RankListFactory(cycle=cycle), [april, june]))
    _set(mine, DocumentKind.INSURANCE, DocumentCheck.ACCEPTED, date(2027, 5, 31))

    text = signed_in(mine.student).get(reverse("exchanges:rank_list", args=[cycle.pk]))
    text = text.content.decode()

    june_item = text[text.index(f'id="rotation-{june.pk}"') :]
    april_item = text[
        text.index(f'id="rotation-{april.pk}"') : text.index(f'id="rotation-{june.pk}"')
    ]
    assert "Proof of insurance expires 31 May 2027, before this rotation ends on 30 June 2027." in (
        june_item
    )
    assert "expires" not in april_item


def test_nothing_checked_costs_one_query(season, django_assert_num_queries):
    cycle, april, _june = season
    with_documents(ranked(RankListFactory(cycle=cycle), [april]))

    with django_assert_num_queries(1):
        assert document_exclusions(cycle=cycle) == {}
