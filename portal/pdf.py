"""PDF documents (award letters, placement letters, application copies) from templates."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_fonts = FontConfiguration()


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render a Django template to PDF bytes with WeasyPrint.

    Templates extend `pdf/base.html`: `<html lang dir>` follow `language` (Arabic right to
    left), Latin text is set in DejaVu Sans and Arabic in Noto Naskh Arabic, and dates and
    amounts take the language's formats (`{% load formatting %}`). Static files are resolved
    from disk, never over HTTP.
    """
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(
            template_name,
            {
                "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
                "site_name": settings.SITE_NAME,
                **context,
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_fonts)
