"""The PDF copy of a submitted application: answers, documents, referees, time of submission."""

from applications.algorithms.completeness import word_count
from applications.enums import DocumentStatus, QuestionKind, RefereeStatus
from portal.content_languages import text_and_language
from portal.emails import recipient_language
from portal.pdf import render_pdf


def _display(question: dict, value) -> str:
    if value in (None, "", []):
        return "—"
    if question["kind"] == QuestionKind.MULTIPLE_CHOICE:
        return ", ".join(value)
    return str(value)


def application_pdf(application) -> bytes:
    """Render from what was submitted: the application's own copy of its questions, each in
    the applicant's language where the call gave it (else English); the answers as given."""
    language = recipient_language(application.applicant)
    answers = [
        {
            "section": text_and_language(question, "section", language)[0],
            "label": text_and_language(question, "label", language)[0],
            "value": _display(question, application.answers.get(str(question["id"]))),
            "words": word_count(application.answers.get(str(question["id"])) or "")
            if question["kind"] == QuestionKind.LONG_TEXT
            else None,
        }
        for question in application.questions
    ]
    return render_pdf(
        "pdf/application.html",
        {
            "application": application,
            "call": application.call,
            "applicant": application.applicant,
            "answers": answers,
            "documents": [
                d for d in application.documents.all() if d.status == DocumentStatus.VERIFIED
            ],
            "referees": [
                r for r in application.referees.all() if r.status != RefereeStatus.REPLACED
            ],
        },
        language=language,
    )
