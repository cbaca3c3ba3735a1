"""The exchange app's part of a person's data rights: everything recorded about them as a
student (rank lists, dossier, endorsements, couples, documents and their checks, travel details,
placements, completions) and as a coordinator, and how their erasure keeps what the cycle's
figures need."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from exchanges.models import (
    Completion,
    Coordinator,
    Couple,
    CoupleStatus,
    Endorsement,
    EndorsementStatus,
    Placement,
    RankList,
    StudentDocument,
    TravelDetails,
)
from portal.emails import recipient_language
from portal.privacy import objects_delete_on_commit
from portal.taxonomy import LANGUAGE_NAMES

#: Stands for a decline's reason once its student is erased (a declined endorsement must give
#: one, and the figures still count it as declined).
ERASED_REASON = "-"


def _endorsement(endorsement: Endorsement | None) -> dict | None:
    if endorsement is None:
        return None
    return {
        "home_school": endorsement.institution.name,
        "status": endorsement.get_status_display(),
        "year_of_study_confirmed": endorsement.year_confirmed,
        "in_good_standing": endorsement.good_standing if endorsement.is_endorsed else None,
        "reason_for_declining": endorsement.reason,
        "requested_at": endorsement.requested_at,
        "decided_at": endorsement.decided_at,
    }


def _couples(rank_list: RankList, couples: list[Couple]) -> list[dict]:
    """The student's couples in this cycle; the partner is named by their name and nothing
    else of theirs (their list, documents and placement are their own data)."""
    result = []
    for couple in couples:
        if rank_list.pk not in couple.member_ids():
            continue
        is_first = couple.first_id == rank_list.pk
        partner = couple.partner_of(rank_list.pk).student
        result.append(
            {
                "partner": partner.display_name,
                "you_asked": is_first,
                "status": couple.get_status_display(),
                "proposed_at": couple.created_at,
                "linked_at": couple.linked_at,
                "pairs_ranked": [
                    {
                        "position": choice.position,
                        "your_rotation": (
                            choice.first_rotation if is_first else choice.second_rotation
                        ).title,
                        "partner_rotation": (
                            choice.second_rotation if is_first else choice.first_rotation
                        ).title,
                    }
                    for choice in couple.choices.all()
                ],
            }
        )
    return result


def _document(document: StudentDocument) -> dict:
    return {
        "kind": document.get_kind_display(),
        "file_name": document.original_name,
        "uploaded_at": document.uploaded_at,
        "check": document.get_check_status_display(),
        "reason_for_rejecting": document.rejection_reason,
        "checked_at": document.checked_at,
        "valid_until": document.expires_on,
    }


def _travel(rank_list: RankList) -> dict | None:
    details = getattr(rank_list, "travel_details", None)
    if details is None:
        return None
    return {
        "name_in_latin_letters": rank_list.student.latin_name,
        "passport_number": details.passport_number,
        "nationality": details.nationality.name,
        "passport_expires_on": details.passport_expires_on,
    }


def _completion(placement: Placement) -> dict | None:
    completion: Completion | None = getattr(placement, "completion", None)
    if completion is None:
        return None
    return {
        "attended": completion.attended,
        "days_attended": completion.days_attended,
        "evaluation": {str(label): rating for label, rating in completion.ratings},
        "comment": completion.comment,
        "recorded_at": completion.recorded_at,
    }


def _placement(placement: Placement | None) -> dict | None:
    if placement is None:
        return None
    return {
        "rotation": placement.rotation.title,
        "institution": placement.rotation.institution.name,
        "source": placement.get_source_display(),
        "status": placement.get_status_display(),
        "offered_at": placement.offered_at,
        "answer_by": placement.respond_by,
        "responded_at": placement.responded_at,
        "completion": _completion(placement),
    }


def exchanges_export(user) -> dict:
    """In the person's language: labels, never stored codes."""
    with translation.override(recipient_language(user)):
        return _export(user)


def _export(user) -> dict:
    rank_lists = list(
        RankList.objects.filter(student=user)
        .select_related("cycle", "student", "travel_details", "endorsement__institution")
        .prefetch_related("entries__rotation", "documents")
        .order_by("pk")
    )
    ids = [rank_list.pk for rank_list in rank_lists]
    placements = {
        placement.rank_list_id: placement
        for placement in Placement.objects.filter(rank_list_id__in=ids).select_related(
            "rotation__institution", "completion"
        )
    }
    couples = list(
        Couple.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids))
        .select_related("first__student", "second__student")
        .prefetch_related("choices__first_rotation", "choices__second_rotation")
        .order_by("pk")
    )
    lists = []
    for rank_list in rank_lists:
        lists.append(
            {
                "cycle": rank_list.cycle.name,
                "home_school": rank_list.home_school,
                "year_of_study": rank_list.year_of_study,
                "languages": [LANGUAGE_NAMES.get(code, code) for code in rank_list.languages],
                "submitted_at": rank_list.submitted_at,
                "rotations_ranked": [entry.rotation.title for entry in rank_list.entries.all()],
                "home_school_endorsement": _endorsement(getattr(rank_list, "endorsement", None)),
                "couples": _couples(rank_list, couples),
                "documents": [_document(document) for document in rank_list.documents.all()],
                "travel_details": _travel(rank_list),
                "placement": _placement(placements.get(rank_list.pk)),
            }
        )
    return {
        "rank_lists": lists,
        "coordinating": [
            link.institution.name
            for link in Coordinator.objects.filter(user=user).select_related("institution")
        ],
    }


def exchanges_documents(user) -> list[tuple[str, str]]:
    files = [
        (f"{document.rank_list_id}-{document.kind}-{document.original_name}", document.key)
        for document in StudentDocument.objects.filter(rank_list__student=user)
    ]
    files += [
        (f"{placement.rank_list_id}-placement-letter.pdf", placement.letter_key)
        for placement in Placement.objects.filter(rank_list__student=user).exclude(letter_key="")
    ]
    return files


def exchanges_erase(user, now: datetime) -> None:
    """Documents (with their checks), placement letters and passport details are deleted; rank
    lists never submitted go (with their endorsements and couples); submitted lists and
    placements stay for the cycle's figures, their student anonymised by the caller, without
    what was written about the person: a decline's reason, a completion's comment. A request
    no one can answer any more ends: a school's pending endorsement, a proposed couple. The
    person stops coordinating for any school."""
    with transaction.atomic():
        own = RankList.objects.filter(student=user)
        documents = StudentDocument.objects.filter(rank_list__in=own)
        placements = Placement.objects.filter(rank_list__in=own).exclude(letter_key="")
        keys = list(documents.values_list("key", flat=True))
        keys += list(placements.values_list("letter_key", flat=True))
        documents.delete()
        placements.update(letter_key="")
        TravelDetails.objects.filter(rank_list__in=own).delete()
        own.filter(submitted_at__isnull=True, placement__isnull=True).delete()
        endorsements = Endorsement.objects.filter(rank_list__in=own)
        endorsements.filter(status=EndorsementStatus.REQUESTED).delete()
        endorsements.filter(status=EndorsementStatus.DECLINED).update(reason=ERASED_REASON)
        Couple.objects.filter(
            Q(first__in=own) | Q(second__in=own), status=CoupleStatus.PROPOSED
        ).update(status=CoupleStatus.DISSOLVED)
        Completion.objects.filter(placement__rank_list__in=own).update(comment="")
        Coordinator.objects.filter(user=user).delete()
        objects_delete_on_commit(keys)
