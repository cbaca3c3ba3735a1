"""Home-school endorsements decided: the school endorses (year of study, good standing) or
declines with a reason, the student is emailed; the match leaves out a submitted list not
endorsed, and at the students' deadline each such list is told so once."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from exchanges.enums import LeftOut
from exchanges.models import Endorsement, EndorsementStatus, RankList
from exchanges.selectors import match_inputs
from exchanges.selectors.exclusions import endorsement_exclusions, match_exclusions
from exchanges.services.endorsements import (
    endorsement_decline,
    endorsement_endorse,
    endorsement_request,
    endorsements_deadline_notify,
)
from portal import jobs
from portal.demo import demo_user
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
    RankListFactory,
    cycle_from,
    endorsed_by,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(db):
    """A request from a year-4 student to a school with one coordinator."""
    home = InstitutionFactory(name="Makerere University")
    coordinator = CoordinatorFactory(institution=home, user__totp=True).user
    rank_list = RankListFactory(
        cycle=CycleFactory(), year_of_study=4, student__full_name="Bao Nguyen"
    )
    return endorsement_request(rank_list=rank_list, institution=home), coordinator


def _post(client, endorsement, action: str, data: dict):
    url = reverse(f"exchanges:endorsement_{action}", args=[endorsement.pk])
    return client.post(url, data)


def test_the_coordinator_endorses_and_the_student_is_emailed(
    asked, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    endorsement, coordinator = asked
    client = signed_in(coordinator)
    data = {"year_confirmed": "5", "good_standing": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, endorsement, "endorse", data)
        _post(client, endorsement, "endorse", data)  # a double click

    endorsement.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("exchanges:endorsement_requests")
    assert (endorsement.status, endorsement.year_confirmed, endorsement.good_standing) == (
        EndorsementStatus.ENDORSED,
        5,
        True,
    )
    assert endorsement.decided_by == coordinator
    (message,) = mailoutbox
    assert message.to == [endorsement.rank_list.student.email]
    assert "Makerere University endorsed you" in message.subject
    assert "in year 5 of your studies" in message.body
    assert AuditEntry.objects.filter(action="endorsement.decided").count() == 1


def test_the_decision_page_offers_the_stated_year(asked, signed_in):
    endorsement, coordinator = asked

    html = signed_in(coordinator).get(
        reverse("exchanges:endorsement_decide", args=[endorsement.pk])
    )

    assert '<option value="4" selected>4</option>' in html.content.decode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"year_confirmed": "5"}, "Endorse only a student in good standing"),
        ({"year_confirmed": "9", "good_standing": "on"}, "Select a valid choice."),
        ({"good_standing": "on"}, "This field is required."),
    ],
)
def test_an_endorsement_without_year_or_standing_is_refused(asked, signed_in, data, words):
    endorsement, coordinator = asked

    response = _post(signed_in(coordinator), endorsement, "endorse", data)

    endorsement.refresh_from_db()
    assert response.status_code == 400
    assert words in response.content.decode()
    assert endorsement.status == EndorsementStatus.REQUESTED


def test_the_coordinator_declines_with_a_reason_the_student_reads(
    asked, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    endorsement, coordinator = asked
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            signed_in(coordinator), endorsement, "decline", {"reason": "  Suspended in May.  "}
        )

    endorsement.refresh_from_db()
    assert response.status_code == 302
    assert (endorsement.status, endorsement.reason) == (
        EndorsementStatus.DECLINED,
        "Suspended in May.",
    )
    (message,) = mailoutbox
    assert "did not endorse you" in message.subject
    assert "Suspended in May." in message.body
    assert reverse("exchanges:endorsement", args=[endorsement.rank_list.cycle_id]) in message.body


@pytest.mark.parametrize(("reason", "words"), [("   ", "required"), ("x" * 501, "at most 500")])
def test_a_decline_without_a_fit_reason_is_refused(asked, signed_in, reason, words):
    endorsement, coordinator = asked

    response = _post(signed_in(coordinator), endorsement, "decline", {"reason": reason})

    assert response.status_code == 400
    assert words in response.content.decode()


def test_a_refused_decline_keeps_the_reason_typed(asked, signed_in):
    endorsement, coordinator = asked

    response = _post(signed_in(coordinator), endorsement, "decline", {"reason": "Late " * 101})

    assert response.status_code == 400
    assert "\n" + "Late " * 101 + "</textarea>" in response.content.decode()


def test_the_service_refuses_a_blank_or_long_reason(asked):
    endorsement, coordinator = asked

    with pytest.raises(Refused, match="Say why you decline") as blank:
        endorsement_decline(endorsement=endorsement, by=coordinator, reason=" ")
    with pytest.raises(Refused, match="Keep the reason to 500 characters") as long:
        endorsement_decline(endorsement=endorsement, by=coordinator, reason="x" * 501)

    assert (blank.value.code, long.value.code) == ("reason_required", "reason_too_long")


def test_staff_endorse_for_a_school_without_coordinator(signed_in):
    rank_list = RankListFactory(cycle=CycleFactory())
    endorsement = endorsement_request(rank_list=rank_list, institution=InstitutionFactory())

    response = _post(
        signed_in(StaffFactory(totp=True)),
        endorsement,
        "endorse",
        {"year_confirmed": "3", "good_standing": "on"},
    )

    endorsement.refresh_from_db()
    assert response.status_code == 302
    assert endorsement.is_endorsed


def test_a_decision_after_the_deadline_is_refused(asked, signed_in):
    endorsement, coordinator = asked
    move_to(endorsement.rank_list.cycle, "schools_ranking")
    client = signed_in(coordinator)

    response = _post(client, endorsement, "endorse", {"year_confirmed": "4", "good_standing": "on"})
    page = client.get(reverse("exchanges:endorsement_decide", args=[endorsement.pk]))

    endorsement.refresh_from_db()
    assert response.status_code == 302
    assert endorsement.status == EndorsementStatus.REQUESTED
    assert "can no longer change" in page.content.decode()
    with pytest.raises(Refused, match="Endorsements are closed") as refusal:
        endorsement_endorse(
            endorsement=endorsement, by=coordinator, year_confirmed=4, good_standing=True
        )
    assert refusal.value.code == "deadline_passed"


def test_a_decision_on_a_request_changed_meanwhile_is_refused(asked):
    endorsement, coordinator = asked
    stale = Endorsement.objects.get(pk=endorsement.pk)
    endorsement_request(rank_list=endorsement.rank_list, institution=InstitutionFactory())

    with pytest.raises(Refused, match="changed their request meanwhile") as refusal:
        endorsement_endorse(endorsement=stale, by=coordinator, year_confirmed=4, good_standing=True)

    assert (refusal.value.code, refusal.value.status) == ("changed", 409)


def test_the_database_refuses_a_decline_without_reason(asked):
    endorsement, _coordinator = asked

    with pytest.raises(IntegrityError, match="declined_endorsement_has_reason"):
        Endorsement.objects.filter(pk=endorsement.pk).update(status=EndorsementStatus.DECLINED)


# The match.


def test_the_match_leaves_out_submitted_lists_not_endorsed():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=5)
    endorsed = ranked(RankListFactory(cycle=cycle), [rotation])
    never = ranked(RankListFactory(cycle=cycle), [rotation], endorsed=False)
    waiting = ranked(RankListFactory(cycle=cycle), [rotation], endorsed=False)
    endorsed_by(waiting, status=EndorsementStatus.REQUESTED)
    declined = ranked(RankListFactory(cycle=cycle), [rotation], endorsed=False)
    endorsed_by(declined, status=EndorsementStatus.DECLINED)
    ranked(RankListFactory(cycle=cycle), [rotation], submitted=False)  # not in the match at all
    school_ranks(rotation, [endorsed, never, waiting, declined])
    move_to(cycle, "matching")

    out = endorsement_exclusions(cycle=cycle)
    inputs = match_inputs(cycle=cycle)

    code = LeftOut.NOT_ENDORSED.value
    assert out == {never.pk: code, waiting.pk: code, declined.pk: code}
    assert match_exclusions(cycle=cycle).students == out
    assert list(inputs.students) == [endorsed.pk]
    assert inputs.rotations == {rotation.pk: [endorsed.pk]}
    assert inputs.excluded == sorted(out.items())


def test_the_exclusions_take_one_query(django_assert_num_queries):
    cycle = CycleFactory()
    for _ in range(3):
        ranked(RankListFactory(cycle=cycle), [CycleRotationFactory(cycle=cycle)], endorsed=False)

    with django_assert_num_queries(1):
        assert len(endorsement_exclusions(cycle=cycle)) == 3


# The students' deadline.


@pytest.fixture
def deadline(db):
    """A cycle from a fixed day with four submitted lists: endorsed, declined, waiting, never
    asked; and one not submitted."""
    from datetime import UTC, datetime

    cycle = cycle_from(datetime(2027, 3, 1, 9, tzinfo=UTC))
    rotation = CycleRotationFactory(cycle=cycle)
    lists = {
        name: ranked(RankListFactory(cycle=cycle), [rotation], endorsed=name == "endorsed")
        for name in ("endorsed", "declined", "waiting", "never")
    }
    endorsed_by(lists["declined"], InstitutionFactory(name="Gulu University"), status="declined")
    endorsed_by(lists["waiting"], InstitutionFactory(name="Mbarara University"), status="requested")
    ranked(RankListFactory(cycle=cycle), [rotation], submitted=False)
    return cycle, lists


def test_at_the_deadline_each_list_not_endorsed_is_told_once(
    deadline, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, lists = deadline
    close = cycle.students_close_at
    with django_capture_on_commit_callbacks(execute=True):
        before = endorsements_deadline_notify(now=close - timedelta(days=1))
        at = endorsements_deadline_notify(now=close + timedelta(minutes=10))
        again = endorsements_deadline_notify(now=close + timedelta(minutes=25))
        after = endorsements_deadline_notify(now=close + timedelta(days=1))

    assert (before, at, again, after) == ({"told": 0}, {"told": 3}, {"told": 0}, {"told": 0})
    by_student = {message.to[0]: message.body for message in mailoutbox}
    assert set(by_student) == {
        lists[name].student.email for name in ("declined", "waiting", "never")
    }
    for body in by_student.values():
        assert "The match will leave your rank list out." in body
    assert "Gulu University declined to endorse you" in by_student[lists["declined"].student.email]
    assert "Not enrolled this year." in by_student[lists["declined"].student.email]
    assert "did not answer your request in time" in by_student[lists["waiting"].student.email]
    assert "You did not ask your home school" in by_student[lists["never"].student.email]


def test_the_deadline_job_is_registered():
    job = jobs.job_get("exchanges.endorsement_deadline")

    assert job.run is endorsements_deadline_notify
    assert job.describe({"told": 2}) == [("students told they are left out of the match", 2)]


def test_the_demo_student_is_endorsed(demo):
    mine = RankList.objects.get(student=demo_user("applicant"))

    assert mine.endorsement.is_endorsed
    assert mine.endorsement.institution.name == mine.home_school
