"""Staff and the call's chair write one message to a filtered set of the call's applicants:
placeholders checked, a preview, sending as long work once, each copy logged and shown."""

import pytest
from django.core import mail

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import ApplicationMessage, Message
from applications.services import messages as services
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    candidate,
    make_committee,
    published,
)

pytestmark = pytest.mark.django_db

TEXT = {"subject_en": "About {call}", "body_en": "Dear {name}, see {link} before {deadline}."}


@pytest.fixture
def committee():
    committee = make_committee(title="Heal 2030", title_fr="Soigner 2030")
    committee.awa = published(
        committee.call,
        "Awa Ndiaye",
        DecisionOutcome.WAITLIST,
        applicant__preferred_language="fr",
    )
    committee.bilal = published(
        committee.call, "Bilal Haddad", DecisionOutcome.WAITLIST, applicant__preferred_language="es"
    )
    committee.chen = candidate(committee.call, "Chen Li")
    return committee


@pytest.fixture
def staff(signed_in):
    return signed_in(StaffFactory(totp=True))


def _new(committee, query="?state=waitlisted"):
    return f"/applications/calls/{committee.call.pk}/messages/new/{query}"


def _written(client, committee, data=None, query="?state=waitlisted"):
    response = client.post(_new(committee, query), {**TEXT, **(data or {})})
    assert response.status_code == 302, response.content[:300]
    return Message.objects.get()


