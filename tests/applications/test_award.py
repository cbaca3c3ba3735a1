"""The awarded student: sees the decision once published, downloads the letter, answers in time."""

import io
import re
import urllib.request
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application, Decision
from applications.services import awards as award_service
from applications.services import decisions as decision_service
from applications.services import letters as letter_service
from applications.services import publication as publication_service
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory
from tests.factories.applications import CommitteeMembershipFactory, candidate, make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(db):
    return make_committee(budget=Decimal("1000"), time_zone="Africa/Nairobi")


@pytest.fixture
def awarded(committee, django_capture_on_commit_callbacks):
    """Awa is awarded 1,000 USD (the whole budget), Bilal waitlisted; both published."""
    awa = candidate(committee.call, "Awa Ndiaye")
    bilal = candidate(committee.call, "Bilal Haddad")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="award")
    decision_service.decision_set(application=bilal, actor=committee.chair, outcome="waitlist")
    with django_capture_on_commit_callbacks(execute=True):
        publication_service.decisions_publish(call=committee.call, actor=committee.chair)
    awa.refresh_from_db()
    bilal.refresh_from_db()
    committee.awa, committee.bilal = awa, bilal
    return committee


def page(application):
    return f"/applications/{application.pk}/decision/"


def answer(application):
    return f"/applications/{application.pk}/decision/answer/"


def letter(application):
    return f"/applications/{application.pk}/decision/award-letter.pdf"


def test_a_draft_decision_is_invisible_to_the_student(client, committee, signed_in):
    application = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=application, actor=committee.chair, outcome="award")
    signed_in(application.applicant, client)

    assert client.get(page(application)).status_code == 404
    assert client.get(letter(application)).status_code == 404
    dashboard = client.get("/applications/").content.decode()
    assert "awarded" not in dashboard.lower()


def test_student_sees_the_award_on_the_dashboard_and_application_page(client, awarded, signed_in):
    signed_in(awarded.awa.applicant, client)

    dashboard = client.get("/applications/").content.decode()
    submit = client.get(f"/applications/{awarded.awa.pk}/submit/").content.decode()
    decision = client.get(page(awarded.awa)).content.decode()

    link = f'href="/applications/{awarded.awa.pk}/decision/"'
    for html in (dashboard, submit):
        assert "You have been awarded this scholarship." in html
        assert link in html
    respond_by = Decision.objects.get(application=awarded.awa).respond_by
    assert "has awarded you a scholarship of <bdi>USD\xa01,000.00</bdi>." in decision
    assert f"{respond_by:%-d %B %Y} (end of the day, Africa/Nairobi)" in decision
    assert f'href="/applications/{awarded.awa.pk}/decision/award-letter.pdf"' in decision
    assert "Accept the award" in decision


def test_dashboard_queries_stay_constant_with_decisions(client, awarded, signed_in, count_queries):
    signed_in(awarded.awa.applicant, client)

    def count():
        return count_queries(client, "/applications/")

    one = count()
    for n in range(2):
        other = make_committee(budget=Decimal("1000"), slug=f"other-{n}")
        application = candidate(other.call, "Awa again", applicant=awarded.awa.applicant)
        decision_service.decision_set(application=application, actor=other.chair, outcome="award")
        publication_service.decisions_publish(call=other.call, actor=other.chair)

    awarded_to_awa = Application.objects.filter(
        applicant=awarded.awa.applicant, state=ApplicationState.AWARDED
    )
    assert awarded_to_awa.count() == 3
    assert count() == one


def test_waitlisted_student_reads_the_decision_without_answer_buttons(client, awarded, signed_in):
    signed_in(awarded.bilal.applicant, client)

    html = client.get(page(awarded.bilal)).content.decode()

    assert "You are on the waitlist" in html
    assert "Accept the award" not in html
    assert client.get(letter(awarded.bilal)).status_code == 404


