"""One audit log: every view or download of a confidential document and every staff change in
the administration, read, filtered and exported by programme staff only."""

import csv
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from applications.models import Assignment
from applications.services.applications import application_start, application_submit
from applications.services.committee import reviewers_assign
from applications.services.letters import award_letters_generate
from exchanges.models import Institution, Rotation
from exchanges.services.placements import placement_letter_render
from portal.audit import audit_record
from portal.exports import spreadsheet_cell
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    PDF,
    CommitteeMembershipFactory,
    complete,
    full_call,
    published,
)
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    match_published,
    ranked,
    school_ranks,
    with_documents,
)

pytestmark = pytest.mark.django_db

LOG = "/dashboard/staff/audit/"
EXPORT = "/dashboard/staff/audit/export.csv"


def only_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def about(entry: AuditEntry) -> tuple[str, str]:
    return entry.object_type, entry.object_id


def key(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


# --- Confidential documents: one entry per view or download ------------------------------------


@pytest.fixture
def submitted(media):
    """A submitted application with a document and a referee's letter, and the one reviewer
    it is assigned to."""
    call = full_call(reviewers_per_application=1)
    reviewer = CommitteeMembershipFactory(call=call, user__totp=True)
    chair = CommitteeMembershipFactory(call=call, is_chair=True, user__totp=True)
    applicant = UserFactory(full_name="Amina Diallo")
    application, _first = application_submit(
        application=complete(application_start(call=call, applicant=applicant))
    )
    reviewers_assign(call=call, actor=chair.user)
    assert Assignment.objects.filter(membership=reviewer, application=application).exists()
    return application, reviewer.user


def test_an_applicant_downloading_their_document_is_recorded(submitted, signed_in):
    application, _reviewer = submitted
    document = application.documents.get()
    student = signed_in(application.applicant)

    response = student.get(f"/applications/{application.pk}/documents/file/{document.pk}/")

    assert response.status_code == 302
    entry = only_entry("document.downloaded")
    assert entry.actor == application.applicant
    assert about(entry) == key(document)
    assert entry.at is not None


def test_a_reviewer_downloading_a_document_and_a_letter_is_recorded(submitted, signed_in):
    application, reviewer = submitted
    document = application.documents.get()
    letter = application.referees.get()
    client = signed_in(reviewer)

    assert client.get(f"/applications/{application.pk}/committee/documents/{document.pk}/")[
        "Location"
    ]
    assert client.get(f"/applications/{application.pk}/committee/letters/{letter.pk}/")["Location"]

    downloaded, letter_entry = only_entry("document.downloaded"), only_entry("letter.downloaded")
    assert (downloaded.actor, letter_entry.actor) == (reviewer, reviewer)
    assert about(downloaded) == key(document)
    assert about(letter_entry) == key(letter)


def test_the_application_pdf_is_recorded_for_who_downloaded_it(submitted, signed_in):
    application, _reviewer = submitted
    staff = StaffFactory(totp=True)

    response = signed_in(staff).get(f"/applications/{application.pk}/application.pdf")

    assert response.status_code == 200
    entry = only_entry("application_pdf.downloaded")
    assert entry.actor == staff
    assert about(entry) == key(application)


def test_a_refused_download_writes_nothing(submitted, signed_in):
    application, _reviewer = submitted
    document = application.documents.get()
    outsider = signed_in(UserFactory())

    assert (
        outsider.get(f"/applications/{application.pk}/documents/file/{document.pk}/").status_code
        == 404
    )
    assert outsider.get(f"/applications/{application.pk}/application.pdf").status_code == 404
    assert not AuditEntry.objects.filter(scope="access").exists()


def test_an_award_letter_download_is_recorded(media, signed_in):
    application = published(full_call(), "Awa Ndiaye")
    assert award_letters_generate(decision_ids=[application.decision.pk]) == 1
    application.decision.refresh_from_db()

    response = signed_in(application.applicant).get(
        f"/applications/{application.pk}/decision/award-letter.pdf"
    )

    assert response.status_code == 302
    entry = only_entry("award_letter.downloaded")
    assert entry.actor == application.applicant
    assert about(entry) == key(application.decision)


@pytest.fixture
def exchange(media):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    coordinator = CoordinatorFactory(institution=rotation.institution, user__totp=True).user
    rank_list = with_documents(ranked(RankListFactory(cycle=cycle), [rotation]))
    school_ranks(rotation, [rank_list])
    return rotation, coordinator, rank_list


def test_a_medical_record_download_is_recorded(exchange, signed_in):
    _rotation, coordinator, rank_list = exchange
    record = rank_list.documents.get(kind="immunisation_record")
    default_storage.save(record.key, ContentFile(PDF))
    record.sha256 = hashlib.sha256(PDF).hexdigest()
    record.save()

    response = signed_in(coordinator).get(reverse("exchanges:document_download", args=[record.pk]))

    assert response.status_code == 302
    entry = only_entry("document.downloaded")
    assert entry.actor == coordinator
    assert about(entry) == key(record)


def test_a_dossier_view_is_recorded(exchange, signed_in):
    rotation, coordinator, rank_list = exchange

    response = signed_in(coordinator).get(
        reverse("exchanges:dossier", args=[rotation.pk, rank_list.pk])
    )

    assert response.status_code == 200
    entry = only_entry("dossier.viewed")
    assert entry.actor == coordinator
    assert about(entry) == key(rank_list)


def test_a_placement_letter_download_is_recorded(media, signed_in):
    _cycle, _rotation, lists = match_published()
    placement = placement_letter_render(placement_id=lists[0].placement.pk)
    staff = StaffFactory(totp=True)

    response = signed_in(staff).get(reverse("exchanges:placement_letter", args=[placement.pk]))

    assert response.status_code == 302
    entry = only_entry("placement_letter.downloaded")
    assert entry.actor == staff
    assert about(entry) == key(placement)


# --- Staff changes in the administration -------------------------------------------------------


def test_creating_editing_and_deleting_a_snippet_is_recorded_with_before_and_after(signed_in):
    staff = StaffFactory(totp=True)
    admin = signed_in(staff)
    fields = {"name": "Aga Khan University", "city": "Nairobi", "country": "KE", "website": ""}

    created = admin.post("/admin/snippets/exchanges/institution/add/", fields)
    institution = Institution.objects.get()
    edited = admin.post(
        f"/admin/snippets/exchanges/institution/edit/{institution.pk}/",
        {**fields, "city": "Mombasa"},
    )
    deleted = admin.post(f"/admin/snippets/exchanges/institution/delete/{institution.pk}/")

    assert [created.status_code, edited.status_code, deleted.status_code] == [302, 302, 302]
    assert not Institution.objects.exists()
    entries = list(AuditEntry.objects.filter(scope="admin").order_by("pk"))
    assert [(e.action, e.actor, e.object_type, e.object_id) for e in entries] == [
        (f"institution.{verb}", staff, "exchanges.institution", str(institution.pk))
        for verb in ("created", "edited", "deleted")
    ]
    creation, edit, deletion = entries
    assert creation.before is None and creation.after["city"] == "Nairobi"
    assert (edit.before, edit.after) == ({"city": "Nairobi"}, {"city": "Mombasa"})
    assert deletion.before["city"] == "Mombasa" and deletion.after is None


def test_deleting_a_snippet_that_kept_records_refer_to_is_refused_with_the_reason(signed_in):
    admin = signed_in(StaffFactory(totp=True))
    _cycle, rotation, _lists = match_published()
    url = f"/admin/snippets/exchanges/rotation/delete/{rotation.pk}/"

    shown = admin.get(url, follow=True)
    posted = admin.post(url, follow=True)
    bulk = admin.post(f"/admin/bulk/exchanges/rotation/delete/?id={rotation.pk}", follow=True)

    assert [shown.status_code, posted.status_code, bulk.status_code] == [200, 200, 200]
    for response in (shown, posted, bulk):
        assert "cannot be deleted: records that must be kept refer to it." in (
            response.content.decode()
        )
    assert Rotation.objects.filter(pk=rotation.pk).exists()
    assert not AuditEntry.objects.filter(action="rotation.deleted").exists()


# --- The staff page ----------------------------------------------------------------------------


def entry(actor, action="document.downloaded", *, object_type="applications.document", at=None):
    made = AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id="7",
        scope="access",
    )
    if at is not None:
        AuditEntry.objects.filter(pk=made.pk).update(at=at)
    return made


