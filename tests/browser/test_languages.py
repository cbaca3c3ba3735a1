"""The portal in the reader's language, walked in headless Chromium: a student applies to a
scholarship call in Arabic, another applies for a clinical rotation in French. On every page no
interface message is left in English and people are named by their names.

Screenshots of the pages and of the letters go to test-results/screenshots/ (ar-*, fr-*)."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.enums import QuestionKind
from applications.models import Application
from exchanges import services
from exchanges.models import RankList
from tests.factories.applications import CallFactory, DocumentKindFactory, QuestionFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    endorsed_by,
    move_to,
    school_ranks,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NAME_AR, LATIN_AR, EMAIL_AR = "ليلى حداد", "Layla Haddad", "layla@example.org"


def t(language: str, message: str) -> str:
    """An interface message as the reader sees it in `language`."""
    with translation.override(language):
        return translation.gettext(message)


def pdf_text(data: bytes) -> str:
    """A PDF's text; Arabic comes back as presentation forms, which NFKC folds to letters."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


def says(text: str, words: str) -> bool:
    """`words` in `text`, in logical order or (a line read back in visual order) reversed."""
    return words in text or words[::-1] in text


@pytest.fixture
def arabic_call(transactional_db):
    call = CallFactory(
        title="Rural Medicine Scholarship 2027",
        title_ar="منحة الطب الريفي 2027",
        summary="For students who will practise in rural areas.",
        summary_ar="للطلاب الذين سيعملون في المناطق الريفية.",
        referees_required=0,
    )
    QuestionFactory(
        call=call,
        section="Your plans",
        section_ar="خططك",
        label="Why rural medicine?",
        label_ar="لماذا الطب الريفي؟",
        kind=QuestionKind.LONG_TEXT,
        word_limit=50,
    )
    DocumentKindFactory(call=call, name="Transcript", name_ar="كشف الدرجات")
    return call


