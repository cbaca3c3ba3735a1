"""A person's data rights: the export (a task builds a zip, an email links to it for a week,
a job deletes it), the erasure of an account, and the privacy notice in every language."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from exchanges.models import Coordinator, RankList, StudentDocument
from mentorship.enums import EndReason, MentorshipStatus, MentorStatus, RequestStatus
from mentorship.models import MenteeRequest
from portal import privacy, storage
from portal.errors import Refused
from portal.models import AuditEntry, DataExport
from tests.factories.accounts import PASSWORD, UserFactory, has_totp
from tests.factories.applications import PDF
from tests.factories.exchanges import (
    CoordinatorFactory,
    RankListFactory,
    StudentDocumentFactory,
)
from tests.factories.mentorship import MenteeRequestFactory, MentorshipFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _stored(key: str, content: bytes = PDF) -> str:
    return storage.object_save(key, ContentFile(content))


def _link(message) -> str:
    return next(line for line in message.body.splitlines() if "/accounts/privacy/export/" in line)


def _export(user, signed_in, capture):
    client = signed_in(user)
    with capture(execute=True):
        response = client.post("/accounts/privacy/export/")
    assert response.status_code == 302
    return client, DataExport.objects.get(user=user)


def test_export_builds_one_zip_of_json_and_documents_and_emails_a_link(
    media, signed_in, django_capture_on_commit_callbacks
):
    student = UserFactory(full_name="Amina Diallo")
    document = StudentDocumentFactory(
        rank_list=RankListFactory(student=student), key=_stored("exchanges/doc/1")
    )
    MenteeRequestFactory(user=student, goals="Learn paediatrics abroad")

    client, export = _export(student, signed_in, django_capture_on_commit_callbacks)

    assert export.status == DataExport.Status.READY
    assert export.key.startswith("exports/") and export.key.endswith(".zip")
    with default_storage.open(export.key, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["full_name"] == "Amina Diallo"
    assert data["exchanges"]["rank_lists"][0]["documents"][0]["file_name"] == "record.pdf"
    assert data["mentorship"]["mentee_requests"][0]["goals"] == "Learn paediatrics abroad"
    assert data["applications"]["applications"] == []
    name = f"documents/exchanges/{document.rank_list_id}-immunisation_record-record.pdf"
    assert archive.read(name) == PDF

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [student.email]
    link = _link(mail.outbox[0])
    path = link[link.index("/accounts/") :]
    response = client.get(path)
    assert response.status_code == 302
    assert "/storage/download/" in response["Location"]
    # The link is the owner's only.
    assert signed_in(UserFactory()).get(path).status_code == 404


def test_the_request_answers_at_once_and_a_second_one_is_refused_while_building(signed_in):
    student = UserFactory()
    client = signed_in(student)
    response = client.post("/accounts/privacy/export/", follow=True)  # the task waits for commit
    assert DataExport.objects.get(user=student).status == DataExport.Status.BUILDING
    assert "We are preparing your data" in response.content.decode()

    with pytest.raises(Refused, match="already being prepared") as refusal:
        privacy.data_export_request(user=student, now=NOW)
    assert refusal.value.code == "export_in_progress"
    response = client.post("/accounts/privacy/export/", HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "export_in_progress"
    assert DataExport.objects.filter(user=student).count() == 1


def test_an_expired_link_is_refused_and_the_job_deletes_the_zip_once(
    media, signed_in, django_capture_on_commit_callbacks
):
    student = UserFactory()
    export = DataExport.objects.create(
        user=student,
        status=DataExport.Status.READY,
        key=_stored("exports/old.zip", b"PK"),
        requested_at=NOW - timedelta(days=8),
        expires_at=NOW - timedelta(days=1),
    )
    path = privacy.download_link(export).split("://", 1)[-1]
    path = path[path.index("/") :]
    assert signed_in(student).get(path).status_code == 404

    assert privacy.data_exports_delete(now=NOW - timedelta(days=2)) == {"deleted": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy.data_exports_delete(now=NOW) == {"deleted": 1}
    assert privacy.data_exports_delete(now=NOW) == {"deleted": 0}
    assert not DataExport.objects.exists()
    assert not default_storage.exists("exports/old.zip")


def test_erase_needs_the_password_and_says_what_is_kept(signed_in):
    person = UserFactory(full_name="Amina Diallo")
    client = signed_in(person)
    page = client.get("/accounts/privacy/erase/").content.decode()
    assert "what was already decided stays" in page

    response = client.post("/accounts/privacy/erase/", {"password": "not it"})
    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.full_name == "Amina Diallo"


def test_erase_anonymises_the_account_removes_its_factors_and_signs_out(signed_in):
    person = UserFactory(
        full_name="Amina Diallo", totp=True, preferred_language="fr", email_opt_outs=["digest"]
    )
    client = signed_in(person)
    response = client.post("/accounts/privacy/erase/", {"password": PASSWORD})
    assert response.status_code == 302

    person = get_user_model().objects.get(pk=person.pk)
    assert person.full_name == f"Erased person #{person.pk}"
    assert person.email == f"erased-{person.pk}@invalid"
    assert not person.has_usable_password()
    assert not person.is_active
    assert not has_totp(person)
    assert (person.preferred_language, person.email_opt_outs) == ("", [])
    assert AuditEntry.objects.filter(action="account.erased", object_id=str(person.pk)).exists()
    # Signed out, and no way back in.
    assert client.get("/accounts/privacy/").status_code == 302
    assert not client.login(email=person.email, password=PASSWORD)


def test_erase_ends_mentoring_and_leaves_exchanges_without_documents(
    media, django_capture_on_commit_callbacks
):
    mentorship = MentorshipFactory()
    mentor = mentorship.mentor.user
    CoordinatorFactory(user=mentor)
    draft_list = RankListFactory(student=mentor)
    submitted = RankListFactory(student=mentor, submitted_at=NOW)
    document = StudentDocumentFactory(rank_list=submitted, key=_stored("exchanges/doc/2"))

    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_erase(user=mentor, now=NOW)

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.end_reason == EndReason.LEFT_PROGRAMME
    request = MenteeRequest.objects.get(pk=mentorship.request_id)
    assert (request.status, request.needs_new_mentor_since) == (RequestStatus.OPEN, NOW)
    mentorship.mentor.refresh_from_db()
    assert (mentorship.mentor.status, mentorship.mentor.bio) == (MentorStatus.PAUSED, "")
    assert not Coordinator.objects.filter(user=mentor).exists()
    assert not RankList.objects.filter(pk=draft_list.pk).exists()
    assert RankList.objects.filter(pk=submitted.pk).exists()
    assert not StudentDocument.objects.exists()
    assert not default_storage.exists(document.key)


def test_a_person_without_a_password_types_the_confirmation_word(signed_in):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    client = signed_in(person)
    response = client.post("/accounts/privacy/erase/", {"confirmation": "yes"})
    assert "Type ERASE to confirm." in response.content.decode()
    assert client.post("/accounts/privacy/erase/", {"confirmation": "erase"}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active


def test_an_administrator_is_not_erased_here():
    admin = UserFactory(is_superuser=True)
    with pytest.raises(Refused, match="administrator") as refusal:
        privacy.account_erase(user=admin, now=NOW)
    assert refusal.value.code == "administrator"


def test_privacy_pages_need_a_signed_in_person(client):
    for path in ("/accounts/privacy/", "/accounts/privacy/erase/"):
        assert client.get(path)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Privacy"), ("fr", "Confidentialité"), ("ar", "الخصوصية"), ("es", "Privacidad")],
)
def test_the_privacy_notice_is_in_every_language_and_in_the_footer(demo, client, language, title):
    prefix = "" if language == "en" else f"/{language}"
    home = client.get(f"{prefix}/").content.decode()
    assert f'href="{prefix}/accounts/privacy/notice/"' in home
    response = client.get(f"{prefix}/accounts/privacy/notice/", follow=True)
    assert response.status_code == 200
    assert f"<title>{title}" in response.content.decode()
    assert response.wsgi_request.path.startswith(f"{prefix}/")