@pytest.fixture
def staff(signed_in):
    return signed_in(StaffFactory(totp=True))


def listed(response) -> list[int]:
    return [e.pk for e in response.context["page_obj"]]


def test_staff_read_the_log_newest_first_and_it_is_linked_from_their_dashboard(staff):
    reader = UserFactory(full_name="Nadia Reader")
    older = entry(reader, at=timezone.now() - timedelta(days=2))
    newer = entry(reader, "letter.downloaded")

    response = staff.get(LOG)

    assert listed(response) == [newer.pk, older.pk]
    html = response.content.decode()
    assert "Nadia Reader" in html and "letter.downloaded" in html
    assert f'href="{LOG}"' in staff.get("/dashboard/staff/").content.decode()


def test_the_log_pages_by_fifty(staff):
    reader = UserFactory()
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=reader, action="dossier.viewed", object_type="x.y", object_id=str(n))
        for n in range(51)
    )

    first, second = staff.get(LOG), staff.get(f"{LOG}?page=2")

    assert (len(listed(first)), len(listed(second))) == (50, 1)
    assert 'href="?page=2"' in first.content.decode()


def test_filters_by_person_action_object_type_and_dates(staff):
    nadia = UserFactory(full_name="Nadia Reader", email="nadia@example.org")
    omar = UserFactory(full_name="Omar Other", email="omar@school.example")
    now = timezone.now()
    old = entry(nadia, at=now - timedelta(days=10))
    letter = entry(nadia, "letter.downloaded", object_type="applications.refereerequest")
    dossier = entry(omar, "dossier.viewed", object_type="exchanges.ranklist")
    day = timedelta(days=1)

    assert listed(staff.get(f"{LOG}?actor=nadia")) == [letter.pk, old.pk]
    assert listed(staff.get(f"{LOG}?actor=school.example")) == [dossier.pk]
    assert listed(staff.get(f"{LOG}?action=letter.downloaded")) == [letter.pk]
    assert listed(staff.get(f"{LOG}?object_type=exchanges.ranklist")) == [dossier.pk]
    since = (now - day).date().isoformat()
    until = (now - 5 * day).date().isoformat()
    assert listed(staff.get(f"{LOG}?since={since}")) == [dossier.pk, letter.pk]
    assert listed(staff.get(f"{LOG}?until={until}")) == [old.pk]
    assert listed(staff.get(f"{LOG}?actor=nobody")) == []