def test_a_student_applies_in_arabic(
    page,
    live_server,
    sign_up,
    mailoutbox,
    english_left,
    screenshot,
    pdf_screenshot,
    arabic_call,
):
    base = f"{live_server.url}/ar"
    seen = []

    def check(name: str) -> None:
        """The page speaks Arabic, right to left, and never shows the address as a name."""
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        assert english_left(page, "ar") == [], name
        screenshot(page, f"ar-{name}")
        seen.append(name)

    # Sign up with an Arabic name (and the passport's Latin spelling); the confirmation email
    # is in Arabic.
    sign_up(page, EMAIL_AR, name=NAME_AR, language="ar", latin_name=LATIN_AR)
    confirmation = mailoutbox[0]
    assert re.search(r"[\u0600-\u06ff]", confirmation.subject), confirmation.subject
    check("1-dashboard")

    # The call, its questions and its document kinds as staff entered them in Arabic.
    page.goto(f"{base}/applications/")
    page.get_by_role("link", name=t("ar", "Apply")).first.click()
    expect(page.locator("h1")).to_contain_text("منحة الطب الريفي 2027")
    check("2-call")
    page.get_by_role("button", name=t("ar", "Start my application")).click()
    page.get_by_label(t("ar", "Country of study")).select_option("EG")
    page.get_by_label(t("ar", "Medical school")).fill("جامعة أسيوط")
    page.get_by_label(t("ar", "Year of study")).select_option("4")
    check("3-about")
    page.get_by_role("button", name=t("ar", "Save and continue")).click()
    expect(page.get_by_text("لماذا الطب الريفي؟")).to_be_visible()
    page.get_by_label(re.compile("لماذا الطب الريفي؟")).fill("أريد أن أخدم قريتي في صعيد مصر.")
    check("4-question")
    page.get_by_role("button", name=t("ar", "Save and continue")).click()

    # A document, straight to storage.
    expect(page.get_by_text("كشف الدرجات").first).to_be_visible()
    page.get_by_label(t("ar", "Choose a file")).set_input_files(
        {"name": "transcript.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=t("ar", "Upload")).click()
    expect(page.get_by_role("link", name="transcript.pdf")).to_be_visible()
    check("5-documents")

    # Submit; the confirmation email is in Arabic, greets her by name, never by address.
    page.get_by_role("link", name=t("ar", "Review and submit")).click()
    check("6-review")
    page.locator("#id_declaration").check()
    page.get_by_role("button", name=t("ar", "Submit my application")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("ar", "Your application is submitted. We have emailed you a confirmation.")
    )
    check("7-submitted")
    submitted = mailoutbox[-1]
    assert submitted.to == [EMAIL_AR]
    assert re.search(r"[\u0600-\u06ff]", submitted.subject), submitted.subject
    assert NAME_AR in submitted.body
    assert EMAIL_AR not in submitted.body

    # The copy of the application: Arabic, right to left, her name and her answer.
    with page.expect_download() as download:
        page.get_by_role("link", name=t("ar", "Download your application (PDF)")).first.click()
    data = Path(download.value.path()).read_bytes()
    text = pdf_text(data)
    assert says(text, "حداد"), text[:300]
    assert says(text, "الطب الريفي")
    assert LATIN_AR in text
    pdf_screenshot(data, "ar-8-application-pdf")

    application = Application.objects.get()
    assert application.state == "submitted"
    assert application.language == "ar"
    assert len(seen) == 7


NAME_FR, EMAIL_FR = "Aminata Traoré", "aminata@example.org"


@pytest.fixture
def french_rotation(transactional_db):
    cycle = CycleFactory(name="Échanges cliniques 2027")
    move_to(cycle, "students_ranking")
    rotation = CycleRotationFactory(
        cycle=cycle,
        title="Emergency medicine clerkship, Dakar",
        title_fr="Stage clinique en médecine d'urgence, Dakar",
        requirements="Basic life support certificate.",
        requirements_fr="Attestation de formation aux gestes de premiers secours.",
        capacity=1,
    )
    CoordinatorFactory(institution=rotation.institution, user__full_name="Ousmane Sy")
    return rotation


def test_a_student_applies_for_a_rotation_in_french(
    page,
    live_server,
    sign_up,
    mailoutbox,
    english_left,
    screenshot,
    pdf_screenshot,
    french_rotation,
):
    base = f"{live_server.url}/fr"
    rotation = french_rotation

    def check(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        assert english_left(page, "fr") == [], name
        assert EMAIL_FR not in page.locator("main").inner_text(), name
        screenshot(page, f"fr-{name}")

    sign_up(page, EMAIL_FR, name=NAME_FR, language="fr")
    assert "Confirmez votre adresse" in mailoutbox[0].subject

    # The rotation as its school described it in French; onto the rank list.
    page.goto(f"{base}/exchanges/rotations/{rotation.pk}/")
    expect(page.locator("h1")).to_contain_text("Stage clinique en médecine d'urgence, Dakar")
    expect(page.get_by_text("Attestation de formation aux gestes")).to_be_visible()
    check("1-rotation")
    page.get_by_role("button", name=t("fr", "Add to my rank list")).click()
    expect(page.locator("ol.ranking > li")).to_have_count(1)

    # Details and documents, then the list is submitted.
    page.get_by_label(t("fr", "Your medical school")).fill("Université de Bamako")
    page.get_by_label(t("fr", "Year of study")).fill("5")
    page.get_by_label(t("fr", "French"), exact=True).check()  # language names in French too
    page.get_by_role("button", name=t("fr", "Save my details")).click()
    expect(page.get_by_role("status")).to_contain_text(t("fr", "Your details are saved."))
    for kind, name in [
        ("immunisation_record", "vaccins.pdf"),
        ("proof_of_insurance", "assurance.pdf"),
    ]:
        form = page.locator(f"form[action$='/documents/{kind}/']")
        form.locator("input[type='file']").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        )
        with page.expect_response(lambda response: response.url.endswith("/verify/")) as done:
            form.get_by_role("button", name=t("fr", "Upload")).click()
        assert done.value.ok
        expect(page.get_by_role("link", name=name)).to_be_visible()
    check("2-rank-list")
    page.get_by_role("button", name=t("fr", "Submit my rank list")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("fr", "Your list is submitted. You can still change it until the deadline.")
    )
    check("3-submitted")

    # The school ranks her, the match is run and published (their own pages are tested in
    # test_exchanges.py); the placement email is in French and names her.
    rank_list = RankList.objects.get(student__email=EMAIL_FR)
    endorsed_by(rank_list)  # her home school's endorsement (its pages: test_exchanges.py)
    move_to(rotation.cycle, "schools_ranking")
    school_ranks(rotation, [rank_list])
    move_to(rotation.cycle, "matching")
    services.match_publish(run=services.match_run(cycle=rotation.cycle, by=None))
    offered = [m for m in mailoutbox if m.to == [EMAIL_FR]][-1]
    assert NAME_FR in offered.body
    with translation.override("fr"):
        assert rotation.title in offered.body  # the French title (the reader's language)

    # The placement and its letter, in French.
    page.goto(f"{base}/exchanges/")
    page.get_by_role("link", name=t("fr", "See my placement")).click()
    expect(page.locator("#placement-heading")).to_have_text(
        "Stage clinique en médecine d'urgence, Dakar"
    )
    check("4-placement")
    with page.expect_download() as download:
        page.get_by_role("link", name=t("fr", "Download the placement letter (PDF)")).click()
    data = Path(download.value.path()).read_bytes()
    text = pdf_text(data)
    assert NAME_FR in text
    assert "médecine d'urgence" in text
    pdf_screenshot(data, "fr-5-placement-letter")
    page.get_by_role("button", name=t("fr", "Confirm my placement")).click()
    expect(page.get_by_role("status")).to_contain_text("Vous avez confirmé votre affectation.")
    check("6-confirmed")
    page.wait_for_load_state("networkidle")