def test_student_downloads_the_award_letter_through_a_short_lived_url(client, awarded, signed_in):
    signed_in(awarded.awa.applicant, client)

    response = client.get(letter(awarded.awa))

    assert response.status_code == 302
    assert response["Location"].startswith("/storage/download/")
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="award-letter-{awarded.awa.pk}.pdf"'


def test_award_letters_go_to_the_private_bucket(
    client, committee, s3_storage, django_capture_on_commit_callbacks, signed_in
):
    application = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=application, actor=committee.chair, outcome="award")
    with django_capture_on_commit_callbacks(execute=True):
        publication_service.decisions_publish(call=committee.call, actor=committee.chair)
    key = Decision.objects.get().letter_key
    signed_in(application.applicant, client)

    location = client.get(letter(application))["Location"]

    assert location.startswith(f"{s3_storage['endpoint']}/{s3_storage['bucket']}/{key}?")
    assert "X-Amz-Signature=" in location
    with urllib.request.urlopen(location) as handle:  # noqa: S310 - moto on loopback
        assert handle.read().startswith(b"%PDF-")


def test_the_chair_may_read_the_letter_but_not_answer(client, awarded, signed_in):
    signed_in(awarded.chair, client)

    assert client.get(letter(awarded.awa)).status_code == 302
    assert client.get(page(awarded.awa)).status_code == 404
    assert client.post(answer(awarded.awa), {"answer": "decline", "confirm": "on"}).status_code == (
        404
    )


@pytest.mark.parametrize("kind", ["another student", "reviewer", "chair of another call"])
def test_nobody_else_sees_or_answers_a_students_decision(client, awarded, kind, signed_in):
    person = {
        "another student": lambda: awarded.bilal.applicant,
        "reviewer": lambda: awarded.reviewers[0].user,
        "chair of another call": lambda: CommitteeMembershipFactory(is_chair=True).user,
    }[kind]()
    signed_in(person, client)

    assert client.get(page(awarded.awa)).status_code == 404
    assert client.get(letter(awarded.awa)).status_code == 404
    assert client.post(answer(awarded.awa), {"answer": "accept"}).status_code == 404
    awarded.awa.refresh_from_db()
    assert awarded.awa.state == ApplicationState.AWARDED


def test_staff_may_read_any_award_letter(client, awarded, signed_in):
    signed_in(StaffFactory(totp=True), client)

    assert client.get(letter(awarded.awa)).status_code == 302


def test_accepting_twice_is_one_answer_and_a_later_decline_is_refused(client, awarded, signed_in):
    signed_in(awarded.awa.applicant, client)

    first = client.post(answer(awarded.awa), {"answer": "accept"}, follow=True)
    second = client.post(answer(awarded.awa), {"answer": "accept"}, follow=True)
    third = client.post(answer(awarded.awa), {"answer": "decline", "confirm": "on"}, follow=True)

    assert "You have accepted the award. Congratulations!" in first.content.decode()
    assert "You accepted this award on" in second.content.decode()
    assert "You have already answered this award." in third.content.decode()
    awarded.awa.refresh_from_db()
    assert awarded.awa.state == ApplicationState.ACCEPTED
    entry = AuditEntry.objects.get(action="award.accepted")
    assert entry.actor == awarded.awa.applicant
    assert (entry.before["state"], entry.after["state"]) == ("awarded", "accepted")


def test_declining_needs_a_confirmation(client, awarded, signed_in):
    signed_in(awarded.awa.applicant, client)

    response = client.post(answer(awarded.awa), {"answer": "decline"})

    assert response.status_code == 400
    assert "Tick this box to decline the award." in response.content.decode()
    awarded.awa.refresh_from_db()
    assert awarded.awa.state == ApplicationState.AWARDED


