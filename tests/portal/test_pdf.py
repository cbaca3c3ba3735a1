import io
import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from applications.pdf import application_pdf
from applications.services.letters import award_letter_pdf
from exchanges.models import Placement
from exchanges.services.placements import placement_letter_render
from portal.pdf import render_pdf
from tests.factories.accounts import UserFactory
from tests.factories.applications import CallFactory, DecisionFactory, candidate
from tests.factories.exchanges import match_published

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Arabic comes back as contextual presentation forms; NFKC folds them to base letters.
    return unicodedata.normalize("NFKC", text)


def test_render_pdf_returns_a_pdf_with_latin_and_arabic_text():
    pdf = render_pdf(
        "pdf/sample_letter.html",
        {"title": "Award letter", "lines": ["Dear Amina Diallo,", "مبروك على المنحة"]},
    )

    text = _text(pdf)

    assert pdf.startswith(b"%PDF-")
    assert "Award letter" in text
    assert "Dear Amina Diallo," in text
    words = {"مبروك", "على", "المنحة"}
    assert words <= set(text.split()) or {w[::-1] for w in words} <= set(text.split())


def test_render_pdf_embeds_one_font_family_for_both_scripts():
    pdf = render_pdf("pdf/sample_letter.html", {"title": "T", "lines": ["Latin", "عربي"]})

    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }

    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_render_pdf_in_arabic_sets_right_to_left(settings):
    pdf = render_pdf("pdf/sample_letter.html", {"title": "رسالة", "lines": []}, language="ar")

    assert "رسالة" in _text(pdf) or "ةلاسر" in _text(pdf)


# --- The three documents in the reader's language: Arabic right to left, French dates ----------

NASKH = "NotoNaskhArabic"


def _fonts(pdf: bytes) -> set[str]:
    """The embedded fonts' names, without the subset prefix and the hyphens."""
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1].replace("-", "")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }


def _in_arabic(msgid: str) -> str:
    with translation.override("ar"):
        text = gettext(msgid)
    assert ARABIC.search(text), f"{msgid!r} has no Arabic translation"
    return unicodedata.normalize("NFKC", text)


def _assert_arabic_document(pdf: bytes, *msgids: str) -> None:
    """The document says `msgids` in Arabic (read back in logical order, or reversed when a
    line comes back in visual order), set in Noto Naskh Arabic."""
    text = _text(pdf)
    for msgid in msgids:
        words = _in_arabic(msgid)
        assert words in text or words[::-1] in text, msgid
    assert NASKH in _fonts(pdf)


@pytest.fixture
def arabic_applicant():
    return UserFactory(full_name="Layla Haddad", preferred_language="ar")


@pytest.mark.django_db
def test_the_application_copy_in_arabic_is_set_in_noto_naskh(arabic_applicant):
    application = candidate(CallFactory(), "Layla Haddad", applicant=arabic_applicant)

    pdf = application_pdf(application)

    _assert_arabic_document(pdf, "Applicant", "Medical school", "Documents")


@pytest.mark.django_db
def test_the_award_letter_in_arabic_is_set_in_noto_naskh(arabic_applicant):
    decision = DecisionFactory(
        application=candidate(CallFactory(), "Layla Haddad", applicant=arabic_applicant),
        respond_by=date(2030, 8, 14),
    )

    pdf = award_letter_pdf(decision=decision, now=datetime(2030, 7, 31, tzinfo=UTC))

    _assert_arabic_document(pdf, "Award letter", "Amount", "Answer by")
    assert "أغسطس" in _text(pdf) or "سطسغأ" in _text(pdf)  # August, in Arabic
    assert "1,000.00" in _text(pdf)  # Latin digits, as in the dates


@pytest.mark.django_db
def test_the_placement_letter_in_arabic_is_set_in_noto_naskh(media):
    _cycle, _rotation, (rank_list,) = match_published(students=1)
    rank_list.student.preferred_language = "ar"
    rank_list.student.save()

    placement = placement_letter_render(placement_id=Placement.objects.get().pk)
    with default_storage.open(placement.letter_key, "rb") as handle:
        pdf = handle.read()

    _assert_arabic_document(pdf, "Placement letter", "Host school", "Dates")


@pytest.mark.django_db
def test_the_french_award_letter_writes_its_dates_and_amount_in_french():
    applicant = UserFactory(full_name="Awa Ndiaye", preferred_language="fr")
    decision = DecisionFactory(
        application=candidate(CallFactory(), "Awa Ndiaye", applicant=applicant),
        amount=Decimal("2500"),
        respond_by=date(2030, 8, 14),
    )

    text = _text(award_letter_pdf(decision=decision, now=datetime(2030, 7, 31, tzinfo=UTC)))

    assert "14 août 2030" in text
    assert "31 juillet 2030" in text
    assert re.search(r"2\s500,00\sUSD", text)
    assert _fonts(award_letter_pdf(decision=decision)) <= {"DejaVuSans", "DejaVuSansBold"}