def test_query_count_does_not_grow_with_entries(staff, count_queries):
    entry(UserFactory())
    one = count_queries(staff, LOG)
    for _n in range(2):
        entry(UserFactory())

    assert count_queries(staff, LOG) == one


def rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_keeps_the_filters_and_disarms_formulas(staff):
    sly = UserFactory(full_name="=HYPERLINK(1)", email="sly@example.org")
    kept = entry(sly, "letter.downloaded")
    entry(UserFactory(), "dossier.viewed")
    audit_record(
        actor=sly,
        action="letter.downloaded",
        obj=kept,
        scope="access",
        before=None,
        after={"note": "+1"},
    )

    response = staff.get(f"{EXPORT}?action=letter.downloaded")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *body = rows(response)
    assert header[:4] == ["when (UTC)", "person", "email", "action"]
    assert len(body) == 2
    assert {row[1] for row in body} == {spreadsheet_cell("=HYPERLINK(1)")} != {"=HYPERLINK(1)"}
    assert {row[3] for row in body} == {"letter.downloaded"}
    assert '{"note": "+1"}' in {row[8] for row in body}


@pytest.mark.parametrize("url", [LOG, EXPORT])
def test_only_programme_staff_see_the_log(url, signed_in, client):
    entry(UserFactory())
    superuser = UserFactory(is_superuser=True, is_staff=True, totp=True)
    student = UserFactory()

    assert signed_in(StaffFactory(totp=True)).get(url).status_code == 200
    assert signed_in(superuser).get(url).status_code == 404
    assert signed_in(student).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to sign in
