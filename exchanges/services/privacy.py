"""The exchange app's part of a person's data rights: their rank lists, dossiers, documents and
placements to export, and how their erasure keeps placements for the cycle's figures."""

from datetime import datetime

from django.db import transaction

from exchanges.models import Coordinator, Placement, RankList, StudentDocument
from portal.privacy import objects_delete_on_commit


def exchanges_export(user) -> dict:
    rank_lists = (
        RankList.objects.filter(student=user)
        .select_related("cycle")
        .prefetch_related("entries__rotation", "documents")
        .order_by("pk")
    )
    placements = {
        placement.rank_list_id: placement
        for placement in Placement.objects.filter(rank_list__student=user).select_related(
            "rotation__institution"
        )
    }
    lists = []
    for rank_list in rank_lists:
        placement = placements.get(rank_list.pk)
        lists.append(
            {
                "cycle": rank_list.cycle.name,
                "home_school": rank_list.home_school,
                "year_of_study": rank_list.year_of_study,
                "languages": rank_list.languages,
                "submitted_at": rank_list.submitted_at,
                "rotations_ranked": [entry.rotation.title for entry in rank_list.entries.all()],
                "documents": [
                    {"kind": document.kind, "file_name": document.original_name}
                    for document in rank_list.documents.all()
                ],
                "placement": {
                    "rotation": placement.rotation.title,
                    "institution": placement.rotation.institution.name,
                    "status": placement.status,
                    "offered_at": placement.offered_at,
                    "responded_at": placement.responded_at,
                }
                if placement
                else None,
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
    """Documents and placement letters are deleted; rank lists never submitted go; submitted
    lists and placements stay for the cycle's figures, their student anonymised by the caller;
    the person stops coordinating for any school."""
    with transaction.atomic():
        documents = StudentDocument.objects.filter(rank_list__student=user)
        placements = Placement.objects.filter(rank_list__student=user).exclude(letter_key="")
        keys = list(documents.values_list("key", flat=True))
        keys += list(placements.values_list("letter_key", flat=True))
        documents.delete()
        placements.update(letter_key="")
        RankList.objects.filter(
            student=user, submitted_at__isnull=True, placement__isnull=True
        ).delete()
        Coordinator.objects.filter(user=user).delete()
        objects_delete_on_commit(keys)
