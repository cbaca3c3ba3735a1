"""A call is Draft, then Published, Closed (read from its deadline) and Decided; students reach
only a published or decided call, wherever they look."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from applications.enums import CallState, CallStatus
from applications.models import Call
from applications.selectors import call_list_open, staff_summary
from applications.services import decisions as decision_service
from applications.services import publication as publication_service
from applications.services.applications import application_start
from cms.models import ProgrammePage
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CallFactory, candidate, make_committee

pytestmark = pytest.mark.django_db


def test_a_new_call_is_a_draft():
    call = Call.objects.create(
        title="New call", slug="new", opens_at=timezone.now(), closes_at=timezone.now()
    )

    assert call.state == CallState.DRAFT and call.displayed_state() == CallState.DRAFT


def test_the_state_shown_follows_the_deadline_only_for_a_published_call():
    now = timezone.now()
    published = CallFactory(closes_at=now + timedelta(days=1))
    decided = CallFactory(state=CallState.DECIDED, closes_at=now - timedelta(days=1))
    draft = CallFactory(draft=True, closes_at=now - timedelta(days=1))

    assert published.displayed_state(now) == CallState.PUBLISHED
    assert published.displayed_state(now + timedelta(days=2)) == CallState.CLOSED
    assert decided.displayed_state(now) == CallState.DECIDED
    assert draft.displayed_state(now) == CallState.DRAFT


def test_only_a_published_call_between_its_dates_is_open():
    published = CallFactory()
    draft = CallFactory(draft=True)
    decided = CallFactory(state=CallState.DECIDED)

    assert (published.is_open, draft.is_open, decided.is_open) == (True, False, False)
    assert draft.status() == CallStatus.OPEN  # the dates alone say open; the state does not


def test_the_apply_page_of_a_draft_does_not_exist_for_anyone(signed_in):
    draft = CallFactory(draft=True)
    published = CallFactory()

    for person in (UserFactory(totp=True), StaffFactory(totp=True)):
        client = signed_in(person)
        assert client.get(f"/applications/calls/{draft.slug}/apply/").status_code == 404
        assert client.post(f"/applications/calls/{draft.slug}/apply/").status_code == 404
        assert client.get(f"/applications/calls/{published.slug}/apply/").status_code == 200
    assert not draft.applications.exists()


def test_the_service_starts_no_application_to_a_draft_or_a_decided_call():
    applicant = UserFactory()

    for state in (CallState.DRAFT, CallState.DECIDED):
        with pytest.raises(Refused, match="not open for applications"):
            application_start(call=CallFactory(state=state), applicant=applicant)
    assert not applicant.applications.exists()


def test_the_applicant_dashboard_lists_no_draft(signed_in):
    CallFactory(title="Published call")
    CallFactory(title="Draft call", draft=True)

    html = signed_in(UserFactory(totp=True)).get("/applications/").content.decode()

    assert "Published call" in html and "Draft call" not in html


def test_open_calls_and_the_staff_summary_leave_drafts_out():
    published = CallFactory()
    CallFactory(draft=True)

    assert list(call_list_open()) == [published]
    assert staff_summary()[0][1] == 1


def test_a_programme_page_shows_its_call_only_once_published(client, demo):
    page = ProgrammePage.objects.get(slug="scholarship", locale__language_code="en")
    page.call.state = CallState.DRAFT
    page.call.save()

    draft_html = client.get("/programmes/scholarship/").content.decode()
    listing = client.get("/programmes/").content.decode()
    page.call.state = CallState.PUBLISHED
    page.call.save()
    published_html = client.get("/programmes/scholarship/").content.decode()

    assert 'id="call-heading"' not in draft_html and ">Apply</a>" not in draft_html
    assert "badge-open" not in listing
    assert 'id="call-heading"' in published_html and ">Apply</a>" in published_html


def test_publishing_decisions_marks_the_call_decided_once():
    committee = make_committee()
    awa = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="award")

    publication_service.decisions_publish(call=committee.call, actor=committee.chair)
    publication_service.decisions_publish(call=committee.call, actor=committee.chair)

    committee.call.refresh_from_db()
    assert committee.call.state == CallState.DECIDED
    entry = AuditEntry.objects.get(action="call.decided")
    assert (entry.actor, entry.before, entry.after) == (
        committee.chair,
        {"state": "published"},
        {"state": "decided"},
    )


def test_publishing_no_decision_leaves_the_call_published():
    committee = make_committee()

    publication_service.decisions_publish(call=committee.call, actor=committee.chair)

    committee.call.refresh_from_db()
    assert committee.call.state == CallState.PUBLISHED


def test_calls_from_before_states_are_published_by_the_migration():
    call = CallFactory(draft=True)
    migration = importlib.import_module("applications.migrations.0010_call_states")

    migration.publish_existing(apps, None)

    call.refresh_from_db()
    assert call.state == CallState.PUBLISHED and call.published_at == call.created_at
