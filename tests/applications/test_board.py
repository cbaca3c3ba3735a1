"""The ranking board: scores from submitted reviews, normalised ranking, filters, sorting, CSV."""

import csv
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.algorithms import board
from applications.algorithms.rubric import Criterion
from applications.enums import ApplicationState, DecisionOutcome, ReviewState
from applications.models import Review
from applications.selectors import board_rows
from tests.factories.accounts import StaffFactory
from tests.factories.applications import (
    DecisionFactory,
    candidate,
    score,
)

pytestmark = pytest.mark.django_db


def url(committee, query=""):
    return f"/applications/calls/{committee.call.pk}/board/{query}"


# --- The figures ----------------------------------------------------------------------------


def test_raw_mean_ignores_the_weights_and_the_weighted_total_applies_them():
    criteria = [Criterion(id=1, weight=3, scale_max=5), Criterion(id=2, weight=1, scale_max=10)]

    scores = board.scores_compute(
        [("r1", "A", {"1": 4, "2": 5}), ("r2", "A", {"1": 5, "2": 10})], criteria
    )

    # r1: weighted (3*4 + 5) / (3*5 + 10) = 68, raw (4 + 5) / 15 = 60;
    # r2: weighted 100, raw 100.
    assert scores["A"].reviews == 2
    assert scores["A"].weighted_total == pytest.approx(84.0)
    assert scores["A"].raw_mean == pytest.approx(80.0)
    assert scores["A"].spread == pytest.approx(16.0)
    assert scores["A"].disagreement is True


def test_a_review_missing_a_criterion_counts_for_nothing():
    criteria = [Criterion(id=1, weight=1, scale_max=5), Criterion(id=2, weight=1, scale_max=5)]

    scores = board.scores_compute([("r1", "A", {"1": 4}), ("r2", "A", {"1": 5, "2": 5})], criteria)

    assert scores["A"].reviews == 1
    assert scores["A"].weighted_total == 100.0


def test_a_lenient_reviewer_does_not_lift_their_applications(committee):
    harsh_best = candidate(committee.call, "Harsh Best")
    harsh_worst = candidate(committee.call, "Harsh Worst")
    lenient_best = candidate(committee.call, "Lenient Best")
    lenient_worst = candidate(committee.call, "Lenient Worst")
    score(committee, 0, harsh_best, 50)
    score(committee, 0, harsh_worst, 30)
    score(committee, 1, lenient_best, 95)
    score(committee, 1, lenient_worst, 85)

    rows = {row.name: row for row in board.rows_rank(_rows(committee))}

    assert rows["Lenient Worst"].scores.raw_mean > rows["Harsh Best"].scores.raw_mean
    assert rows["Harsh Best"].scores.normalised == 1.0
    assert rows["Lenient Best"].scores.normalised == 1.0
    assert rows["Harsh Worst"].scores.normalised == -1.0
    assert rows["Lenient Worst"].scores.normalised == -1.0
    assert [rows[n].rank for n in ("Harsh Best", "Lenient Best")] == [2, 1]  # tie: weighted total
    assert {rows[n].rank for n in ("Harsh Worst", "Lenient Worst")} == {3, 4}


def _rows(committee):
    return board_rows(call=committee.call)


