import io
import unicodedata

from pypdf import PdfReader

from portal.pdf import render_pdf


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
