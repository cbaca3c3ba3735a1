"""CSV exports that a spreadsheet opens safely, in a form machines read: ISO 8601 dates (moments
in UTC) and plain numbers, never the reader's language (that is for pages, emails and PDFs:
`portal/templatetags/formatting.py`)."""

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

# What a spreadsheet reads as the start of a formula (OWASP "CSV Injection": = + - @, a tab or
# a carriage return; LibreOffice and Excel also accept | for DDE and % in some locales).
_FORMULA_STARTS = frozenset("=+-@|%")
# A plain number, as the spreadsheet would read it: "-3", "+4.5", "1e3". It is no formula.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _leading(text: str) -> str:
    """The first character a spreadsheet sees: it skips spaces and control characters (tab,
    CR, LF and the rest), and reads the full-width and small forms of = + - @ (U+FF1D, U+FE66…)
    as the plain ones, as NFKC folds them; the minus sign U+2212 as a hyphen."""
    for char in text:
        if char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs"}:
            continue
        folded = unicodedata.normalize("NFKC", char)[:1]
        return "-" if folded == "\N{MINUS SIGN}" else folded
    return ""


def spreadsheet_cell(value) -> str | int | float | Decimal:
    """A value as a spreadsheet should show it: text that it would read as a formula gets a
    leading apostrophe, so it stays text. Numbers (and text that is a plain number, such as
    "-3") are left as they are, so they stay numbers; dates and moments become ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):  # ISO 8601, a moment in UTC
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _NUMBER.fullmatch(text):
        return text
    if text[:1] in {"\t", "\r", "\n"} or _leading(text) in _FORMULA_STARTS:
        return f"'{text}"
    return text


class _Echo:
    """A file that hands back what is written to it, so `csv.writer` makes lines to stream."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Iterable, rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """A CSV download, streamed: the header leaves at once and `rows` (a generator, a
    queryset's iterator) are read one by one, so a large export never sits in memory. Every
    cell goes through `spreadsheet_cell` (harmless on one already guarded); never cached."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow([spreadsheet_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([spreadsheet_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
