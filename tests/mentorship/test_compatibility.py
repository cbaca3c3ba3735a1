"""Tests for mentorship.compatibility: the score of a pair and the reasons that explain it."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorship.compatibility import (
    Compatibility,
    MenteeTraits,
    MentorTraits,
    Reason,
    Weights,
    compatibility,
    hours_apart,
    score,
    utc_offset_hours,
)

LANGUAGES = ["en", "fr", "ar", "es", "sw"]
SPECIALTIES = ["cardiology", "pediatrics", "surgery", "oncology"]
COUNTRIES = ["SN", "FR", "NG", "GB", "UG"]
FAST = settings(max_examples=300, deadline=None, database=None)

offsets = st.integers(-48, 56).map(lambda quarter: quarter / 4)  # -12 h to +14 h
languages = st.frozensets(st.sampled_from(LANGUAGES), max_size=3)
weights = st.builds(
    Weights,
    specialty=st.integers(0, 10),
    time_zone=st.integers(0, 10),
    country=st.integers(0, 10),
    context=st.integers(0, 10),
)
mentees = st.builds(
    MenteeTraits,
    languages=languages,
    interests=st.frozensets(st.sampled_from(SPECIALTIES), max_size=3),
    utc_offset=offsets,
    preferred_country=st.sampled_from(["", *COUNTRIES]),
    context_countries=st.frozensets(st.sampled_from(COUNTRIES), max_size=2),
)
mentors = st.builds(
    MentorTraits,
    languages=languages,
    specialties=st.frozensets(st.sampled_from(SPECIALTIES), max_size=3),
    utc_offset=offsets,
    countries=st.frozensets(st.sampled_from(COUNTRIES), max_size=3),
)

AMINA = MenteeTraits(
    languages=frozenset({"fr", "en"}),
    interests=frozenset({"cardiology"}),
    utc_offset=0,
    preferred_country="SN",
)
FATIMA = MentorTraits(
    languages=frozenset({"fr", "ar"}),
    specialties=frozenset({"cardiology", "pediatrics"}),
    utc_offset=2,
    countries=frozenset({"SN", "FR"}),
)


def test_compatibility_of_a_known_pair_is_explained_exactly():
    result = compatibility(AMINA, FATIMA, Weights())

    # specialty 4 x 1 + time zone 2 x (1 - 2/12) + country 2 x 1 + context 3 x 0, out of 11.
    assert result.score == pytest.approx(100 * (4 + 2 * 10 / 12 + 2) / 11)
    assert [(r.code, r.values, r.hours) for r in result.reasons] == [
        ("language", ("fr",), None),
        ("specialty", ("cardiology",), None),
        ("country", ("SN",), None),
        ("time_zone", (), 2),
    ]
    assert [round(r.points, 2) for r in result.reasons] == [0, 36.36, 18.18, 15.15]
    assert [r.code for r in result.top(3)] == ["language", "specialty", "country"]


def test_compatibility_without_a_shared_language_is_none():
    mentor = MentorTraits(languages=frozenset({"ar"}), specialties=frozenset({"cardiology"}))

    assert compatibility(AMINA, mentor, Weights()) is None
    assert score(AMINA, mentor, Weights()) is None


def test_compatibility_with_context_counts_the_known_programme_countries():
    mentee = MenteeTraits(languages=frozenset({"en"}), context_countries=frozenset({"UG", "KE"}))
    mentor = MentorTraits(languages=frozenset({"en"}), countries=frozenset({"UG"}))

    result = compatibility(mentee, mentor, Weights(specialty=0, time_zone=0, country=0, context=1))

    assert result.score == 50
    assert result.reasons[1] == Reason("context", ("UG",), points=50)


def test_compatibility_with_all_weights_zero_is_zero_with_the_language_reason_only():
    result = compatibility(AMINA, FATIMA, Weights(0, 0, 0, 0))

    assert result == Compatibility(score=0, reasons=(Reason("language", ("fr",)),))


def test_weights_refuse_negative_values():
    with pytest.raises(ValueError, match="must not be negative"):
        Weights(specialty=-1)


def test_hours_apart_wraps_around_the_date_line():
    assert hours_apart(-11, 13) == 0
    assert hours_apart(-10, 12) == 2
    assert hours_apart(5.75, 0) == 5.75


def test_utc_offset_hours_follows_daylight_saving_time():
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC)

    assert utc_offset_hours("Europe/London", winter) == 0
    assert utc_offset_hours("Europe/London", summer) == 1
    assert utc_offset_hours("Asia/Kathmandu", winter) == 5.75
    assert utc_offset_hours("Not/A_Zone", winter) == 0


@FAST
@given(mentees, mentors, weights)
def test_compatibility_is_none_exactly_when_no_language_is_shared(mentee, mentor, w):
    result = compatibility(mentee, mentor, w)

    assert (result is None) == mentee.languages.isdisjoint(mentor.languages)
    assert (score(mentee, mentor, w) is None) == (result is None)


@FAST
@given(mentees, mentors, weights)
def test_compatibility_score_is_between_0_and_100_and_its_points_add_up(mentee, mentor, w):
    result = compatibility(mentee, mentor, w)
    if result is None:
        return

    assert 0 <= result.score <= 100 + 1e-9
    assert sum(r.points for r in result.reasons) == pytest.approx(result.score)
    assert score(mentee, mentor, w) == pytest.approx(result.score)


@FAST
@given(mentees, mentors, weights)
def test_compatibility_reasons_start_with_the_languages_then_most_points(mentee, mentor, w):
    result = compatibility(mentee, mentor, w)
    if result is None:
        return

    first, *rest = result.reasons
    assert first == Reason("language", tuple(sorted(mentee.languages & mentor.languages)))
    assert [r.points for r in rest] == sorted((r.points for r in rest), reverse=True)
    assert len({r.code for r in result.reasons}) == len(result.reasons)
    top = result.top(3)
    assert top[0] == first and len(top) <= 3
    assert all(r.points > 0 for r in top[1:])


@FAST
@given(mentees, mentors, weights, st.integers(2, 7))
def test_compatibility_depends_only_on_the_proportions_of_the_weights(mentee, mentor, w, k):
    scaled = Weights(w.specialty * k, w.time_zone * k, w.country * k, w.context * k)

    assert score(mentee, mentor, scaled) == pytest.approx(score(mentee, mentor, w))


@FAST
@given(mentees, mentors, weights, st.sampled_from(SPECIALTIES))
def test_compatibility_never_drops_when_the_mentor_gains_a_specialty(mentee, mentor, w, extra):
    richer = MentorTraits(
        mentor.languages, mentor.specialties | {extra}, mentor.utc_offset, mentor.countries
    )
    before, after = score(mentee, mentor, w), score(mentee, richer, w)

    assert (before is None) == (after is None)
    assert before is None or after >= before - 1e-9


@FAST
@given(mentees, mentors, weights, st.sampled_from(COUNTRIES))
def test_compatibility_never_drops_when_the_mentor_knows_another_country(mentee, mentor, w, extra):
    richer = MentorTraits(
        mentor.languages, mentor.specialties, mentor.utc_offset, mentor.countries | {extra}
    )
    before, after = score(mentee, mentor, w), score(mentee, richer, w)

    assert before is None or after >= before - 1e-9


@FAST
@given(mentees, mentors, weights)
def test_compatibility_never_drops_when_the_time_zones_come_closer(mentee, mentor, w):
    closer = MentorTraits(mentor.languages, mentor.specialties, mentee.utc_offset, mentor.countries)
    before, after = score(mentee, mentor, w), score(mentee, closer, w)

    assert before is None or after >= before - 1e-9


@FAST
@given(mentees, mentors, weights)
def test_compatibility_is_deterministic(mentee, mentor, w):
    assert compatibility(mentee, mentor, w) == compatibility(mentee, mentor, w)


@FAST
@given(offsets, offsets)
def test_hours_apart_is_symmetric_and_at_most_12(a, b):
    assert hours_apart(a, b) == hours_apart(b, a)
    assert 0 <= hours_apart(a, b) <= 12
    assert hours_apart(a, b) == hours_apart(a + 24, b)
