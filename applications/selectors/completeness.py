"""What an application still lacks, in the applicant's words (the counting itself is
`applications.algorithms.completeness`).

Works on an application whose `documents`, `referees` and `call.document_kinds` are prefetched
(`selectors.applications.with_relations`), so that a list of applications costs no query per
row.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy, ngettext

from applications.algorithms.completeness import Gap, Kind, gaps
from applications.enums import AwardMode, DocumentStatus, QuestionKind, RefereeStatus
from portal.content_languages import text_and_language

PROFILE_LABELS = {
    "country": gettext_lazy("Country of study"),
    "institution": gettext_lazy("Medical school"),
    "year_of_study": gettext_lazy("Year of study"),
    "requested_amount": gettext_lazy("Amount requested"),
}


@dataclass(frozen=True)
class Missing:
    step: str  # "about", "section-<n>", "documents", "referees"
    text: str


def missing_items(application) -> list[Missing]:
    call = application.call
    profile = {
        "country": application.country.code if application.country else "",
        "institution": application.institution,
        "year_of_study": application.year_of_study,
    }
    if call.award_mode == AwardMode.REQUESTED:
        profile["requested_amount"] = application.requested_amount
    found = gaps(
        profile=profile,
        # Each gap named in the reader's language (or in English where the call gives none).
        questions=[
            {**question, "label": text_and_language(question, "label")[0]}
            for question in application.questions
        ],
        answers=application.answers,
        word_limited=QuestionKind.word_limited(),
        kinds=[Kind(k.pk, k.name, k.required) for k in call.document_kinds.all()],
        verified_kinds=[
            document.kind_id
            for document in application.documents.all()
            if document.status == DocumentStatus.VERIFIED
        ],
        letters_needed=call.referees_required,
        letters_received=sum(
            1 for r in application.referees.all() if r.status == RefereeStatus.RECEIVED
        ),
    )
    return [Missing(gap.step, _text(gap)) for gap in found]


def _text(gap: Gap) -> str:
    if gap.part == "profile":
        return str(PROFILE_LABELS[gap.name])
    if gap.part == "letters":
        return ngettext(
            "%(count)d letter of reference (%(received)d received)",
            "%(count)d letters of reference (%(received)d received)",
            gap.needed,
        ) % {"count": gap.needed, "received": gap.received}
    return gap.name