def test_rescaling_one_reviewer_changes_no_normalised_score(committee):
    apps = [candidate(committee.call, f"Student {n}") for n in range(4)]
    for n, application in enumerate(apps):
        score(committee, 0, application, 40 + 10 * n)
        score(committee, 1, application, [70, 20, 90, 50][n])
    before = {row.application_id: row.scores.normalised for row in _rows(committee)}

    for review in Review.objects.filter(assignment__membership=committee.reviewers[1]):
        value = review.scores[str(committee.criterion.pk)]
        review.scores = {str(committee.criterion.pk): value // 2 + 10}  # a harsher reviewer
        review.save()
    after = {row.application_id: row.scores.normalised for row in _rows(committee)}

    assert after == pytest.approx(before)


def test_only_submitted_reviews_count(committee):
    application = candidate(committee.call, "Amina Diallo")
    score(committee, 0, application, 80)
    score(committee, 1, application, 10, state=ReviewState.DRAFT)

    (row,) = _rows(committee)

    assert row.scores.reviews == 1
    assert row.scores.weighted_total == 80.0


def test_disagreement_is_a_spread_above_15_points(committee):
    wide = candidate(committee.call, "Wide")
    edge = candidate(committee.call, "Edge")
    score(committee, 0, wide, 50)
    score(committee, 1, wide, 85)  # standard deviation 17.5
    score(committee, 0, edge, 60)
    score(committee, 1, edge, 90)  # standard deviation exactly 15

    rows = {row.name: row for row in _rows(committee)}

    assert rows["Wide"].scores.disagreement is True
    assert rows["Edge"].scores.spread == 15.0
    assert rows["Edge"].scores.disagreement is False


# --- The page -------------------------------------------------------------------------------


@pytest.fixture
def ranked(committee):
    """Three students: Awa is first, Bilal second (the reviewers disagree), Chen third (in
    Senegal); Dina has no review yet."""
    awa = candidate(committee.call, "Awa Ndiaye")
    bilal = candidate(committee.call, "Bilal Haddad", institution="Makerere University")
    chen = candidate(committee.call, "Chen Li", country="SN", institution="UCAD")
    dina = candidate(committee.call, "Dina Okafor", state=ApplicationState.SUBMITTED)
    for reviewer, values in enumerate([(90, 95, 40), (80, 40, 50)]):
        for application, value in zip((awa, bilal, chen), values, strict=True):
            score(committee, reviewer, application, value)
    candidate(committee.call, "Drafting Student", state=ApplicationState.DRAFT)
    candidate(committee.call, "Gone Student", state=ApplicationState.WITHDRAWN)
    return SimpleNamespace(awa=awa, bilal=bilal, chen=chen, dina=dina)


def names(response):
    return [row.name for row in response.context["page_obj"]]


def test_board_ranks_by_normalised_score_and_leaves_drafts_out(chair, committee, ranked):
    response = chair.get(url(committee))

    assert response.status_code == 200
    assert names(response) == ["Awa Ndiaye", "Bilal Haddad", "Chen Li", "Dina Okafor"]
    assert [row.rank for row in response.context["page_obj"]] == [1, 2, 3, None]
    html = response.content.decode()
    assert "Disagree (spread 27.5)" in html
    assert "Drafting Student" not in html
    assert "Gone Student" not in html


def test_board_filters_by_country_school_state_flag_and_decision(chair, committee, ranked):
    DecisionFactory(application=ranked.chen, outcome=DecisionOutcome.WAITLIST, amount=None)

    assert names(chair.get(url(committee, "?country=SN"))) == ["Chen Li"]
    assert names(chair.get(url(committee, "?institution=makerere"))) == ["Bilal Haddad"]
    assert names(chair.get(url(committee, "?state=submitted"))) == ["Dina Okafor"]
    assert names(chair.get(url(committee, "?flag=yes"))) == ["Bilal Haddad"]
    assert names(chair.get(url(committee, "?flag=no"))) == ["Awa Ndiaye", "Chen Li", "Dina Okafor"]
    assert names(chair.get(url(committee, "?decision=waitlist"))) == ["Chen Li"]
    assert names(chair.get(url(committee, "?decision=none&country=KE"))) == [
        "Awa Ndiaye",
        "Bilal Haddad",
        "Dina Okafor",
    ]


def test_country_filter_offers_only_the_calls_countries(chair, committee, ranked):
    field = chair.get(url(committee)).context["filter"].form.fields["country"]

    assert [code for code, _name in field.choices] == ["", "KE", "SN"]


def test_board_sorts_by_each_column_both_ways_without_javascript(chair, committee, ranked):
    assert names(chair.get(url(committee, "?sort=name"))) == [
        "Awa Ndiaye",
        "Bilal Haddad",
        "Chen Li",
        "Dina Okafor",
    ]
    assert names(chair.get(url(committee, "?sort=-name")))[0] == "Dina Okafor"
    # Raw means: Awa 85, Bilal 67.5, Chen 45; Dina has none and stays last either way.
    assert names(chair.get(url(committee, "?sort=raw"))) == [
        "Chen Li",
        "Bilal Haddad",
        "Awa Ndiaye",
        "Dina Okafor",
    ]
    assert names(chair.get(url(committee, "?sort=-reviews")))[-1] == "Dina Okafor"
    assert names(chair.get(url(committee, "?sort=nonsense")))[0] == "Awa Ndiaye"


def test_sort_links_keep_the_filters_and_flip_the_current_column(chair, committee, ranked):
    response = chair.get(url(committee, "?country=KE&sort=-normalised&page=1"))
    html = response.content.decode()

    assert '<th scope="col" class="number" aria-sort="descending">' in html
    assert 'href="?country=KE&amp;sort=normalised"' in html  # flips the current column
    assert 'href="?country=KE&amp;sort=name"' in html  # names: A to Z first
    assert 'href="?country=KE&amp;sort=-raw"' in html  # scores: best first


def test_board_shows_the_budget_in_words_and_as_a_meter(chair, committee, ranked):
    DecisionFactory(application=ranked.awa, amount=Decimal("1000"))
    DecisionFactory(application=ranked.bilal, amount=Decimal("500"))

    html = chair.get(url(committee)).content.decode()

    assert "<bdi>USD\xa01,500.00</bdi> of <bdi>USD\xa03,000.00</bdi> committed (50 %)." in html
    assert "<bdi>USD\xa01,500.00</bdi> remain." in html
    assert '<meter min="0" max="3000.00" value="1500.00" high="3000.00"' in html


def test_board_paginates_after_the_ranking(chair, committee):
    for n in range(51):
        score(committee, 0, candidate(committee.call, f"Student {n:02d}"), n)

    first = chair.get(url(committee))
    second = chair.get(url(committee, "?page=2"))

    assert len(first.context["page_obj"]) == 50
    assert names(first)[0] == "Student 50"
    assert names(second) == ["Student 00"]


def test_board_csv_follows_filters_and_sort(chair, committee, ranked):
    response = chair.get(f"/applications/calls/{committee.call.pk}/board.csv?country=KE&sort=name")

    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert response["Content-Disposition"] == 'attachment; filename="heal-2030-ranking.csv"'
    assert rows[0] == [
        "rank",
        "id",
        "applicant",
        "email",
        "country",
        "medical school",
        "state",
        "reviews",
        "raw mean",
        "weighted total",
        "normalised",
        "spread",
        "reviewers disagree",
        "amount requested",
        "decision",
        "amount",
        "published",
    ]
    assert [row[2] for row in rows[1:]] == ["Awa Ndiaye", "Bilal Haddad", "Dina Okafor"]
    awa = rows[1]
    assert awa[0] == "1"
    assert awa[4:13] == [
        "Kenya",
        "University of Nairobi",
        "Under review",
        "2",
        "85.00",
        "85.00",
        awa[10],
        "5.00",
        "no",
    ]
    assert float(awa[10]) > 0
    assert rows[3][7:13] == ["0", "", "", "", "", "no"]


def test_board_csv_defuses_spreadsheet_formulas(chair, committee):
    candidate(committee.call, "=HYPERLINK(1)", institution="+cmd")

    response = chair.get(f"/applications/calls/{committee.call.pk}/board.csv")

    row = list(csv.reader(io.StringIO(response.getvalue().decode())))[1]
    assert row[2] == "'=HYPERLINK(1)"
    assert row[5] == "'+cmd"


# Session, user, call, chair check; the chair's own conflicts (their membership, its
# declarations, the applications that could conflict); the board's totals and budget, its
# stored state, the fingerprint of its submitted reviews, the rubric; the filter's countries;
# the page's count and its rows (a CSV counts nothing, and reads every row in chunks of 2,000).
# The base template adds nothing once warm (its roles and Wagtail's site and menu are cached).
BOARD_QUERIES = 14


def _csv_queries(client, path: str) -> int:
    """Like `count_queries`, reading the streamed CSV to its end."""
    b"".join(client.get(path).streaming_content)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("board/", BOARD_QUERIES),
        ("board/?country=KE&flag=no&sort=name&page=1", BOARD_QUERIES),
        ("board.csv", BOARD_QUERIES - 1),
    ],
)
def test_board_queries_are_constant_at_1_and_3_applications(
    chair, committee, suffix, expected, count_queries
):
    path = f"/applications/calls/{committee.call.pk}/{suffix}"
    count = _csv_queries if suffix.endswith(".csv") else count_queries
    first = candidate(committee.call, "Student 0")
    score(committee, 0, first, 50)
    one = count(chair, path)
    for n in (1, 2):
        application = candidate(committee.call, f"Student {n}")
        for reviewer in range(3):
            score(committee, reviewer, application, 10 * n + reviewer)
        DecisionFactory(application=application)

    three = count(chair, path)

    assert one == three == expected


def test_programme_staff_see_the_board(client, committee, ranked, signed_in):
    signed_in(StaffFactory(totp=True), client)

    assert client.get(url(committee)).status_code == 200


def test_chair_dashboard_links_to_the_board(chair, committee):
    html = chair.get("/applications/chairing/").content.decode()

    assert f'href="/applications/calls/{committee.call.pk}/board/"' in html
    assert f'href="/applications/calls/{committee.call.pk}/decisions/"' in html
    assert f'href="/applications/calls/{committee.call.pk}/audit/"' in html
