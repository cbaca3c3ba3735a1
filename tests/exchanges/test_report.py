"""The cycle report for programme staff: its figures on a small cycle made by hand, the reasons
of unplaced and left-out students, its two CSV files, who may see it, its query count, and its
charts (accessible names, right to left in Arabic, coordinates never localised)."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exchanges import services
from exchanges.enums import PlacementSource, PlacementStatus
from exchanges.models import MatchRun, Placement
from exchanges.selectors.report import cycle_report
from portal.audit import AuditEntry
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


def _run(cycle, inputs: dict, result: list, **figures) -> MatchRun:
    """A run stored as `services.match_run` stores it, from inputs and a result written by hand
    (so that what leaves a student out, or how the match runs, can change without this test)."""
    placed = sum(1 for _s, r in result if r is not None)
    capacities = dict(inputs["capacities"])
    defaults = dict(students=len(result), placed=placed, unplaced=len(result) - placed)
    defaults.update(rotations=len(capacities), seats=sum(capacities.values()), seats_filled=placed)
    defaults.update(first_choice=0, top_three=0, left_out=len(inputs.get("excluded", [])))
    defaults.update(number=1, algorithm_version="test", duration_ms=1)
    return MatchRun.objects.create(cycle=cycle, inputs=inputs, result=result, **defaults | figures)


@dataclass
class Made:
    cycle: object
    a1: object  # Kampala, 2 seats
    a2: object  # Kampala, 1 seat
    b1: object  # Paris, 1 seat
    lists: list  # s1 … s6
    run: MatchRun


@pytest.fixture
def made():
    """Two schools in two countries. s1 gets a1 (first choice), s2 b1 (first), s3 a2 (second:
    b1 took s2 over s3); a2's school did not rank s4; b1's seat went to s2, ranked above s5, who
    was also left out at a1 (a document); s6 was left out of the run (not endorsed). a1 keeps a
    seat free."""
    cycle = CycleFactory(name="Exchanges 2027")
    kampala = InstitutionFactory(name="Kampala School", country="UG")
    paris = InstitutionFactory(name="École de Paris", country="FR")
    a1 = CycleRotationFactory(cycle=cycle, institution=kampala, title="Surgery", capacity=2)
    a2 = CycleRotationFactory(cycle=cycle, institution=kampala, title="Paediatrics", capacity=1)
    b1 = CycleRotationFactory(cycle=cycle, institution=paris, title="Cardiology", capacity=1)
    names = ["Amina One", "Bruno Two", "Chen Three", "Dara Four", "Eli Five", "Fatou Six"]
    lists = [RankListFactory(cycle=cycle, student=UserFactory(full_name=name)) for name in names]
    s1, s2, s3, s4, s5, s6 = (rank_list.pk for rank_list in lists)
    inputs = {
        "students": [
            [s1, [a1.pk]],
            [s2, [b1.pk, a1.pk]],
            [s3, [b1.pk, a2.pk]],
            [s4, [a2.pk]],
            [s5, [b1.pk]],
        ],
        "rotations": [[a1.pk, [s1, s2]], [a2.pk, [s3]], [b1.pk, [s2, s3, s5]]],
        "capacities": [[a1.pk, 2], [a2.pk, 1], [b1.pk, 1]],
        "couples": [],
        "excluded": [[s6, "not_endorsed"]],
        "excluded_pairs": [[s5, a1.pk, "document_expires"]],
    }
    result = [[s1, a1.pk], [s2, b1.pk], [s3, a2.pk], [s4, None], [s5, None]]
    run = _run(cycle, inputs, result, first_choice=2, top_three=3)
    return Made(cycle=cycle, a1=a1, a2=a2, b1=b1, lists=lists, run=run)


def _publish(made: Made) -> None:
    move_to(made.cycle, "matching")
    services.match_publish(run=made.run)
    made.cycle.refresh_from_db()


@pytest.fixture
def staff(signed_in):
    return signed_in(StaffFactory(totp=True))


def _url(name: str, cycle) -> str:
    return reverse(f"exchanges:{name}", args=[cycle.pk])


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_figures_of_a_published_run(made):
    _publish(made)
    confirmed = Placement.objects.get(rank_list=made.lists[0])
    confirmed.status = PlacementStatus.CONFIRMED
    confirmed.save()
    Placement.objects.filter(rank_list=made.lists[1]).update(status=PlacementStatus.DECLINED)

    report = cycle_report(cycle=made.cycle)

    assert report.published
    assert report.by_country() == [("Uganda", 2), ("France", 1)]
    assert report.by_school() == [("Kampala School", 2), ("École de Paris", 1)]
    assert report.choices() == [
        ("First choice", 2),
        ("Second or third choice", 1),
        ("A later choice", 0),
        ("Unplaced", 2),
    ]
    rows = {row.title: row for row in report.rotations}
    assert [row.title for row in report.rotations] == ["Cardiology", "Paediatrics", "Surgery"]
    assert (rows["Surgery"].seats, rows["Surgery"].placed, rows["Surgery"].confirmed) == (2, 1, 1)
    # Cardiology's student declined: nobody holds its seat now.
    assert [(row.title, row.unfilled) for row in report.rotations] == [
        ("Cardiology", 1),
        ("Paediatrics", 0),
        ("Surgery", 1),
    ]
    assert (report.seats, report.placed, report.unfilled, report.confirmed) == (4, 3, 2, 1)
    match = report.outcomes[0]
    assert (match.source, match.offered, match.confirmed, match.declined, match.lapsed) == (
        PlacementSource.MATCH,
        1,
        1,
        1,
        0,
    )


def test_reasons_of_unplaced_and_left_out_students(made):
    report = cycle_report(cycle=made.cycle)

    assert [(row.rank_list_id, row.code) for row in report.unplaced] == [
        (made.lists[3].pk, "not_ranked"),
        (made.lists[4].pk, "filled"),
        (made.lists[5].pk, "left_out:not_endorsed"),
    ]
    assert report.unplaced[1].details == (
        "1. Cardiology: its seat went to a student ranked higher; "
        "Surgery: A document expires before the rotation ends"
    )
    assert report.unplaced[2].reason == (
        "Not endorsed by their home school by the ranking deadline"
    )


def test_before_publication_the_latest_run_and_unfilled_seats_of_the_run(made, staff):
    html = staff.get(_url("staff_cycle_report", made.cycle)).content.decode()
    report = cycle_report(cycle=made.cycle)

    assert "No run is published yet: this report shows run 1, the latest." in html
    assert [(row.title, row.unfilled) for row in report.rotations] == [
        ("Cardiology", 0),
        ("Paediatrics", 0),
        ("Surgery", 1),
    ]
    assert report.outcomes == []
    assert "Answers since publication" not in html


def test_page_shows_figures_reasons_and_links(made, staff):
    _publish(made)
    post_match = made.lists[3]
    Placement.objects.create(
        cycle=made.cycle,
        rank_list=post_match,
        rotation=made.a1,
        source=PlacementSource.POST_MATCH,
        status=PlacementStatus.CONFIRMED,
    )
    made.cycle.refresh_from_db()

    html = staff.get(_url("staff_cycle_report", made.cycle)).content.decode()
    detail = staff.get(_url("staff_cycle", made.cycle)).content.decode()

    report_link = f'href="{_url("staff_cycle_report", made.cycle)}">Report on the published match'
    assert report_link in detail
    assert "Run 1, published." in html
    assert "<dt>Placed at their first choice</dt><dd>2 (40 %)</dd>" in html
    assert "<dt>Left out of the match</dt><dd>1</dd>" in html
    assert "<bdi>Dara Four</bdi>: No school they ranked put them on its ranking." in html
    assert "Placed since: Post-match round, Confirmed" in html
    assert "<bdi>Fatou Six</bdi>: Not endorsed by their home school by the ranking deadline" in html
    assert f'href="{_url("staff_cycle_report_csv", made.cycle)}"' in html
    assert f'href="{_url("staff_cycle_unplaced_csv", made.cycle)}"' in html
    assert made.lists[5].student.email not in html  # names, never addresses


def test_charts_have_accessible_names_and_tables(made, staff):
    html = staff.get(_url("staff_cycle_report", made.cycle)).content.decode()

    for chart in ("chart-choices", "chart-countries", "chart-schools"):
        assert f'role="img" aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html
        assert f'<desc id="{chart}-desc">' in html
    assert html.count('<table class="numbers">') >= 3
    assert '<desc id="chart-choices-desc">40 % of the students in the match got their' in html
    assert '<th scope="row"><bdi>Uganda</bdi></th>' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert 'direction="ltr"' in html
    # Uganda, the largest, is as long as the chart allows (600 less the figure's room).
    assert '<rect x="0.0" y="18" width="470.0" height="16" fill="#0b5d4b"/>' in html


def test_arabic_page_renders_right_to_left_and_french_keeps_svg_numbers(made, staff):
    with translation.override("fr"):
        french = staff.get(_url("staff_cycle_report", made.cycle)).content.decode()
    with translation.override("ar"):
        url = _url("staff_cycle_report", made.cycle)
    html = staff.get(url).content.decode()

    assert 'lang="fr"' in french
    assert 'width="470.0"' in french
    assert "470,0" not in french
    assert url.startswith("/ar/")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'direction="rtl"' in html
    assert 'preserveAspectRatio="xMaxYMin meet"' in html
    # Uganda's bar grows from the right edge; its label starts there.
    assert '<rect x="130.0" y="18" width="470.0" height="16" fill="#0b5d4b"/>' in html
    assert '<text x="600" y="13" text-anchor="start" fill="currentColor">' in html


def test_placements_csv(made, staff):
    made.b1.institution.name = "=HYPERLINK(1)"
    made.b1.institution.save()
    _publish(made)
    Placement.objects.filter(rank_list=made.lists[0]).update(status=PlacementStatus.CONFIRMED)

    response = staff.get(_url("staff_cycle_report_csv", made.cycle))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="exchanges-2027-{made.cycle.pk}-placements.csv"'
        in response["Content-Disposition"]
    )
    rows = _csv(response)

    assert (
        ",".join(rows[0]) == "country,school,rotation id,rotation,seats,placed,confirmed,unfilled"
    )
    assert rows[1:] == [
        ["FR", "'=HYPERLINK(1)", str(made.b1.pk), "Cardiology", "1", "1", "0", "0"],
        ["UG", "Kampala School", str(made.a2.pk), "Paediatrics", "1", "1", "0", "0"],
        ["UG", "Kampala School", str(made.a1.pk), "Surgery", "2", "1", "1", "1"],
    ]


def test_unplaced_csv_is_audited(made, staff):
    made.lists[3].home_school = "+SUM(A1)"
    made.lists[3].save()

    response = staff.get(_url("staff_cycle_unplaced_csv", made.cycle))
    rows = _csv(response)

    assert (
        ",".join(rows[0]) == "rank list id,student,email,medical school,reason,details,placed since"
    )
    assert [row[1] for row in rows[1:]] == ["Dara Four", "Eli Five", "Fatou Six"]
    assert rows[1][3] == "'+SUM(A1)"
    assert rows[1][4] == "No school they ranked put them on its ranking."
    assert rows[1][5] == "1. Paediatrics: not on the school's ranking"
    assert rows[3][4] == "Not endorsed by their home school by the ranking deadline"
    assert rows[2][2] == made.lists[4].student.email
    assert AuditEntry.objects.filter(action="cycle_report.unplaced_downloaded").count() == 1


def test_without_a_run(staff):
    cycle = CycleFactory()

    page = staff.get(_url("staff_cycle_report", cycle))
    detail = staff.get(_url("staff_cycle", cycle)).content.decode()

    assert "No match has run in this cycle yet" in page.content.decode()
    assert "Report on" not in detail
    assert staff.get(_url("staff_cycle_report_csv", cycle)).status_code == 404
    assert staff.get(_url("staff_cycle_unplaced_csv", cycle)).status_code == 404


def test_a_run_stored_before_exclusions_and_couples(staff):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=0, title="No seats")
    student = RankListFactory(cycle=cycle)
    empty = RankListFactory(cycle=cycle)
    inputs = {
        "students": [[student.pk, [rotation.pk]], [empty.pk, []]],
        "rotations": [[rotation.pk, [student.pk]]],
        "capacities": [[rotation.pk, 0]],
    }
    _run(cycle, inputs, [[student.pk, None], [empty.pk, None]])

    report = cycle_report(cycle=cycle)
    response = staff.get(_url("staff_cycle_report", cycle))

    assert response.status_code == 200
    assert [(row.code, row.details) for row in report.unplaced] == [
        ("filled", "1. No seats: no seats"),
        ("nothing_ranked", ""),
    ]


def test_couples_and_unstable_runs():
    """A couple's members are not explained one by one; a run that found no stable result
    says so instead of a reason that does not hold."""
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=1)
    single, first, second = (RankListFactory(cycle=cycle) for _ in range(3))
    inputs = {
        "students": [[single.pk, [rotation.pk]]],
        "rotations": [[rotation.pk, [single.pk, first.pk]]],
        "capacities": [[rotation.pk, 1]],
        "couples": [[9, first.pk, second.pk, [[rotation.pk, rotation.pk]]]],
    }
    result = [[single.pk, None], [first.pk, None], [second.pk, None]]
    _run(cycle, inputs, result, stable=False)

    report = cycle_report(cycle=cycle)

    assert [row.code for row in report.unplaced] == ["unexplained", "couple", "couple"]


def test_who_may_see_the_report(made, signed_in, client):
    _publish(made)
    coordinator = CoordinatorFactory(institution=made.a1.institution, user__totp=True).user
    student = made.lists[0].student
    superuser = UserFactory(is_superuser=True, is_staff=True, totp=True)
    for name in ("staff_cycle_report", "staff_cycle_report_csv", "staff_cycle_unplaced_csv"):
        url = _url(name, made.cycle)
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/?next=")
        for person in (student, coordinator, superuser):
            assert signed_in(person).get(url).status_code == 404, (name, person)
        assert signed_in(StaffFactory(totp=True)).get(url).status_code == 200
    staff = signed_in(StaffFactory(totp=True))
    missing = reverse("exchanges:staff_cycle_report", args=[made.cycle.pk + 1000])
    assert staff.get(missing).status_code == 404
    assert staff.post(_url("staff_cycle_report", made.cycle)).status_code == 405


def _cycle_of(size: int):
    """A published cycle of `size` schools in `size` countries, `size + 1` students each
    ranking every rotation: `size` placed and one unplaced; the offers of the larger one lapsed."""
    countries = ["UG", "FR", "KE", "BR", "IN"]
    cycle = CycleFactory()
    rotations = [
        CycleRotationFactory(
            cycle=cycle, capacity=1, institution=InstitutionFactory(country=countries[i])
        )
        for i in range(size)
    ]
    lists = [ranked(RankListFactory(cycle=cycle), rotations) for _ in range(size + 1)]
    for rotation in rotations:
        school_ranks(rotation, lists)
    move_to(cycle, "matching")
    run = services.match_run(cycle=cycle, by=None)
    services.match_publish(run=run)
    return cycle


def test_query_count_does_not_grow_with_the_cycle(staff, count_queries):
    small = _cycle_of(1)
    large = _cycle_of(3)
    Placement.objects.filter(cycle=large).update(respond_by=timezone.now() - timedelta(days=1))

    assert count_queries(staff, _url("staff_cycle_report", small)) == count_queries(
        staff, _url("staff_cycle_report", large)
    )
    assert count_queries(staff, _url("staff_cycle_report", large)) == 7


def test_csv_files_are_never_cached_and_the_placements_one_explains_nobody(made, staff):
    """Both CSV files name schools or students: no browser or proxy keeps them. The placements
    file needs no reasons, so the report does not explain the unplaced students for it."""
    for name in ("staff_cycle_report_csv", "staff_cycle_unplaced_csv"):
        response = staff.get(_url(name, made.cycle))
        assert response["Cache-Control"] == "private, no-store", name
    report = cycle_report(cycle=made.cycle)

    assert [row.placed for row in report.rotations] == [1, 1, 1]
    assert "unplaced" not in vars(report)  # explained only when asked for
    assert len(report.unplaced) == 3
