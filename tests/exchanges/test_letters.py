"""Visa support letters and certificates of completion: the rules of the services, and the PDFs
in the student's language and English (the pages are in test_letters_views.py)."""

import io
import unicodedata
from datetime import UTC, date, datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from exchanges.models import Completion, Placement, TravelDetails
from exchanges.models.institutions import CoordinatorConflict
from exchanges.services.completion import completion_certificate_pdf, completion_record
from exchanges.services.letters import (
    travel_details_save,
    visa_letter_pdf,
)
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.exchanges import CoordinatorFactory, placement_for

pytestmark = pytest.mark.django_db

START, END = date(2031, 3, 3), date(2031, 3, 30)
DURING = datetime(2031, 3, 20, 9, tzinfo=UTC)
AFTER = datetime(2031, 4, 2, 9, tzinfo=UTC)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def _fonts(pdf: bytes) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1].replace("-", "")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }


def _in_arabic(msgid: str) -> str:
    with translation.override("ar"):
        return unicodedata.normalize("NFKC", gettext(msgid))


def _publish(world, *, confirm: bool = True) -> Placement:
    world.north.start_date, world.north.end_date = START, END
    world.north.save()
    return placement_for(world.student_list, confirm=confirm)


@pytest.fixture
def placement(world) -> Placement:
    """The student's confirmed placement at North (3 to 30 March 2031); they write in Arabic,
    under a name in Arabic letters and one in Latin letters."""
    world.student.full_name = "ليلى حداد"
    world.student.latin_name = "Layla Haddad"
    world.student.preferred_language = "ar"
    world.student.save()
    return _publish(world)


def _travel(placement, **changes):
    data = {
        "passport_number": "n 1234567",
        "nationality": "LB",
        "passport_expires_on": date(2033, 1, 1),
        **changes,
    }
    return travel_details_save(placement=placement, **data)


def _attended(placement, by, **changes):
    data = {
        "attended": True,
        "days_attended": 20,
        "clinical_skills": 4,
        "professionalism": 5,
        "communication": 3,
        "comment": "A careful and kind student.",
        "now": AFTER,
        **changes,
    }
    return completion_record(placement=placement, by=by, **data)


# --- Passport details ----------------------------------------------------------------------


def test_travel_details_are_saved_as_the_passport_prints_them(placement):
    details = _travel(placement)

    assert (details.passport_number, str(details.nationality)) == ("N1234567", "LB")


def test_travel_details_saved_again_change_the_one_row(placement):
    _travel(placement)
    _travel(placement, passport_number="P7654321")

    assert list(TravelDetails.objects.values_list("passport_number", flat=True)) == ["P7654321"]


@pytest.mark.parametrize("number", ["1234", "A" * 21, "AB-12345", "١٢٣٤٥٦٧"])
def test_a_passport_number_of_other_than_5_to_20_letters_and_digits_is_refused(placement, number):
    with pytest.raises(Refused, match="5 to 20 letters and digits") as refusal:
        _travel(placement, passport_number=number)

    assert (refusal.value.code, refusal.value.field) == (
        "passport_number_invalid",
        "passport_number",
    )


def test_a_passport_that_expires_by_the_rotations_last_day_is_refused(placement):
    with pytest.raises(Refused, match="still be valid after") as refusal:
        _travel(placement, passport_expires_on=END)

    assert refusal.value.code == "passport_expires_too_soon"
    assert not TravelDetails.objects.exists()


def test_travel_details_for_an_unconfirmed_placement_are_refused(world):
    offered = _publish(world, confirm=False)

    with pytest.raises(Refused, match="placement you have confirmed") as refusal:
        _travel(offered)

    assert refusal.value.code == "placement_not_confirmed"


# --- The visa letter -----------------------------------------------------------------------


def test_the_visa_letter_names_the_student_passport_dates_school_and_signatory(world, placement):
    world.coordinator_a.full_name = "Grace Nakato"
    world.coordinator_a.save()
    _travel(placement)

    text = _text(visa_letter_pdf(placement=placement, language="en"))

    assert "Visa support letter" in text
    assert "Layla Haddad" in text
    assert "N1234567" in text
    assert "Lebanon" in text
    assert "3 March 2031" in text and "30 March 2031" in text
    assert placement.rotation.institution.name in text
    assert "Kampala" in text and "Uganda" in text
    assert "Grace Nakato" in text


def test_the_visa_letter_falls_back_to_the_full_name(world, placement):
    world.student.latin_name = ""
    world.student.full_name = "Amina Diallo"
    world.student.save()
    _travel(placement)
    placement.rank_list.student.refresh_from_db()

    assert "Amina Diallo" in _text(visa_letter_pdf(placement=placement, language="en"))


def test_a_conflicted_coordinator_does_not_sign(world, placement):
    world.coordinator_a.full_name = "Grace Nakato"
    world.coordinator_a.save()
    CoordinatorConflict.objects.create(
        coordinator=world.coordinator_a,
        institution=placement.rotation.institution,
        student=world.student,
    )
    colleague = CoordinatorFactory(
        institution=placement.rotation.institution, user__full_name="Peter Okello"
    ).user
    _travel(placement)

    text = _text(visa_letter_pdf(placement=placement, language="en"))

    assert colleague.full_name in text
    assert "Grace Nakato" not in text


