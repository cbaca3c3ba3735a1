"""Documents checked one by one: host schools and staff accept or reject each from the dossier,
the student reads the outcome and is emailed a rejection, a new file starts unchecked, and a
rejected or expiring document keeps the student out of the rotations that require it."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exchanges.enums import DocumentKind
from exchanges.models import StudentDocument
from exchanges.models.institutions import CoordinatorConflict
from exchanges.models.ranking import DocumentCheck
from exchanges.services.document_checks import document_check
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.applications import PDF
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleRotationFactory,
    RankListFactory,
    StudentDocumentFactory,
    ranked,
)

pytestmark = pytest.mark.django_db

LATER = date.today() + timedelta(days=400)


def _check_url(w, document=None):
    document = document or w.document
    return reverse("exchanges:document_check", args=[w.north.pk, w.student_list.pk, document.pk])


def _dossier(w):
    return reverse("exchanges:dossier", args=[w.north.pk, w.student_list.pk])


ACCEPT = {"decision": "accepted", "expires_on": LATER.isoformat()}


# Who may check: the host school that reads the dossier, and programme staff.


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator_a", 302),
        ("staff", 302),
        ("coordinator_b", 404),
        ("student", 404),
        ("other_student", 404),
        ("reviewer", 404),
    ],
)
def test_check_by_role(world, signed_in, role, status):
    response = signed_in(getattr(world, role)).post(_check_url(world), ACCEPT)

    world.document.refresh_from_db()
    assert response.status_code == status
    expected = DocumentCheck.ACCEPTED if status == 302 else DocumentCheck.PENDING
    assert world.document.check_status == expected
    if status == 302:
        assert response.url == f"{_dossier(world)}#document-{world.document.pk}"
        assert (world.document.checked_by, world.document.expires_on) == (
            getattr(world, role),
            LATER,
        )


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.post(_check_url(world), ACCEPT)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_get_is_not_allowed(world, signed_in):
    assert signed_in(world.coordinator_a).get(_check_url(world)).status_code == 405


def test_a_conflicted_coordinator_may_not_check(world, signed_in):
    CoordinatorConflict.objects.create(
        coordinator=world.coordinator_a,
        institution=world.north.institution,
        student=world.student,
    )

    response = signed_in(world.coordinator_a).post(_check_url(world), ACCEPT)

    assert response.status_code == 404


def test_a_school_may_not_check_a_kind_its_rotations_do_not_ask_for(world, signed_in):
    world.north.required_documents = [DocumentKind.INSURANCE.value]
    world.north.save()

    response = signed_in(world.coordinator_a).post(_check_url(world), ACCEPT)

    assert response.status_code == 404


def test_a_document_of_another_list_through_this_dossier_is_a_404(world, signed_in):
    other = world.other_list.documents.get(kind=DocumentKind.IMMUNISATION)

    response = signed_in(world.staff).post(_check_url(world, other), ACCEPT)

    assert response.status_code == 404


def test_a_superuser_outside_the_staff_group_may_not_check(world, signed_in):
    boss = UserFactory(is_superuser=True, is_staff=True, totp=True)

    assert signed_in(boss).post(_check_url(world), ACCEPT).status_code == 404


# Bad inputs are refused with words, and nothing changes.


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "rejected", "reason": "   "}, "Say why you reject the document"),
        ({"decision": "rejected", "reason": "x" * 501}, "Keep the reason to 500 characters."),
        ({"decision": "accepted"}, "Give the date until which the document is valid."),
        (
            {"decision": "accepted", "expires_on": "2001-01-01"},
            "This document is no longer valid; reject it and say so.",
        ),
        ({"decision": "accepted", "expires_on": "next year"}, "Give the date it is valid until"),
        ({"decision": "maybe"}, "Select a valid choice."),
    ],
)
def test_bad_checks_are_refused(world, signed_in, data, message):
    response = signed_in(world.coordinator_a).post(_check_url(world), data, follow=True)

    world.document.refresh_from_db()
    assert message in response.content.decode()
    assert world.document.check_status == DocumentCheck.PENDING
    assert not AuditEntry.objects.filter(action="student_document.checked").exists()


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        (
            {"decision": "rejected", "reason": "Blurred " * 70},
            ">" + "Blurred " * 70 + "</textarea>",
        ),
        ({"decision": "accepted", "expires_on": "2001-01-01"}, 'value="2001-01-01"'),
        ({"decision": "accepted", "expires_on": "next year"}, 'value="next year"'),
    ],
)
def test_a_refused_check_is_shown_again_as_typed(world, signed_in, data, typed):
    response = signed_in(world.coordinator_a).post(_check_url(world), data)

    text = response.content.decode()
    assert response.status_code == 400
    assert typed in text
    assert text.count('aria-invalid="true"') == 1
    assert f'action="{_check_url(world)}"' in text


def test_a_refused_rejection_keeps_the_reason_and_the_date_typed(world, signed_in):
    data = {"decision": "rejected", "reason": "   ", "expires_on": "2030-05-01"}

    response = signed_in(world.coordinator_a).post(_check_url(world), data)

    text = response.content.decode()
    assert response.status_code == 400
    assert "Say why you reject the document: the student reads it." in text
    assert f'id="expires-{world.document.pk}" value="2030-05-01"' in text


@pytest.mark.parametrize(
    ("kwargs", "message", "code"),
    [
        ({"decision": "rejected"}, "Say why you reject", "reason_required"),
        ({"decision": "rejected", "reason": "y" * 501}, "Keep the reason", "reason_too_long"),
        ({"decision": "accepted"}, "Give the date until which", "expiry_required"),
        ({"decision": "pending"}, "Accept or reject the document.", "unknown_decision"),
    ],
)
def test_the_service_refuses_bad_checks(world, kwargs, message, code):
    with pytest.raises(Refused, match=message) as refusal:
        document_check(document=world.document, by=world.coordinator_a, **kwargs)

    assert refusal.value.code == code


def test_a_document_without_expiry_is_accepted_without_a_date(world):
    cv = StudentDocumentFactory(rank_list=world.student_list, kind=DocumentKind.CV)

    checked = document_check(
        document=cv, by=world.staff, decision="accepted", expires_on=date(2030, 1, 1)
    )

    assert (checked.check_status, checked.expires_on) == (DocumentCheck.ACCEPTED, None)


def test_checking_a_document_replaced_meanwhile_is_refused(world):
    stale = world.document
    StudentDocument.objects.filter(pk=stale.pk).delete()

    with pytest.raises(Refused, match="replaced this document meanwhile") as refusal:
        document_check(document=stale, by=world.staff, decision="accepted", expires_on=LATER)

    assert (refusal.value.code, refusal.value.status) == ("replaced", 409)


# A rejection: the reason to the student, by email and on their page; audited once.


def test_a_rejection_is_emailed_audited_and_shown_once(
    world, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(world.coordinator_a)
    data = {"decision": "rejected", "reason": "The record has no measles dose."}

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(_check_url(world), data, follow=True)
        client.post(_check_url(world), data)  # a double click

    world.document.refresh_from_db()
    assert world.document.check_status == DocumentCheck.REJECTED
    assert world.document.rejection_reason == "The record has no measles dose."
    assert "Immunisation record rejected; the student is told why." in page.content.decode()
    (message,) = mailoutbox
    assert message.to == [world.student.email]
    assert message.subject.endswith("] Your immunisation record was not accepted")
    assert "The record has no measles dose." in message.body
    assert "/my-list/#documents" in message.body
    (entry,) = AuditEntry.objects.filter(action="student_document.checked")
    assert (entry.actor, entry.scope) == (world.coordinator_a, f"exchange_cycle:{world.cycle.pk}")
    assert entry.before["check_status"] == "pending"
    assert entry.after["rejection_reason"] == "The record has no measles dose."

    mine = signed_in(world.student).get(reverse("exchanges:rank_list", args=[world.cycle.pk]))
    text = mine.content.decode()
    assert '<span class="status status-bad">Rejected</span>' in text
    assert '<span dir="auto">The record has no measles dose.</span>' in text
    assert "Immunisation record was rejected." in text
    assert "The match will not place you here until a new file is accepted." in text


def test_a_change_of_mind_is_recorded_and_accepting_clears_the_reason(world):
    document_check(document=world.document, by=world.staff, decision="rejected", reason="Blurred")
    checked = document_check(
        document=world.document, by=world.coordinator_a, decision="accepted", expires_on=LATER
    )

    assert (checked.check_status, checked.rejection_reason, checked.checked_by) == (
        DocumentCheck.ACCEPTED,
        "",
        world.coordinator_a,
    )
    assert AuditEntry.objects.filter(action="student_document.checked").count() == 2


def test_the_student_reads_each_status(world, signed_in):
    insurance = world.student_list.documents.get(kind=DocumentKind.INSURANCE)
    document_check(
        document=insurance, by=world.staff, decision="accepted", expires_on=date(2099, 3, 3)
    )

    text = signed_in(world.student).get(reverse("exchanges:rank_list", args=[world.cycle.pk]))
    text = text.content.decode()

    assert '<span class="status status-ok">Accepted</span>' in text
    assert "valid until 3 March 2099" in text
    assert '<span class="status status-warn">Not checked yet</span>' in text


# A new file from the student starts unchecked; the trail keeps the old check.


def test_a_replacement_resets_the_check_and_is_audited(world, signed_in):
    document_check(document=world.document, by=world.staff, decision="rejected", reason="Blurred")

    signed_in(world.student).post(
        reverse("exchanges:document_upload", args=[world.cycle.pk, "immunisation_record"]),
        {"file": SimpleUploadedFile("new.pdf", PDF, "application/pdf")},
    )

    new = world.student_list.documents.get(kind=DocumentKind.IMMUNISATION)
    assert new.pk != world.document.pk
    assert (new.check_status, new.rejection_reason, new.checked_by) == ("pending", "", None)
    (entry,) = AuditEntry.objects.filter(action="student_document.replaced")
    assert entry.actor == world.student
    assert entry.object_id == str(new.pk)
    assert (entry.before["check_status"], entry.before["rejection_reason"]) == (
        "rejected",
        "Blurred",
    )
    assert entry.after == {
        "kind": "immunisation_record",
        "original_name": "new.pdf",
        "sha256": new.sha256,
        "check_status": "pending",
    }


def test_a_first_upload_is_not_a_replacement(world, signed_in):
    rotation = CycleRotationFactory(cycle=world.cycle)
    mine = ranked(RankListFactory(cycle=world.cycle), [rotation], submitted=False)

    signed_in(mine.student).post(
        reverse("exchanges:document_upload", args=[world.cycle.pk, "immunisation_record"]),
        {"file": SimpleUploadedFile("first.pdf", PDF, "application/pdf")},
    )

    assert mine.documents.get().check_status == DocumentCheck.PENDING
    assert not AuditEntry.objects.filter(action="student_document.replaced").exists()


# The dossier: a form per document, who checked, and the reason a rotation is left out.


def test_the_dossier_has_a_form_per_document_and_says_who_checked(world, signed_in):
    world.staff.full_name = "Samira Okafor"
    world.staff.save()
    insurance = world.student_list.documents.get(kind=DocumentKind.INSURANCE)
    document_check(
        document=insurance, by=world.staff, decision="accepted", expires_on=date(2099, 1, 31)
    )

    text = signed_in(world.coordinator_a).get(_dossier(world)).content.decode()

    for document in world.student_list.documents.all():
        assert f'action="{_check_url(world, document)}"' in text
        assert f'id="document-{document.pk}"' in text
    assert f'name="expires_on" id="expires-{insurance.pk}" value="2099-01-31"' in text
    assert "Checked by <bdi>Samira Okafor</bdi>" in text
    assert "valid until 31 January 2099" in text


def test_the_dossier_says_why_the_rotation_is_left_out(world, signed_in):
    world.north.end_date = date(2027, 4, 30)
    world.north.start_date = date(2027, 4, 1)
    world.north.save()
    StudentDocument.objects.filter(pk=world.document.pk).update(
        check_status=DocumentCheck.ACCEPTED, expires_on=date(2027, 3, 3)
    )

    text = signed_in(world.coordinator_a).get(_dossier(world)).content.decode()

    assert (
        "Immunisation record expires 3 March 2027, before this rotation ends on 30 April 2027."
        in text
    )
    assert "The match will not place this student here." in text


def test_the_dossier_queries_do_not_grow_with_checked_documents(world, signed_in, count_queries):
    client = signed_in(world.coordinator_a)
    document_check(
        document=world.document, by=world.coordinator_a, decision="accepted", expires_on=LATER
    )
    one = count_queries(client, _dossier(world))
    insurance = world.student_list.documents.get(kind=DocumentKind.INSURANCE)
    document_check(document=insurance, by=world.staff, decision="rejected", reason="Expired")
    world.north.required_documents = [*world.north.required_documents, DocumentKind.CV.value]
    world.north.save()
    cv = StudentDocumentFactory(rank_list=world.student_list, kind=DocumentKind.CV)
    document_check(document=cv, by=UserFactory(), decision="rejected", reason="Old")

    assert count_queries(client, _dossier(world)) == one


def test_a_check_records_the_time_given(world):
    now = timezone.now() - timedelta(days=3)

    checked = document_check(
        document=world.document, by=world.staff, decision="rejected", reason="Old", now=now
    )

    assert checked.checked_at == now


def test_a_colleague_at_the_same_school_sees_the_check(world, signed_in):
    """A second coordinator of the same school checks too; one check is shared by both."""
    colleague = CoordinatorFactory(institution=world.north.institution).user
    document_check(
        document=world.document, by=world.coordinator_a, decision="accepted", expires_on=LATER
    )

    text = signed_in(colleague).get(_dossier(world)).content.decode()

    assert '<span class="status status-ok">Accepted</span>' in text
