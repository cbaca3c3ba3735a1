"""Tests for mentorship.reasons: stored reasons put into words in the reader's language."""

from django.utils import translation

from mentorship.compatibility import MenteeTraits, MentorTraits, Weights, compatibility
from mentorship.reasons import reason_text, reasons_line, top_reasons

REASONS = [
    {"code": "language", "values": ["fr"], "points": 0},
    {"code": "specialty", "values": ["cardiology"], "points": 36.36},
    {"code": "time_zone", "values": [], "hours": 2, "points": 15.15},
    {"code": "country", "values": ["SN"], "points": 0},
]


def test_reasons_line_gives_the_language_and_the_two_strongest_reasons():
    assert reasons_line(REASONS) == "both speak French; Cardiology in common; 2 h apart"


def test_reason_names_are_in_the_readers_language():
    with translation.override("fr"):
        text = reason_text({"code": "language", "values": ["fr", "ar"]})
        country = reason_text({"code": "country", "values": ["SN"]})

    # Language and country names come from Django's and django-countries' catalogues; the
    # sentences around them from the portal's, once translated.
    assert text.endswith("Français, Arabe")
    assert "Sénégal" in country


def test_reason_text_of_each_kind():
    assert reason_text({"code": "time_zone", "hours": 0}) == "same time zone"
    assert reason_text({"code": "time_zone", "hours": 5.75}) == "5.75 h apart"
    assert reason_text({"code": "language", "values": ["ar", "en"]}) == (
        "both speak Arabic, English"
    )
    assert reason_text({"code": "country", "values": ["SN"]}) == (
        "knows Senegal, the preferred country of practice"
    )
    assert reason_text({"code": "context", "values": ["UG"]}) == (
        "knows Uganda, where the student's programme is"
    )


def test_reason_text_names_languages_django_has_no_catalogue_for():
    assert reason_text({"code": "language", "values": ["yo"]}) == "both speak Yoruba"


def test_reason_text_of_an_unknown_language_keeps_the_code():
    assert reason_text({"code": "language", "values": ["xx"]}) == "both speak xx"


def test_top_reasons_leaves_out_reasons_worth_no_points():
    assert [r["code"] for r in top_reasons(REASONS, 4)] == ["language", "specialty", "time_zone"]
    assert top_reasons([]) == []


def test_top_reasons_takes_fresh_compatibility_reasons():
    result = compatibility(
        MenteeTraits(languages=frozenset({"en"})),
        MentorTraits(languages=frozenset({"en"})),
        Weights(),
    )

    assert reasons_line(result.reasons) == "both speak English; same time zone"