def test_declining_frees_the_amount_and_tells_the_chair(
    client, awarded, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    signed_in(awarded.awa.applicant, client)
    assert decision_service.budget_committed(call=awarded.call) == Decimal("1000")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer(awarded.awa), {"answer": "decline", "confirm": "on"})

    awarded.awa.refresh_from_db()
    assert awarded.awa.state == ApplicationState.DECLINED_BY_APPLICANT
    assert decision_service.budget_committed(call=awarded.call) == Decimal("0")
    (message,) = mailoutbox
    assert message.to == [awarded.chair.email]
    assert message.subject == (
        f"[Global Health Portal] Awa Ndiaye declined the award: {awarded.call.title}"
    )
    assert f"/applications/calls/{awarded.call.pk}/decisions/" in message.body


def test_answers_close_at_the_end_of_respond_by_in_the_calls_time_zone(awarded):
    respond_by = Decision.objects.get(application=awarded.awa).respond_by
    nairobi_midnight = datetime.combine(respond_by + timedelta(days=1), datetime.min.time())
    last_minute = (nairobi_midnight - timedelta(hours=3, minutes=1)).replace(tzinfo=UTC)
    too_late = (nairobi_midnight - timedelta(hours=3)).replace(tzinfo=UTC)

    with pytest.raises(Refused, match=r"The date to answer this award has passed\.") as refusal:
        award_service.award_answer(application=awarded.awa, accept=True, now=too_late)
    assert refusal.value.code == "answer_too_late"

    application, changed = award_service.award_answer(
        application=awarded.awa, accept=True, now=last_minute
    )
    assert (application.state, changed) == (ApplicationState.ACCEPTED, True)


def test_after_the_date_the_page_explains_and_the_answer_is_refused_politely(
    client, awarded, signed_in
):
    Decision.objects.filter(application=awarded.awa).update(
        respond_by=timezone.localdate(timezone.now(), awarded.call.zone) - timedelta(days=1)
    )
    signed_in(awarded.awa.applicant, client)

    html = client.get(page(awarded.awa)).content.decode()
    response = client.post(answer(awarded.awa), {"answer": "accept"}, follow=True)

    assert "has passed. If something kept you from answering in time" in html
    assert "Accept the award" not in html
    assert "The date to answer this award has passed." in response.content.decode()
    assert Application.objects.get(pk=awarded.awa.pk).state == ApplicationState.AWARDED


def test_a_decline_lets_the_chair_offer_the_award_to_the_waitlist(
    client, awarded, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    signed_in(awarded.awa.applicant, client)
    client.post(answer(awarded.awa), {"answer": "decline", "confirm": "on"})
    signed_in(awarded.chair, client)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/calls/{awarded.call.pk}/decisions/{awarded.bilal.pk}/offer/")

    assert [m.to for m in mailoutbox] == [[awarded.bilal.applicant.email]]
    signed_in(awarded.bilal.applicant, client)
    html = client.get(page(awarded.bilal)).content.decode()
    assert "has awarded you a scholarship of <bdi>USD\xa01,000.00</bdi>." in html
    assert client.get(letter(awarded.bilal)).status_code == 302
    assert client.post(answer(awarded.bilal), {"answer": "accept"}).status_code == 302
    assert Application.objects.get(pk=awarded.bilal.pk).state == ApplicationState.ACCEPTED


def test_letter_names_the_student_amount_and_date_in_their_language(awarded):
    awarded.awa.applicant.preferred_language = "fr"
    awarded.awa.applicant.save()
    decision = Decision.objects.select_related("application__applicant", "application__call").get(
        application=awarded.awa
    )
    decision.respond_by = date(2030, 8, 14)

    pdf = letter_service.award_letter_pdf(decision=decision, now=datetime(2030, 7, 31, tzinfo=UTC))

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Awa Ndiaye" in text
    assert re.search(r"1\s000,00\sUSD", text)  # French separators, whatever pypdf reads
    assert "14 août 2030" in text
    assert "31 juillet 2030" in text
    assert f"/fr/applications/{awarded.awa.pk}/decision/" in text


def test_an_applicant_with_no_decision_sees_no_decision_page(client, committee, signed_in):
    application = candidate(committee.call, "Awa Ndiaye")
    signed_in(application.applicant, client)

    assert client.get(page(application)).status_code == 404
