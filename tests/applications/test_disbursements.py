"""Paying awards: staff set a schedule adding up to the award, mark conditions met, record
payments with their bank reference; the awardee reads the schedule; finance exports a CSV."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import ApplicationState, DecisionOutcome, InstalmentCondition
from applications.models import Application, Instalment, Payment
from applications.services import disbursements as services
from portal.errors import Refused
from portal.models import AuditEntry
from portal.templatetags.formatting import money_text
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import make_committee, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee():
    committee = make_committee(currency="EUR")
    committee.awa = _accepted(committee.call, "Awa Ndiaye")
    return committee


def _accepted(call, name):
    application = published(call, name)
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.ACCEPTED)
    return Application.objects.select_related("call", "decision").get(pk=application.pk)


@pytest.fixture
def staff_user():
    return StaffFactory(totp=True, full_name="Fatou Sow")


@pytest.fixture
def staff(signed_in, staff_user):
    return signed_in(staff_user)


def _plan(*rows):
    return [
        services.InstalmentPlan(amount=Decimal(amount), due_date=date(2027, month, 1), **extra)
        for amount, month, extra in rows
    ]


def _schedule(committee, actor, *rows):
    rows = rows or (("600", 1, {}), ("400", 6, {"condition": InstalmentCondition.PROGRESS}))
    return services.instalments_set(application=committee.awa, actor=actor, plan=_plan(*rows))


def _formset(*rows):
    data = {"instalments-TOTAL_FORMS": str(len(rows)), "instalments-INITIAL_FORMS": "0"}
    for n, (amount, due, condition) in enumerate(rows):
        data |= {
            f"instalments-{n}-amount": amount,
            f"instalments-{n}-due_date": due,
            f"instalments-{n}-condition": condition,
            f"instalments-{n}-condition_text": "",
        }
    return data


def test_staff_set_a_schedule_that_adds_up_to_the_award(staff, committee):
    url = f"/applications/{committee.awa.pk}/disbursements/schedule/"
    split = staff.get(f"{url}?count=3")

    response = staff.post(
        url, _formset(("500", "2027-01-10", "enrolment"), ("500", "2027-06-10", "none"))
    )

    assert [f.initial["amount"] for f in split.context["formset"].forms] == [
        Decimal("333.33"),
        Decimal("333.33"),
        Decimal("333.34"),
    ]
    assert response.status_code == 302
    assert list(Instalment.objects.values_list("number", "amount", "currency", "condition")) == [
        (1, Decimal("500.00"), "EUR", "enrolment"),
        (2, Decimal("500.00"), "EUR", "none"),
    ]
    assert AuditEntry.objects.get(scope=f"disbursements:{committee.call.pk}").action == (
        "disbursement.schedule_set"
    )


def test_a_schedule_that_does_not_add_up_is_refused_naming_the_difference(staff, committee):
    response = staff.post(
        f"/applications/{committee.awa.pk}/disbursements/schedule/",
        _formset(("500", "2027-01-10", "none"), ("400", "2027-06-10", "none")),
    )

    expected = (
        f"The instalments add up to {money_text(900, 'EUR')}, not the award of "
        f"{money_text(1000, 'EUR')}: a difference of {money_text(100, 'EUR')}."
    )
    assert response.status_code == 400
    assert list(response.context["formset"].non_form_errors()) == [expected]
    assert response.context["formset"].forms[0]["amount"].value() == "500"
    assert not Instalment.objects.exists()


def test_the_schedule_is_locked_once_a_payment_is_recorded(committee, staff_user):
    first, _second = _schedule(committee, staff_user)
    services.payment_record(
        instalment=first,
        actor=staff_user,
        amount=Decimal("600"),
        paid_on=date(2027, 1, 2),
        reference="TRX-1",
    )

    with pytest.raises(Refused, match="A payment has been recorded, so the schedule"):
        _schedule(committee, staff_user, ("1000", 1, {}))


def test_payments_are_recorded_against_instalments_with_conditions_met(
    staff, committee, staff_user
):
    first, second = _schedule(committee, staff_user)
    pay = f"/applications/{committee.awa.pk}/disbursements/payments/"

    paid = staff.post(
        pay, {"instalment": first.pk, "amount": "600", "paid_on": "2027-01-02", "reference": "A1"}
    )
    pending = staff.post(
        pay, {"instalment": second.pk, "amount": "400", "paid_on": "2027-06-02", "reference": "A2"}
    )
    met = staff.post(f"/applications/{committee.awa.pk}/disbursements/{second.pk}/condition/")
    over = staff.post(
        pay, {"instalment": second.pk, "amount": "401", "paid_on": "2027-06-02", "reference": "A2"}
    )
    twice = staff.post(
        pay, {"instalment": second.pk, "amount": "400", "paid_on": "2027-06-02", "reference": "a1"}
    )

    assert paid.status_code == 302 and met.status_code == 302
    assert pending.status_code == 400
    assert pending.context["payment_form"].non_field_errors() == [
        "The condition of this instalment (Progress report received) is not met yet."
    ]
    assert over.context["payment_form"].errors["amount"] == [
        f"Only {money_text(400, 'EUR')} is still due on this instalment."
    ]
    assert twice.context["payment_form"].errors["reference"] == [
        "A payment with this bank reference is already recorded."
    ]
    assert list(Payment.objects.values_list("reference", "amount")) == [("A1", Decimal("600.00"))]
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "disbursement.schedule_set",
        "disbursement.payment_recorded",
        "disbursement.condition_met",
    ]


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (ApplicationState.DECLINED_BY_APPLICANT, "The applicant declined this award"),
        (ApplicationState.LAPSED, "This award lapsed unanswered"),
        (ApplicationState.WITHDRAWN, "This application was withdrawn"),
        (ApplicationState.AWARDED, "The applicant has not accepted this award yet"),
    ],
)
def test_a_payment_on_an_award_not_held_is_refused(committee, staff_user, state, words):
    first, _second = _schedule(committee, staff_user)
    Application.objects.filter(pk=committee.awa.pk).update(state=state)

    with pytest.raises(Refused, match=words):
        services.payment_record(
            instalment=first,
            actor=staff_user,
            amount=Decimal("1"),
            paid_on=date(2027, 1, 2),
            reference="R",
        )


def test_no_schedule_on_an_application_without_an_award(committee, staff_user):
    waitlisted = published(committee.call, "Bilal Haddad", DecisionOutcome.WAITLIST)

    with pytest.raises(Refused, match="This application holds no award"):
        services.instalments_set(application=waitlisted, actor=staff_user, plan=_plan(("1", 1, {})))


def test_a_declined_award_is_refused_on_the_page_with_a_clear_message(staff, committee, staff_user):
    first, _second = _schedule(committee, staff_user)
    Application.objects.filter(pk=committee.awa.pk).update(
        state=ApplicationState.DECLINED_BY_APPLICANT
    )

    response = staff.post(
        f"/applications/{committee.awa.pk}/disbursements/payments/",
        {"instalment": first.pk, "amount": "10", "paid_on": "2027-01-02", "reference": "Z"},
    )

    assert response.status_code == 400
    assert "The applicant declined this award: nothing can be paid on it." in (
        response.content.decode()
    )


def test_the_awardee_reads_their_schedule(signed_in, committee, staff_user):
    first, _second = _schedule(committee, staff_user)
    services.payment_record(
        instalment=first,
        actor=staff_user,
        amount=Decimal("600"),
        paid_on=date(2027, 1, 2),
        reference="SECRET-REF",
    )
    student = signed_in(committee.awa.applicant)

    html = student.get(f"/applications/{committee.awa.pk}/decision/payments/").content.decode()
    submit = student.get(f"/applications/{committee.awa.pk}/submit/").content.decode()

    assert f"<bdi>{money_text(400, 'EUR')}</bdi>" in html
    assert "1 June 2027" in html
    assert "awaited" in html
    assert "the programme team needs: Progress report received" in html
    assert "SECRET-REF" not in html
    assert f"/applications/{committee.awa.pk}/decision/payments/" in submit


def _roles(committee, signed_in):
    other = make_committee(slug="other-call")
    return {
        "owner": signed_in(committee.awa.applicant),
        "other student": signed_in(UserFactory()),
        "reviewer": signed_in(committee.reviewers[0].user),
        "chair of another call": signed_in(other.chair),
        "chair": signed_in(committee.chair),
        "staff": signed_in(StaffFactory()),
    }


def test_each_role_on_each_page(committee, signed_in, client, staff_user):
    first, _second = _schedule(committee, staff_user)
    call, pk = committee.call.pk, committee.awa.pk
    pages = {
        f"/applications/calls/{call}/disbursements/": {"chair", "staff"},
        f"/applications/calls/{call}/disbursements.csv": {"chair", "staff"},
        f"/applications/{pk}/disbursements/": {"chair", "staff"},
        f"/applications/{pk}/disbursements/schedule/": {"staff"},
        f"/applications/{pk}/decision/payments/": {"owner"},
    }
    posts = [
        f"/applications/{pk}/disbursements/payments/",
        f"/applications/{pk}/disbursements/{first.pk}/condition/",
        f"/applications/{pk}/disbursements/schedule/",
    ]
    for role, user_client in _roles(committee, signed_in).items():
        for url, allowed in pages.items():
            assert user_client.get(url).status_code == (200 if role in allowed else 404), (
                role,
                url,
            )
        if role != "staff":
            for url in posts:
                assert user_client.post(url, {}).status_code == 404, (role, url)
    for url in [*pages, *posts]:
        assert client.get(url).url.startswith("/accounts/login/"), url
    assert not Payment.objects.exists()
    assert Instalment.objects.get(pk=first.pk).condition_met_at is None


def test_staff_do_not_manage_their_own_award(signed_in, committee):
    own = StaffFactory()
    Application.objects.filter(pk=committee.awa.pk).update(applicant=own)

    response = signed_in(own).get(f"/applications/{committee.awa.pk}/disbursements/schedule/")

    assert response.status_code == 404


def _csv(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body))), len(captured)


def test_finance_csv_has_labels_and_a_row_per_payment(staff, committee, staff_user):
    first, _second = _schedule(committee, staff_user)
    services.payment_record(
        instalment=first,
        actor=staff_user,
        amount=Decimal("600"),
        paid_on=date(2027, 1, 2),
        reference="=TRX-1",
    )

    rows, _count = _csv(staff, f"/applications/calls/{committee.call.pk}/disbursements.csv")

    assert rows == [
        [
            "applicant",
            "award",
            "instalment",
            "due on",
            "amount",
            "currency",
            "condition",
            "condition met on",
            "paid on",
            "amount paid",
            "bank reference",
            "recorded by",
        ],
        [
            "Awa Ndiaye",
            "1000.00",
            "1",
            "2027-01-01",
            "600.00",
            "EUR",
            "None",
            "",
            "2027-01-02",
            "600.00",
            "'=TRX-1",
            "Fatou Sow",
        ],
        [
            "Awa Ndiaye",
            "1000.00",
            "2",
            "2027-06-01",
            "400.00",
            "EUR",
            "Progress report received",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def test_finance_csv_and_list_queries_at_one_and_three_awards(
    staff, committee, staff_user, count_queries
):
    url = f"/applications/calls/{committee.call.pk}/disbursements.csv"
    listing = f"/applications/calls/{committee.call.pk}/disbursements/"
    _schedule(committee, staff_user)
    _rows, one = _csv(staff, url)
    list_one = count_queries(staff, listing)
    for name in ("Bilal Haddad", "Chen Li"):
        committee.awa = _accepted(committee.call, name)
        _schedule(committee, staff_user)

    rows, three = _csv(staff, url)

    assert len(rows) == 7
    assert three == one
    assert count_queries(staff, listing) == list_one
