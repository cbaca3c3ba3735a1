"""Dates, times and money in the reader's language, for pages, emails and PDFs alike.

Dates use the language's named formats (`DATE_FORMAT`, `DATETIME_FORMAT`, ... from Django or
`portal/formats/`), never a pattern written in a template: "31 January 2027, 17:00",
"31 janvier 2027 17:00", "31 de enero de 2027 a las 17:00", "31 يناير، 2027، 17:00". A filter
given a time zone shows the moment there (`{{ call.closes_at|local_datetime:call.time_zone }}`);
without one, in the active time zone (the reader's in an email, see `portal.emails`).

In HTML (autoescaping on) an amount of money comes inside `<bdi>`, and so do the time zone
names of `deadline`, so that Latin digits and names keep their order in a right-to-left
sentence; in plain text (emails) they are bare text. Machine-readable values stay ISO 8601:
CSV exports, and `<time datetime="{{ value|iso }}">` around a date a script or a reader's
tools may read.

    {% load formatting %}
    {{ call.closes_at|local_datetime:call.time_zone }}   {{ rotation.start_date|short_date }}
    {{ decision.amount|money:call.currency }}   {% deadline call.closes_at call.time_zone %}
"""

import re
import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django import template
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# An ISO code written against a digit ("USD2,500.00"): CLDR puts a no-break space between them
# (its "currency spacing", which Babel does not apply).
_CODE_AGAINST_DIGIT = re.compile(r"(?<=[A-Z]{3})(?=[-\u2212]?\d)")


def _zone(zone) -> zoneinfo.ZoneInfo | None:
    """A time zone from its name (or None for the active one); None for an unknown name."""
    if not zone:
        return None
    if isinstance(zone, zoneinfo.ZoneInfo):
        return zone
    try:
        return zoneinfo.ZoneInfo(str(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _moment(value, zone=None):
    """A datetime seen from `zone` (or the active zone); a date stays a date."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
        return timezone.localtime(value, _zone(zone) or timezone.get_current_timezone())
    return value


def _iso(value) -> str:
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def date_text(value, format_name: str = "DATE_FORMAT", zone=None) -> str:
    """`value` (a date or datetime) in the active language's named format, seen from `zone`."""
    if value in (None, ""):
        return ""
    return formats.date_format(_moment(value, zone), format_name)


def _dated(value, format_name: str, zone=None) -> str:
    if not isinstance(value, date):  # None, "" or something already formatted
        return value if value not in (None, "") else ""
    return date_text(value, format_name, zone)


@register.filter
def local_date(value, zone=None) -> str:
    """The day ("31 January 2027"), in `zone` for a moment."""
    return _dated(value, "DATE_FORMAT", zone)


@register.filter
def local_datetime(value, zone=None) -> str:
    """The day and the time ("31 January 2027, 17:00"), in `zone` or the active one."""
    return _dated(value, "DATETIME_FORMAT", zone)


@register.filter
def short_date(value, zone=None) -> str:
    """For tables and lists: "31 Jan 2027", "31/01/2027"."""
    return _dated(value, "SHORT_DATE_FORMAT", zone)


@register.filter
def short_datetime(value, zone=None) -> str:
    """For tables and lists: "31 Jan 2027, 17:00", "31/01/2027 17:00"."""
    return _dated(value, "SHORT_DATETIME_FORMAT", zone)


@register.filter
def month_day(value, zone=None) -> str:
    """The first day of a range whose end shows the year: "31 January", "31 de enero"."""
    return _dated(value, "MONTH_DAY_FORMAT", zone)


@register.filter
def iso(value) -> str:
    """The ISO 8601 value of a date or moment (a moment in UTC), for `<time datetime="...">`
    and other machine-readable places."""
    if not isinstance(value, date):
        return ""
    return _iso(value)


def _babel_locale(language: str | None) -> Locale:
    try:
        return Locale.parse(translation.to_locale(language or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def money_text(amount, currency: str, language: str | None = None) -> str:
    """`amount` of `currency` (an ISO 4217 code) written as the language writes money, with the
    code where the language puts its symbol: "USD 2,500.00", "2 500,00 USD", "2.500,00 USD",
    "2,500.00 USD" (Arabic, Latin digits). Codes, not symbols: "$" says neither which dollar
    nor, in West Africa, which franc. The currency's own decimals (none for XOF)."""
    if amount in (None, ""):
        return ""
    try:
        number = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    locale = _babel_locale(language or translation.get_language())
    code = (currency or "").strip().upper()
    if not code:
        return format_decimal(number, locale=locale, numbering_system="latn")
    pattern = locale.currency_formats["standard"].pattern.replace("¤", "¤¤")
    text = format_currency(number, code, format=pattern, locale=locale, numbering_system="latn")
    return _CODE_AGAINST_DIGIT.sub("\xa0", text)


@register.filter
def number(value) -> str:
    """A count as the reader's language writes it: "20,000", "20 000", "20.000"."""
    return money_text(value, "")


@register.filter(needs_autoescape=True)
def money(amount, currency, autoescape=True):
    """`{{ decision.amount|money:call.currency }}`: see `money_text`; isolated in HTML."""
    text = money_text(amount, currency)
    if not autoescape or not text:
        return text
    return format_html("<bdi>{}</bdi>", text)


def reader_zone(context) -> str:
    """The reader's own time zone: the recipient's in an email (`reader_time_zone`, set by
    `portal.emails.email_send`), else the signed-in person's; "" when unknown."""
    if context.get("reader_time_zone") is not None:
        return context["reader_time_zone"] or ""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return getattr(user, "time_zone", "") or ""
    return ""


@register.simple_tag(takes_context=True)
def your_time(context, when, zone, reader=None):
    """`when` in the reader's own time zone ("31 January 2027, 15:00 your time
    (Europe/London)") when they have one and it is not `zone`; "" otherwise.
    `{% your_time call.closes_at call.time_zone as mine %}{% if mine %} · {{ mine }}{% endif %}`"""
    mine = reader if reader is not None else reader_zone(context)
    if not when or not mine or str(mine) == str(zone) or _zone(mine) is None:
        return ""
    local = _dated(when, "DATETIME_FORMAT", mine)
    # The same words as the pages' templates ({% blocktranslate %}{{ date }} your time ...).
    text = gettext("%(date)s your time (%(zone)s)")
    if context.autoescape:
        zone_html = format_html("<bdi>{}</bdi>", mine)
        values = {"date": conditional_escape(local), "zone": zone_html}
        return mark_safe(conditional_escape(text) % values)  # noqa: S308
    return text % {"date": local, "zone": mine}


@register.simple_tag(takes_context=True)
def deadline(context, when, zone, reader=None):
    """A deadline in its own time zone, then in the reader's when it differs: "31 January 2027,
    17:00 (Africa/Nairobi) · 31 January 2027, 15:00 your time (Europe/London)"."""
    if not when:
        return ""
    there = _dated(when, "DATETIME_FORMAT", zone)
    mine = your_time(context, when, zone, reader)
    if context.autoescape:
        if mine:
            return format_html("{} (<bdi>{}</bdi>) · {}", there, zone, mine)
        return format_html("{} (<bdi>{}</bdi>)", there, zone)
    return f"{there} ({zone})" + (f" · {mine}" if mine else "")
