"""The PDF copy of a submitted application: answers, documents, referees, time of submission."""

from django.utils import translation

from applications.algorithms.completeness import word_count
from applications.enums import DocumentStatus, QuestionKind, RefereeStatus
from applications.templatetags.application_content import answer_text
from portal.content_languages import text_and_language
from portal.emails import recipient_language
from portal.pdf import render_pdf


def application_pdf(application, *, language: str | None = None) -> bytes:
    """Render from what was submitted: the application's own copy of its questions, in the
    reader's `language` (the applicant's by default) where the call gave it, else English; the
    answers as given, with what the portal says of them (yes or no, a choice, a date, a number)
    in that language too, never as the codes they are kept as."""
    language = language or recipient_language(application.applicant)
    with translation.override(language):
        answers = [
            {
                "section": text_and_language(question, "section", language)[0],
                "label": text_and_language(question, "label", language)[0],
                "value": answer_text(question, application.answers.get(str(question["id"]))),
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