def test_compose_refuses_an_unknown_placeholder_naming_it(staff, committee):
    response = staff.post(_new(committee), {**TEXT, "body_fr": "Bonjour {nom}", "subject_fr": "x"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "body_fr": ["Unknown placeholder {nom}. Use {name}, {call}, {deadline} or {link}."]
    }
    assert not Message.objects.exists()


def test_compose_refuses_a_format_spec_and_an_unpaired_brace(staff, committee):
    spec = staff.post(_new(committee), {**TEXT, "subject_en": "{name!r}"})
    brace = staff.post(_new(committee), {**TEXT, "body_en": "Dear {name"})

    assert spec.context["form"].errors["subject_en"] == [
        "Unknown placeholder {name!r}. Use {name}, {call}, {deadline} or {link}."
    ]
    assert brace.status_code == 400
    assert brace.context["form"].errors["body_en"] == [
        "A brace { or } has no pair. Write {{ or }} for a brace itself."
    ]


def test_compose_asks_for_both_texts_of_a_language(staff, committee):
    response = staff.post(_new(committee), {**TEXT, "subject_fr": "À propos"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "body_fr": ["Write the message in this language too."]
    }


def test_compose_refuses_a_filter_nobody_matches(staff, committee):
    response = staff.post(_new(committee, "?state=accepted"), TEXT)

    assert response.status_code == 400
    assert "No applicant matches these filters." in response.content.decode()


def test_preview_counts_the_filtered_applicants_and_fills_one_copy(staff, committee):
    message = _written(staff, committee, {"subject_fr": "Sur {call}", "body_fr": "Cher {name}"})

    page = staff.get(f"/applications/calls/{committee.call.pk}/messages/{message.pk}/")

    assert message.recipients == [committee.awa.pk, committee.bilal.pk]
    assert message.filter_description == "State: Waitlisted"
    html = page.content.decode()
    assert "<dd>2</dd>" in html
    assert "Sur Soigner 2030" in html  # Awa reads French
    assert "Cher Awa Ndiaye" in html
    assert "Send to 2 applicants" in html


def test_send_writes_each_recipient_once_in_their_language(staff, committee, started):
    message = _written(staff, committee, {"subject_fr": "Sur {call}", "body_fr": "Cher {name}"})
    url = f"/applications/calls/{committee.call.pk}/messages/{message.pk}/send/"

    page = started(staff, url)
    again = staff.post(url)

    assert "2 applicants written to." in page.content.decode()
    copies = {c.application_id: c for c in ApplicationMessage.objects.all()}
    assert (copies[committee.awa.pk].language, copies[committee.awa.pk].subject) == (
        "fr",
        "Sur Soigner 2030",
    )
    bilal = copies[committee.bilal.pk]  # no Spanish text: English, the call's title in Spanish
    assert (bilal.language, bilal.subject) == ("en", "About Heal 2030")
    assert f"/applications/{committee.bilal.pk}/" in bilal.body
    assert "(Africa/Nairobi)" in bilal.body
    assert sorted(m.subject for m in mail.outbox) == [
        "[Global Health Portal] About Heal 2030",
        "[Global Health Portal] Sur Soigner 2030",
    ]
    assert again.status_code == 302
    assert again.url == f"/applications/calls/{committee.call.pk}/messages/"
    assert ApplicationMessage.objects.count() == 2


def test_a_retried_send_skips_those_already_written_to(staff, committee):
    message = _written(staff, committee)
    services.message_send(message=message)
    ApplicationMessage.objects.filter(application=committee.bilal).delete()

    result = services.message_send(message=Message.objects.get())

    assert result == {"sent": 1, "before": 1, "total": 2}
    assert ApplicationMessage.objects.count() == 2


def test_applicant_reads_the_message_on_their_application_page(signed_in, committee):
    message = Message.objects.create(
        call=committee.call,
        subjects={"en": "Hello {name}"},
        bodies={"en": "News about {call}"},
        recipients=[committee.awa.pk],
        recipient_count=1,
        sent_by=committee.chair,
    )
    services.message_send(message=message)
    student = signed_in(committee.awa.applicant)

    page = student.get(f"/applications/{committee.awa.pk}/submit/").content.decode()
    log = student.get(f"/applications/{committee.awa.pk}/messages/").content.decode()

    assert "Hello Awa Ndiaye" in page
    assert "News about Soigner 2030" in log


def _roles(committee, signed_in):
    other_call = make_committee(slug="other-call")
    reviewer = committee.reviewers[0].user
    return {
        "owner": (signed_in(committee.awa.applicant), 404),
        "other student": (signed_in(UserFactory()), 404),
        "reviewer": (signed_in(reviewer), 404),
        "chair of another call": (signed_in(other_call.chair), 404),
        "chair": (signed_in(committee.chair), 200),
        "staff": (signed_in(StaffFactory()), 200),
    }


def test_each_role_on_the_managers_pages(committee, signed_in, client):
    message = Message.objects.create(
        call=committee.call,
        subjects={"en": "Hi"},
        bodies={"en": "Body"},
        recipients=[committee.awa.pk],
        recipient_count=1,
        sent_by=committee.chair,
    )
    base = f"/applications/calls/{committee.call.pk}/messages/"
    urls = [base, f"{base}new/?state=waitlisted", f"{base}{message.pk}/"]
    for role, (user_client, status) in _roles(committee, signed_in).items():
        for url in urls:
            assert user_client.get(url).status_code == status, (role, url)
        if status == 404:
            assert user_client.post(f"{base}{message.pk}/send/").status_code == 404, role
    assert client.get(urls[0]).url.startswith("/accounts/login/")
    assert not ApplicationMessage.objects.exists()


def test_each_role_on_an_applications_messages(committee, signed_in, client):
    url = f"/applications/{committee.awa.pk}/messages/"
    for role, (user_client, status) in _roles(committee, signed_in).items():
        expected = 200 if role == "owner" else status
        assert user_client.get(url).status_code == expected, role
    assert client.get(url).url.startswith("/accounts/login/")


def test_a_chair_in_conflict_does_not_read_an_applications_messages(committee, signed_in):
    membership = committee.call.memberships.get(user=committee.chair)
    membership.conflicts.create(
        kind="application", application=committee.awa, reason="Cousin", declared_by=committee.chair
    )

    response = signed_in(committee.chair).get(f"/applications/{committee.awa.pk}/messages/")

    assert response.status_code == 404


def test_list_of_messages_queries_at_one_and_three(staff, committee, count_queries):
    def add():
        Message.objects.create(
            call=committee.call,
            subjects={"en": "Hi"},
            bodies={"en": "Body"},
            recipients=[committee.awa.pk],
            recipient_count=1,
            sent_by=committee.chair,
        )

    url = f"/applications/calls/{committee.call.pk}/messages/"
    add()
    one = count_queries(staff, url)
    add()
    add()

    assert count_queries(staff, url) == one


def test_call_applications_links_to_writing_with_its_filter(staff, committee):
    html = staff.get(f"/applications/calls/{committee.call.pk}/applications/?state=waitlisted")

    assert f'href="/applications/calls/{committee.call.pk}/messages/new/?state=waitlisted"' in (
        html.content.decode()
    )


def test_a_double_click_on_send_starts_one_operation(staff, committee):
    from portal.models import Operation

    message = _written(staff, committee)
    url = f"/applications/calls/{committee.call.pk}/messages/{message.pk}/send/"

    first = staff.post(url)
    second = staff.post(url)

    assert first.url == second.url
    assert Operation.objects.filter(kind="applications.message_send").count() == 1
    assert committee.chen.state == ApplicationState.UNDER_REVIEW
