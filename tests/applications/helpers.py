"""Bring an application to a given point through the services, as a student would."""

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import RefereeStatus
from applications.models import Application, RefereeRequest
from applications.services.applications import application_refresh_missing, application_save
from applications.services.documents import DocumentUpload

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def login(client, user):
    """Sign in as someone whose multi-factor check is already done for this session."""
    from portal.middleware import MFA_SESSION_FLAG

    client.force_login(user)
    session = client.session
    session[MFA_SESSION_FLAG] = True
    session.save()
    return client


def complete(application: Application) -> Application:
    """Every required answer, document and letter, ready to submit."""
    answers = {}
    for question in application.questions:
        answers[str(question["id"])] = {"long_text": "I want to serve.", "number": "15"}.get(
            question["kind"], "yes" if question["kind"] == "yes_no" else "Kenya"
        )
    application = application_save(
        application=application,
        version=application.version,
        answers=answers,
        profile={"country": "KE", "institution": "University of Nairobi", "year_of_study": 4},
    )
    for kind in application.call.document_kinds.all():
        DocumentUpload(application=application, kind=kind).save_direct(
            file=SimpleUploadedFile("transcript.pdf", PDF)
        )
    for number in range(application.call.referees_required):
        RefereeRequest.objects.create(
            application=application,
            name=f"Referee {number}",
            email=f"referee{number}@example.org",
            token_hash=f"{application.pk:032d}{number:032d}",
            status=RefereeStatus.RECEIVED,
            letter_key=f"letters/{application.pk}-{number}",
        )
    application_refresh_missing(application=application)
    return Application.objects.get(pk=application.pk)
