"""What an application still lacks before it can be submitted.

Works on an application whose `documents`, `referees` and `call.document_kinds` are prefetched,
so that a list of applications costs no query per row.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import AwardMode, DocumentStatus, QuestionKind, RefereeStatus


@dataclass(frozen=True)
class Missing:
    step: str  # "about", "section-<n>", "documents", "referees"
    text: str


def word_count(text: str) -> int:
    return len(str(text).split())


def answer_is_complete(question: dict, value) -> bool:
    if value in (None, "", []):
        return not question["required"]
    if question["kind"] == QuestionKind.LONG_TEXT and question.get("word_limit"):
        return word_count(value) <= question["word_limit"]
    return True


def missing_items(application) -> list[Missing]:
    missing: list[Missing] = []
    if not application.country:
        missing.append(Missing("about", _("Country of study")))
    if not application.institution:
        missing.append(Missing("about", _("Medical school")))
    if application.year_of_study is None:
        missing.append(Missing("about", _("Year of study")))
    call = application.call
    if call.award_mode == AwardMode.REQUESTED and application.requested_amount is None:
        missing.append(Missing("about", _("Amount requested")))

    sections = application.sections
    for question in application.questions:
        value = application.answers.get(str(question["id"]))
        if not answer_is_complete(question, value):
            step = f"section-{sections.index(question['section']) + 1}"
            missing.append(Missing(step, question["label"]))

    verified = {
        document.kind_id
        for document in application.documents.all()
        if document.status == DocumentStatus.VERIFIED
    }
    for kind in call.document_kinds.all():
        if kind.required and kind.pk not in verified:
            missing.append(Missing("documents", kind.name))

    letters = sum(1 for r in application.referees.all() if r.status == RefereeStatus.RECEIVED)
    if letters < call.referees_required:
        missing.append(
            Missing(
                "referees",
                ngettext(
                    "%(count)d letter of reference (%(received)d received)",
                    "%(count)d letters of reference (%(received)d received)",
                    call.referees_required,
                )
                % {"count": call.referees_required, "received": letters},
            )
        )
    return missing
