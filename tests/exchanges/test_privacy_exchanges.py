"""The exchange part of a person's data rights: the export names endorsements, couples,
document checks, travel details and completions in the student's words, and the erasure keeps
the cycle's figures without what was written about the person."""

import json
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchanges.enums import DocumentKind, PlacementSource, PlacementStatus
from exchanges.models import (
    Completion,
    Couple,
    CoupleStatus,
    Endorsement,
    EndorsementStatus,
    Placement,
    RankList,
    StudentDocument,
    TravelDetails,
)
from exchanges.models.ranking import DocumentCheck
from exchanges.services.privacy import ERASED_REASON, exchanges_erase, exchanges_export
from portal import privacy
from tests.factories.accounts import UserFactory
from tests.factories.exchanges import (
    CompletionFactory,
    CoupleFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    StudentDocumentFactory,
    TravelDetailsFactory,
    endorsed_by,
    paired,
    ranked,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _placed(rank_list, rotation) -> Placement:
    return Placement.objects.create(
        cycle=rank_list.cycle,
        rank_list=rank_list,
        rotation=rotation,
        source=PlacementSource.MATCH,
        status=PlacementStatus.CONFIRMED,
    )


@pytest.fixture
def couple_placed():
    """Amina and Karim, linked, ranked one pair (North for Amina, South for Karim), placed on
    it; Amina's immunisation record was rejected, her insurance accepted until a date; she gave
    her passport, and North recorded her attendance. Karim has his own data, not hers."""
    cycle = CycleFactory(name="Spring exchanges")
    north = CycleRotationFactory(cycle=cycle, title="North paediatrics")
    south = CycleRotationFactory(cycle=cycle, title="South surgery")
    amina = UserFactory(full_name="Amina Diallo", latin_name="Amina Diallo")
    karim = UserFactory(full_name="Karim Nasser", email="karim@example.org")
    first = ranked(RankListFactory(cycle=cycle, student=amina, languages=["fr", "en"]), [north])
    second = ranked(RankListFactory(cycle=cycle, student=karim), [south])
    paired(CoupleFactory(first=first, second=second), [(north, south)])
    StudentDocumentFactory(
        rank_list=first,
        kind=DocumentKind.IMMUNISATION,
        check_status=DocumentCheck.REJECTED,
        rejection_reason="The hepatitis B dose is missing.",
        checked_at=NOW,
    )
    StudentDocumentFactory(
        rank_list=first,
        kind=DocumentKind.INSURANCE,
        check_status=DocumentCheck.ACCEPTED,
        checked_at=NOW,
        expires_on=date(2031, 6, 30),
    )
    StudentDocumentFactory(rank_list=second, original_name="karim-record.pdf")
    TravelDetailsFactory(rank_list=first, passport_number="N1234567", nationality="SN")
    TravelDetailsFactory(rank_list=second, passport_number="K7654321")
    CompletionFactory(placement=_placed(first, north), comment="Kind with every family.")
    _placed(second, south)
    return first, second


def test_export_names_every_exchange_record_in_the_students_words(couple_placed):
    first, _second = couple_placed
    endorsement = Endorsement.objects.get(rank_list=first)

    data = exchanges_export(first.student)

    (exported,) = data["rank_lists"]
    assert exported["cycle"] == "Spring exchanges"
    assert exported["languages"] == ["French", "English"]
    assert exported["home_school_endorsement"] == {
        "home_school": endorsement.institution.name,
        "status": "Endorsed",
        "year_of_study_confirmed": 5,
        "in_good_standing": True,
        "reason_for_declining": "",
        "requested_at": endorsement.requested_at,
        "decided_at": endorsement.decided_at,
    }
    (couple,) = exported["couples"]
    assert couple["partner"] == "Karim Nasser"
    assert (couple["you_asked"], couple["status"]) == (True, "Linked")
    assert couple["pairs_ranked"] == [
        {"position": 1, "your_rotation": "North paediatrics", "partner_rotation": "South surgery"}
    ]
    checks = [
        (d["kind"], d["check"], d["reason_for_rejecting"], d["valid_until"])
        for d in exported["documents"]
    ]
    assert checks == [
        ("Immunisation record", "Rejected", "The hepatitis B dose is missing.", None),
        ("Proof of insurance", "Accepted", "", date(2031, 6, 30)),
    ]
    assert exported["travel_details"] == {
        "name_in_latin_letters": "Amina Diallo",
        "passport_number": "N1234567",
        "nationality": "Senegal",
        "passport_expires_on": date(2033, 1, 1),
    }
    placement = exported["placement"]
    assert (placement["rotation"], placement["source"], placement["status"]) == (
        "North paediatrics",
        "The match",
        "Confirmed",
    )
    assert placement["completion"] == {
        "attended": True,
        "days_attended": 20,
        "evaluation": {"clinical skills": 4, "professionalism": 5, "communication": 3},
        "comment": "Kind with every family.",
        "recorded_at": placement["completion"]["recorded_at"],
    }


def test_export_names_the_partner_and_nothing_else_of_theirs(couple_placed):
    first, second = couple_placed

    text = json.dumps(exchanges_export(first.student), cls=DjangoJSONEncoder)

    assert "Karim Nasser" in text
    for theirs in ("karim@example.org", "K7654321", "karim-record.pdf"):
        assert theirs not in text
    # Seen from Karim's side: he was asked, and Amina is only her name.
    (couple,) = exchanges_export(second.student)["rank_lists"][0]["couples"]
    assert (couple["partner"], couple["you_asked"]) == ("Amina Diallo", False)
    assert couple["pairs_ranked"][0]["your_rotation"] == "South surgery"


def test_export_of_a_declined_endorsement_gives_the_schools_reason():
    rank_list = ranked(RankListFactory(), [CycleRotationFactory()], endorsed=False)
    endorsed_by(rank_list, status=EndorsementStatus.DECLINED)

    endorsement = exchanges_export(rank_list.student)["rank_lists"][0]["home_school_endorsement"]

    assert (endorsement["status"], endorsement["reason_for_declining"]) == (
        "Declined",
        "Not enrolled this year.",
    )
    assert endorsement["in_good_standing"] is None


def test_export_of_someone_without_exchanges_is_empty():
    assert exchanges_export(UserFactory()) == {"rank_lists": [], "coordinating": []}


def test_export_queries_do_not_grow_with_the_records(couple_placed):
    first, _second = couple_placed
    with CaptureQueriesContext(connection) as one:
        exchanges_export(first.student)
    other = RankListFactory(student=first.student, cycle=CycleFactory())
    endorsed_by(ranked(other, [CycleRotationFactory(cycle=other.cycle)]))
    StudentDocumentFactory(rank_list=other)
    with CaptureQueriesContext(connection) as two:
        exchanges_export(first.student)
    assert len(two) == len(one) == 10


def test_erase_keeps_the_figures_without_what_was_written_about_the_person(
    media, couple_placed, django_capture_on_commit_callbacks
):
    first, second = couple_placed
    keys = list(StudentDocument.objects.filter(rank_list=first).values_list("key", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_erase(user=first.student, now=NOW)

    assert not StudentDocument.objects.filter(rank_list=first).exists()
    assert not TravelDetails.objects.filter(rank_list=first).exists()
    completion = Completion.objects.get(placement__rank_list=first)
    assert (completion.attended, completion.days_attended, completion.comment) == (True, 20, "")
    assert completion.ratings[0][1] == 4
    assert Endorsement.objects.get(rank_list=first).status == EndorsementStatus.ENDORSED
    assert Couple.objects.get(first=first).status == CoupleStatus.LINKED
    # The partner keeps all of theirs, and now reads an erased name.
    assert TravelDetails.objects.filter(rank_list=second).exists()
    assert StudentDocument.objects.filter(rank_list=second).count() == 1
    (couple,) = exchanges_export(second.student)["rank_lists"][0]["couples"]
    assert couple["partner"] == f"Erased person #{first.student_id}"
    assert not any(default_storage.exists(key) for key in keys)


def test_erase_ends_requests_no_one_can_answer_and_blanks_a_declines_reason():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    student = UserFactory()
    declined = ranked(RankListFactory(cycle=cycle, student=student), [rotation], endorsed=False)
    endorsed_by(declined, status=EndorsementStatus.DECLINED)
    asking = ranked(RankListFactory(student=student), [CycleRotationFactory()], endorsed=False)
    endorsed_by(asking, status=EndorsementStatus.REQUESTED)
    proposed = CoupleFactory(first=RankListFactory(cycle=cycle), second=declined, status="proposed")
    draft = RankListFactory(student=student, cycle=CycleFactory())
    CoupleFactory(first=draft, status=CoupleStatus.PROPOSED)

    exchanges_erase(student, NOW)

    assert Endorsement.objects.get(rank_list=declined).reason == ERASED_REASON
    assert not Endorsement.objects.filter(rank_list=asking).exists()
    proposed.refresh_from_db()
    assert proposed.status == CoupleStatus.DISSOLVED
    assert not RankList.objects.filter(pk=draft.pk).exists()
    assert not Couple.objects.filter(first_id=draft.pk).exists()


def test_erase_twice_is_harmless(media, couple_placed):
    first, _second = couple_placed
    exchanges_erase(first.student, NOW)
    before = exchanges_export(first.student)

    exchanges_erase(first.student, NOW)

    assert exchanges_export(first.student) == before
    assert before["rank_lists"][0]["documents"] == []
    assert before["rank_lists"][0]["travel_details"] is None
