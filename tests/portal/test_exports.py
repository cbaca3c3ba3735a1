"""The CSV formula guard: whatever a spreadsheet would run as a formula stays text."""

import csv
import io
from decimal import Decimal

import pytest

from portal.exports import spreadsheet_cell


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",  # a tab, then a formula
        "\r=1+1",
        "\n=1+1",
        "\t",
        "\rplain",  # OWASP: a leading tab or carriage return on its own
        " =1+1",  # spreadsheets trim leading spaces
        "   @SUM(A1)",
        "\u00a0=1+1",  # a no-break space
        "\u3000=1+1",  # an ideographic space
        "\x0b=1+1",  # other control characters
        "\ufeff=1+1",  # a byte-order mark
        "\u200b=1+1",  # a zero-width space
        "\uff1d1+1",  # the full-width forms
        "\uff0b1+1",
        "\uff0d1+1",
        "\uff20SUM(A1)",
        " \uff1d1+1",
        "\ufe661+1",  # the small forms
        "\ufe621",
        "\ufe631+1",
        "\ufe6bSUM(A1)",
        "\u22121+1",  # the minus sign
        "|calc!A0",  # DDE
        "%0A=1+1",
        "-",
        "+",
        "- 3",
        "-3+cmd",
        "=",
    ],
)
def test_what_a_spreadsheet_would_read_as_a_formula_stays_text(value):
    assert spreadsheet_cell(value) == f"'{value}"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Université de Bamako", "Université de Bamako"),
        ("amina@example.org", "amina@example.org"),  # @ inside is no formula
        ("Dr. Kwame Mensah-Owusu", "Dr. Kwame Mensah-Owusu"),
        (" Leading space", " Leading space"),
        ("", ""),
        (None, ""),
        ("جامعة القاهرة", "جامعة القاهرة"),
        # Plain numbers are numbers, not formulas: they stay as they are.
        ("-3", "-3"),
        ("+4", "+4"),
        ("-0.5", "-0.5"),
        ("1e3", "1e3"),
        (-3, -3),
        (Decimal("-12.50"), Decimal("-12.50")),
        (2.5, 2.5),
    ],
)
def test_text_and_numbers_stay_as_they_are(value, shown):
    assert spreadsheet_cell(value) == shown


def test_a_guarded_row_reads_back_as_text_through_csv():
    buffer = io.StringIO()
    values = ('\uff1dHYPERLINK("x")', "\n@A1", -3)
    csv.writer(buffer).writerow([spreadsheet_cell(v) for v in values])

    (row,) = csv.reader(io.StringIO(buffer.getvalue()))

    assert row == ['\'\uff1dHYPERLINK("x")', "'\n@A1", "-3"]