def test_the_visa_letter_in_arabic_is_set_in_noto_naskh(placement):
    _travel(placement)

    pdf = visa_letter_pdf(placement=placement, language="ar")

    text = _text(pdf)
    assert "NotoNaskhArabic" in _fonts(pdf)
    assert "N1234567" in text and "Layla Haddad" in text
    for msgid in ("Host school", "Dates", "Student"):
        words = _in_arabic(msgid)
        assert words in text or words[::-1] in text, msgid


def test_the_visa_letter_without_travel_details_is_refused(placement):
    with pytest.raises(Refused, match="passport details first") as refusal:
        visa_letter_pdf(placement=placement, language="en")

    assert refusal.value.code == "travel_details_missing"


def test_the_visa_letter_of_an_unconfirmed_placement_is_refused(world):
    offered = _publish(world, confirm=False)
    TravelDetails.objects.create(
        rank_list=offered.rank_list,
        passport_number="N1234567",
        nationality="LB",
        passport_expires_on=date(2033, 1, 1),
    )

    with pytest.raises(Refused, match="placement you have confirmed") as refusal:
        visa_letter_pdf(placement=offered, language="en")

    assert refusal.value.code == "placement_not_confirmed"


# --- Recording attendance ------------------------------------------------------------------


def test_attendance_is_recorded_with_its_evaluation_and_audited(world, placement):
    completion = _attended(placement, world.coordinator_a)

    assert (completion.attended, completion.days_attended, completion.communication) == (
        True,
        20,
        3,
    )
    assert completion.recorded_by == world.coordinator_a
    entry = AuditEntry.objects.get(action="completion.recorded")
    assert (entry.actor, entry.after["days_attended"]) == (world.coordinator_a, 20)


def test_attendance_before_the_rotations_first_day_is_refused(world, placement):
    the_day_before = datetime(2031, 3, 2, 12, tzinfo=UTC)  # 15:00 in Nairobi, still 2 March

    with pytest.raises(Refused, match="from the rotation's first day") as refusal:
        _attended(placement, world.coordinator_a, now=the_day_before)

    assert refusal.value.code == "rotation_not_started"
    assert _attended(placement, world.coordinator_a, now=DURING).days_attended == 20


def test_attendance_for_an_unconfirmed_placement_is_refused(world):
    offered = _publish(world, confirm=False)

    with pytest.raises(Refused, match="the student confirmed") as refusal:
        _attended(offered, world.coordinator_a)

    assert refusal.value.code == "placement_not_confirmed"


def test_attendance_recorded_twice_changes_the_one_record(world, placement):
    _attended(placement, world.coordinator_a)
    _attended(placement, world.staff, days_attended=18)

    completion = Completion.objects.get()
    assert (completion.days_attended, completion.recorded_by) == (18, world.staff)
    changed = AuditEntry.objects.get(action="completion.changed")
    assert changed.before == {"days_attended": 20, "recorded_by": world.coordinator_a.pk}
    assert changed.after == {"days_attended": 18, "recorded_by": world.staff.pk}


def test_the_same_attendance_twice_is_harmless(world, placement):
    _attended(placement, world.coordinator_a)
    _attended(placement, world.coordinator_a)

    assert Completion.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="completion.").count() == 1


@pytest.mark.parametrize(("days", "message"), [(0, "from 1 to 28"), (29, "from 1 to 28")])
def test_days_attended_beyond_the_rotation_are_refused(world, placement, days, message):
    with pytest.raises(Refused, match=message) as refusal:
        _attended(placement, world.coordinator_a, days_attended=days)

    assert refusal.value.field == "days_attended"


def test_an_absence_keeps_no_days_nor_ratings(world, placement):
    completion = _attended(placement, world.coordinator_a, attended=False)

    assert (completion.days_attended, completion.clinical_skills) == (0, None)


# --- The certificate -----------------------------------------------------------------------


def test_no_certificate_before_attendance_is_recorded(placement):
    with pytest.raises(Refused, match="recorded your attendance") as refusal:
        completion_certificate_pdf(placement=placement, language="en")

    assert refusal.value.code == "attendance_not_recorded"


def test_no_certificate_for_a_student_who_did_not_attend(world, placement):
    _attended(placement, world.coordinator_a, attended=False)

    with pytest.raises(Refused, match="recorded your attendance"):
        completion_certificate_pdf(placement=placement, language="en")


def test_the_certificate_names_the_student_rotation_and_days(world, placement):
    _attended(placement, world.coordinator_a)

    text = _text(completion_certificate_pdf(placement=placement, language="en"))

    assert "Certificate of completion" in text
    assert "Layla Haddad" in text
    assert "attending 20 days" in text
    assert "North rotation" in text


def test_the_certificate_in_arabic_is_set_in_noto_naskh(world, placement):
    _attended(placement, world.coordinator_a)

    pdf = completion_certificate_pdf(placement=placement, language="ar")

    assert "NotoNaskhArabic" in _fonts(pdf)
    assert "Layla Haddad" in _text(pdf)


# --- Data rights ---------------------------------------------------------------------------
