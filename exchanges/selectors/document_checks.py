"""Documents checked one by one: which a host school may check, and what a rejected or
expiring document costs the student in the match (a rotation left out, with its reason)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from exchanges.enums import DocumentKind, LeftOut
from exchanges.models import ExchangeCycle, RankList, RankListEntry, Rotation, StudentDocument
from exchanges.models.ranking import EXPIRING_KINDS, DocumentCheck
from exchanges.selectors.schools import dossier_get
from portal.permissions import allowed

_ORDER = {kind: index for index, kind in enumerate(DocumentKind.values)}


@dataclass(frozen=True)
class DocumentProblem:
    """Why one rotation of a list is left out of the match: a document of `kind` rejected
    (`LeftOut.DOCUMENT_REJECTED`), or valid until `expires_on`, before the rotation ends on
    `ends_on` (`LeftOut.DOCUMENT_EXPIRES`)."""

    code: str
    kind: str
    expires_on: date | None = None
    ends_on: date | None = None

    @property
    def document(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def expires(self) -> bool:
        return self.code == LeftOut.DOCUMENT_EXPIRES


def _problems(
    documents: QuerySet[StudentDocument], entries: QuerySet[RankListEntry]
) -> dict[tuple[int, int], DocumentProblem]:
    """Of `entries`, those whose rotation requires a document of the list that is rejected,
    or accepted with a date of validity before the rotation's end; one query per table."""
    rejected: dict[int, set[str]] = defaultdict(set)
    valid_until: dict[int, dict[str, date]] = defaultdict(dict)
    checked = documents.filter(
        Q(check_status=DocumentCheck.REJECTED)
        | Q(check_status=DocumentCheck.ACCEPTED, kind__in=EXPIRING_KINDS, expires_on__isnull=False)
    )
    for rank_list_id, kind, status, expires_on in checked.values_list(
        "rank_list_id", "kind", "check_status", "expires_on"
    ):
        if status == DocumentCheck.REJECTED:
            rejected[rank_list_id].add(kind)
        else:
            valid_until[rank_list_id][kind] = expires_on
    if not rejected and not valid_until:
        return {}
    rows = entries.filter(Exists(checked.filter(rank_list=OuterRef("rank_list")))).values_list(
        "rank_list_id", "rotation_id", "rotation__end_date", "rotation__required_documents"
    )
    problems = {}
    for rank_list_id, rotation_id, ends_on, required in rows:
        required = set(required or ())
        refused = sorted(rejected.get(rank_list_id, set()) & required, key=_ORDER.get)
        if refused:
            problems[rank_list_id, rotation_id] = DocumentProblem(
                code=LeftOut.DOCUMENT_REJECTED, kind=refused[0]
            )
            continue
        short = sorted(
            (until, _ORDER[kind], kind)
            for kind, until in valid_until.get(rank_list_id, {}).items()
            if kind in required and until < ends_on
        )
        if short:
            until, _position, kind = short[0]
            problems[rank_list_id, rotation_id] = DocumentProblem(
                code=LeftOut.DOCUMENT_EXPIRES, kind=kind, expires_on=until, ends_on=ends_on
            )
    return problems


def document_exclusions(*, cycle: ExchangeCycle) -> dict[tuple[int, int], str]:
    """(rank list, rotation) pairs of the cycle's submitted lists that the match leaves out
    because of a document the rotation requires: rejected (`LeftOut.DOCUMENT_REJECTED`), or
    valid until a day before the rotation ends (`LeftOut.DOCUMENT_EXPIRES`). A rejection
    wins over an expiry; a document not checked yet keeps nobody out."""
    submitted = Q(rank_list__cycle=cycle, rank_list__submitted_at__isnull=False)
    problems = _problems(
        StudentDocument.objects.filter(submitted), RankListEntry.objects.filter(submitted)
    )
    return {pair: problem.code for pair, problem in problems.items()}


def document_problems(*, rank_list: RankList) -> dict[int, DocumentProblem]:
    """The same reasons for one list, by rotation id, submitted or not (the student sees
    what would keep them out before they submit)."""
    problems = _problems(
        StudentDocument.objects.filter(rank_list=rank_list),
        RankListEntry.objects.filter(rank_list=rank_list),
    )
    return {rotation_id: problem for (_list, rotation_id), problem in problems.items()}


def document_problems_mark(*, rank_list: RankList, entries: list[RankListEntry]) -> None:
    """Give each entry of the student's list its `document_problem` (None: nothing wrong)."""
    problems = document_problems(rank_list=rank_list)
    for entry in entries:
        entry.document_problem = problems.get(entry.rotation_id)


def dossier_checks(
    *, rank_list: RankList, rotation: Rotation, documents: list[StudentDocument]
) -> DocumentProblem | None:
    """For the dossier page: who checked each document (`checked_by`, fetched at once), and
    what keeps the student out of this rotation, if anything."""
    prefetch_related_objects(documents, "checked_by")
    return document_problems(rank_list=rank_list).get(rotation.pk)


def document_get_checkable(
    *, user, rotation: Rotation, rank_list_id: int, document_id: int
) -> tuple[RankList, list[StudentDocument], StudentDocument]:
    """The dossier the person reads for `rotation` (its list and documents, as `dossier_get`)
    and one of its documents, which they may check (`exchanges.check_document`); Http404 for
    anything else."""
    rank_list, documents = dossier_get(user=user, rotation=rotation, rank_list_id=rank_list_id)
    document = next((d for d in documents if d.pk == document_id), None)
    if document is None:
        raise Http404
    document.rank_list = rank_list
    if not allowed(user, "exchanges.check_document", document):
        raise Http404
    return rank_list, documents, document
