"""The letters pages: every role against every page, the student's passport form, the
school's record of attendance, and the downloads, each in the audit log."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Completion, Placement, TravelDetails
from exchanges.models.institutions import CoordinatorConflict
from portal.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.exchanges import CompletionFactory, TravelDetailsFactory, placement_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(world) -> Placement:
    """The student's confirmed placement at North, from 3 to 30 March 2031; they write in
    Arabic, so their letters come in Arabic and English."""
    world.student.latin_name = "Layla Haddad"
    world.student.preferred_language = "ar"
    world.student.save()
    world.north.start_date, world.north.end_date = date(2031, 3, 3), date(2031, 3, 30)
    world.north.save()
    return placement_for(world.student_list)


# --- Pages: every role ---------------------------------------------------------------------

ROLES = ["student", "other_student", "coordinator_a", "coordinator_b", "reviewer", "staff"]


def _pages(placement) -> dict[str, str]:
    return {
        "letters": reverse("exchanges:placement_letters", args=[placement.pk]),
        "visa_en": reverse("exchanges:visa_letter", args=[placement.pk, "en"]),
        "visa_ar": reverse("exchanges:visa_letter", args=[placement.pk, "ar"]),
        "certificate": reverse("exchanges:completion_certificate", args=[placement.pk, "en"]),
        "completion": reverse("exchanges:completion_edit", args=[placement.pk]),
    }


ALLOWED = {
    "letters": {"student"},
    "visa_en": {"student", "staff"},
    "visa_ar": {"student", "staff"},
    "certificate": {"student", "staff"},
    "completion": {"coordinator_a", "staff"},
}


@pytest.mark.parametrize("page", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_letter_pages_by_role(world, placement, role, page, signed_in):
    TravelDetailsFactory(rank_list=placement.rank_list)
    CompletionFactory(placement=placement, recorded_by=world.coordinator_a)

    response = signed_in(getattr(world, role)).get(_pages(placement)[page])

    assert response.status_code == (200 if role in ALLOWED[page] else 404)


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_letter_pages_send_strangers_to_sign_in(client, placement, page):
    response = client.get(_pages(placement)[page])

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_conflicted_coordinator_cannot_record_attendance(world, placement, signed_in):
    CoordinatorConflict.objects.create(
        coordinator=world.coordinator_a,
        institution=placement.rotation.institution,
        student=world.student,
    )

    response = signed_in(world.coordinator_a).get(_pages(placement)["completion"])

    assert response.status_code == 404


def test_a_letter_in_a_language_not_offered_is_404(world, placement, signed_in):
    TravelDetailsFactory(rank_list=placement.rank_list)

    response = signed_in(world.student).get(
        reverse("exchanges:visa_letter", args=[placement.pk, "fr"])
    )

    assert response.status_code == 404


# --- Pages: what they do -------------------------------------------------------------------


def test_the_student_saves_passport_details_from_the_letters_page(world, placement, signed_in):
    client = signed_in(world.student)
    url = _pages(placement)["letters"]

    response = client.post(
        url,
        {"passport_number": "n1234567", "nationality": "LB", "passport_expires_on": "2033-01-01"},
    )

    assert response.status_code == 302
    assert TravelDetails.objects.get().passport_number == "N1234567"
    page = client.get(url).content.decode()
    assert _pages(placement)["visa_en"] in page and _pages(placement)["visa_ar"] in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"passport_number": "ab!", "nationality": "LB", "passport_expires_on": "2033-01-01"},
            "5 to 20 letters and digits",
        ),
        (
            {
                "passport_number": "ab12345",
                "nationality": "LB",
                "passport_expires_on": "2031-03-30",
            },
            "still be valid after",
        ),
    ],
)
def test_passport_errors_keep_what_was_typed(world, placement, signed_in, data, error):
    response = signed_in(world.student).post(_pages(placement)["letters"], data)

    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert f'value="{data["passport_number"]}"' in html
    assert f'value="{data["passport_expires_on"]}"' in html
    assert not TravelDetails.objects.exists()


def test_the_visa_letter_download_is_a_pdf_and_audited(world, placement, signed_in):
    TravelDetailsFactory(rank_list=placement.rank_list)

    response = signed_in(world.student).get(_pages(placement)["visa_ar"])

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.get(action="visa_letter.downloaded")
    assert (entry.actor, entry.object_id, entry.after) == (
        world.student,
        str(placement.pk),
        {"language": "ar"},
    )


def test_the_visa_letter_without_details_goes_back_with_the_reason(world, placement, signed_in):
    client = signed_in(world.student)

    response = client.get(_pages(placement)["visa_en"], follow=True)

    assert "Give your passport details first" in response.content.decode()
    assert not AuditEntry.objects.filter(action="visa_letter.downloaded").exists()


def test_the_coordinator_records_attendance_from_the_placements_page(world, placement, signed_in):
    placement.rotation.start_date = timezone.localdate() - timedelta(days=30)
    placement.rotation.end_date = timezone.localdate() - timedelta(days=3)
    placement.rotation.save()
    client = signed_in(world.coordinator_a)
    listing = client.get(
        reverse("exchanges:institution_placements", args=[placement.rotation.institution_id])
    )
    data = {
        "attended": "yes",
        "days_attended": "25",
        "clinical_skills": "4",
        "professionalism": "5",
        "communication": "4",
        "comment": "Punctual.",
    }

    first = client.post(_pages(placement)["completion"], data)
    second = client.post(_pages(placement)["completion"], {**data, "days_attended": "24"})

    assert _pages(placement)["completion"] in listing.content.decode()
    assert (first.status_code, second.status_code) == (302, 302)
    assert Completion.objects.get().days_attended == 24
    page = signed_in(world.student).get(_pages(placement)["letters"]).content.decode()
    assert "Punctual." in page and _pages(placement)["certificate"] in page


def test_attendance_needs_days_and_ratings_and_keeps_what_was_typed(world, placement, signed_in):
    placement.rotation.start_date = timezone.localdate() - timedelta(days=1)
    placement.rotation.save()

    response = signed_in(world.coordinator_a).post(
        _pages(placement)["completion"], {"attended": "yes", "comment": "Kind to patients."}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Give the number of days attended." in html
    assert "Choose a rating from 1 to 5." in html
    assert "Kind to patients." in html
    assert not Completion.objects.exists()


def test_attendance_before_the_start_shows_why_and_no_form(world, placement, signed_in):
    client = signed_in(world.coordinator_a)

    page = client.get(_pages(placement)["completion"]).content.decode()
    refused = client.post(_pages(placement)["completion"], {"attended": "no"})

    assert "from the rotation&#x27;s first day" in page and 'name="days_attended"' not in page
    assert refused.status_code == 400
    assert not Completion.objects.exists()


def test_the_certificate_download_is_audited(world, placement, signed_in):
    CompletionFactory(placement=placement, recorded_by=world.coordinator_a)

    response = signed_in(world.student).get(_pages(placement)["certificate"])

    assert response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.get(action="completion_certificate.downloaded").actor == world.student


def test_a_superuser_outside_the_staff_group_is_refused(placement, signed_in):
    TravelDetailsFactory(rank_list=placement.rank_list)
    client = signed_in(UserFactory(is_superuser=True, is_staff=True))

    responses = [client.get(url) for url in _pages(placement).values()]

    assert [response.status_code for response in responses] == [404] * 5
