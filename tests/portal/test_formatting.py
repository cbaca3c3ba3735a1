"""Dates, times and money in the reader's language (portal/templatetags/formatting.py), the
same in pages (HTML) and emails (plain text)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from portal.exports import spreadsheet_cell
from portal.middleware import ReaderTimeZoneMiddleware
from portal.templatetags.formatting import money_text
from tests.factories.accounts import UserFactory

DEADLINE = datetime(2027, 1, 31, 14, 0, tzinfo=UTC)  # 17:00 in Nairobi


def _render(source: str, *, language: str = "en", html: bool = True, **context) -> str:
    with translation.override(language):
        template = Template("{% load formatting %}" + source)
        return template.render(Context(context, autoescape=html))


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "31 January 2027", "31 January 2027, 17:00"),
        ("fr", "31 janvier 2027", "31 janvier 2027 17:00"),
        ("es", "31 de enero de 2027", "31 de enero de 2027 a las 17:00"),
        ("ar", "31 يناير، 2027", "31 يناير، 2027، 17:00"),
    ],
)
def test_dates_take_the_languages_named_formats(language, day, moment):
    text = _render(
        '{{ day|local_date }}|{{ when|local_datetime:"Africa/Nairobi" }}',
        language=language,
        html=False,
        day=date(2027, 1, 31),
        when=DEADLINE,
    )

    assert text == f"{day}|{moment}"


def test_machines_read_iso_8601_beside_the_words():
    html = _render(
        '<time datetime="{{ day|iso }}">{{ day|short_date }}</time> {{ when|iso }}',
        day=date(2027, 3, 5),
        when=DEADLINE,
    )

    assert html == '<time datetime="2027-03-05">5 Mar 2027</time> 2027-01-31T14:00:00Z'


def test_short_forms_and_ranges():
    text = _render(
        "{{ start|month_day }} to {{ end|local_date }} · {{ when|short_datetime }}",
        language="fr",
        html=False,
        start=date(2027, 3, 1),
        end=date(2027, 3, 28),
        when=DEADLINE,
    )

    assert text == "1 mars to 28 mars 2027 · 31/01/2027 14:00"


def test_nothing_to_show_leaves_room_for_a_default():
    assert _render('{{ missing|local_date|default:"—" }}', missing=None) == "—"
    assert _render('{{ missing|money:"USD"|default:"—" }}', missing=None) == "—"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "USD\xa02,500.00"),
        ("fr", "2\u202f500,00\xa0USD"),
        ("es", "2.500,00\xa0USD"),
        ("ar", "\u200f2,500.00\xa0USD"),
    ],
)
def test_money_is_written_as_each_language_writes_it_with_the_iso_code(language, expected):
    assert money_text(Decimal("2500"), "usd", language) == expected


def test_money_keeps_latin_digits_in_arabic_and_the_currencys_own_decimals():
    assert money_text(Decimal("150000"), "XOF", "ar") == "\u200f150,000\xa0XOF"
    assert money_text(Decimal("1234.5"), "KES", "en") == "KES\xa01,234.50"


def test_money_is_isolated_in_html_and_bare_in_text():
    html = _render(
        "{{ amount|money:currency }}", language="ar", amount=Decimal("10"), currency="EUR"
    )
    text = _render(
        "{{ amount|money:currency }}", language="ar", html=False, amount=10, currency="EUR"
    )

    assert html == "<bdi>\u200f10.00\xa0EUR</bdi>"
    assert text == "\u200f10.00\xa0EUR"


def _reader(time_zone: str):
    request = RequestFactory().get("/")
    request.user = type("Reader", (), {"is_authenticated": True, "time_zone": time_zone})()
    return request


def test_a_deadline_shows_the_calls_zone_then_the_readers_own():
    text = _render(
        '{% deadline when "Africa/Nairobi" %}',
        html=False,
        when=DEADLINE,
        request=_reader("Europe/London"),
    )

    assert text == (
        "31 January 2027, 17:00 (Africa/Nairobi) · 31 January 2027, 14:00 your time (Europe/London)"
    )


@pytest.mark.parametrize("reader_zone", ["", "Africa/Nairobi", "Not/AZone"])
def test_a_deadline_says_nothing_more_when_the_reader_shares_the_zone_or_has_none(reader_zone):
    text = _render(
        '{% deadline when "Africa/Nairobi" %}',
        html=False,
        when=DEADLINE,
        request=_reader(reader_zone),
    )

    assert text == "31 January 2027, 17:00 (Africa/Nairobi)"


def test_in_an_email_your_time_is_the_recipients_time_zone():
    text = _render(
        '{% your_time when "Africa/Nairobi" %}',
        language="es",
        html=False,
        when=DEADLINE,
        reader_time_zone="America/Bogota",
    )

    assert text == "31 de enero de 2027 a las 09:00 en su hora (America/Bogota)"


def test_in_html_the_zone_names_are_isolated_from_a_right_to_left_sentence():
    html = _render(
        '{% deadline when "Africa/Nairobi" %}',
        language="ar",
        when=DEADLINE,
        request=_reader("Europe/Paris"),
    )

    assert "(<bdi>Africa/Nairobi</bdi>)" in html
    assert "<bdi>Europe/Paris</bdi>" in html
    assert "31 يناير، 2027، 15:00" in html


def test_csv_exports_keep_iso_dates_whatever_the_language():
    with translation.override("ar"):
        cells = [
            spreadsheet_cell(DEADLINE.astimezone(ZoneInfo("Africa/Nairobi"))),
            spreadsheet_cell(date(2027, 1, 31)),
        ]

    assert cells == ["2027-01-31T14:00:00+00:00", "2027-01-31"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "shown"), [("Asia/Tokyo", "Asia/Tokyo"), ("", "UTC"), ("Mars/Olympus", "UTC")]
)
def test_pages_use_the_readers_time_zone(zone, shown):
    seen = []
    middleware = ReaderTimeZoneMiddleware(
        lambda request: seen.append(timezone.get_current_timezone_name())
    )
    request = RequestFactory().get("/")
    request.user = UserFactory(time_zone=zone)
    middleware(request)
    request.user = AnonymousUser()
    middleware(request)
    assert seen == [shown, "UTC"]
    assert timezone.get_current_timezone_name() == "UTC"  # nothing left behind for the next request
