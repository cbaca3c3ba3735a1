"""Compatibility reasons in words, in the reader's language ("both speak French; 2 h apart").

Reasons are stored as codes and values (``compatibility.Reason.as_dict``) and put into words
only when shown, so each reader gets them in their own language.
"""

from django.utils import formats
from django.utils.translation import get_language_info, gettext, ngettext
from django_countries import countries

from portal.taxonomy import LANGUAGE_NAMES, Specialty


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return str(LANGUAGE_NAMES.get(code, code))


def specialty_name(code: str) -> str:
    try:
        return str(Specialty(code).label)
    except ValueError:
        return code


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def join_names(names: list[str]) -> str:
    return gettext(", ").join(names)


def hours_text(hours: float) -> str:
    number = int(hours) if float(hours).is_integer() else hours
    return formats.number_format(number)


def reason_text(reason: dict) -> str:
    code, values = reason["code"], reason.get("values", [])
    if code == "language":
        return gettext("both speak %(languages)s") % {
            "languages": join_names([language_name(v) for v in values])
        }
    if code == "specialty":
        return gettext("%(specialties)s in common") % {
            "specialties": join_names([specialty_name(v) for v in values])
        }
    if code == "time_zone":
        hours = reason.get("hours") or 0
        if not hours:
            return gettext("same time zone")
        return ngettext("%(hours)s h apart", "%(hours)s h apart", round(hours)) % {
            "hours": hours_text(hours)
        }
    if code == "country":
        return gettext("knows %(countries)s, the preferred country of practice") % {
            "countries": join_names([country_name(v) for v in values])
        }
    if code == "context":
        return gettext("knows %(countries)s, where the student's programme is") % {
            "countries": join_names([country_name(v) for v in values])
        }
    return code


def top_reasons(reasons, n: int = 3) -> list[dict]:
    """The first reason (the shared language) and the ``n - 1`` that add the most points.

    Takes stored reasons (dicts) or fresh ``compatibility.Reason`` objects.
    """
    reasons = [r if isinstance(r, dict) else r.as_dict() for r in reasons or ()]
    if not reasons:
        return []
    return reasons[:1] + [r for r in reasons[1:] if r.get("points", 0) > 0][: n - 1]


def reasons_line(reasons: list[dict], n: int = 3) -> str:
    return gettext("; ").join(reason_text(r) for r in top_reasons(reasons, n))
