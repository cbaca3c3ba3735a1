"""Programme staff set up a call in steps in the staff area, check it against the checklist,
publish it, and copy a past call as the start of a new one."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from applications.enums import CallState
from applications.models import Application, Call
from applications.selectors.setup import call_checklist
from applications.services.setup import call_copy, call_publish
from cms.editors import EDITORS_GROUP
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    CallFactory,
    CommitteeMembershipFactory,
    CriterionFactory,
    DocumentKindFactory,
    EligibilityQuestionFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/applications/call"


def ready_call(**kwargs) -> Call:
    """A draft that passes the checklist: a question, a criterion, three reviewers, dates."""
    call = CallFactory(draft=True, reviewers_per_application=3, **kwargs)
    QuestionFactory(call=call, label="Why medicine?")
    CriterionFactory(call=call, name="Motivation")
    CommitteeMembershipFactory(call=call, is_chair=True)
    for _n in range(3):
        CommitteeMembershipFactory(call=call)
    return call


@pytest.fixture
def staff(signed_in):
    return signed_in(StaffFactory(totp=True, full_name="Amina Diallo"))


def _editor():
    person = UserFactory(totp=True)
    person.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return person


def _outsiders():
    """Signed in with admin access or not, none of them programme staff."""
    return {
        "applicant": UserFactory(totp=True),
        "editor": _editor(),
        "superuser": UserFactory(is_staff=True, is_superuser=True, totp=True),
    }


def _pages(call):
    return [
        f"{ADMIN}/add/",
        f"{ADMIN}/edit/{call.pk}/",
        f"{ADMIN}/edit/{call.pk}/details/",
        f"{ADMIN}/edit/{call.pk}/dates/",
        f"{ADMIN}/copy/{call.pk}/",
    ]


# --- Who may -------------------------------------------------------------------------------


def test_set_up_pages_send_the_anonymous_to_sign_in(client):
    call = CallFactory(draft=True)

    for url in [*_pages(call), f"{ADMIN}/publish/{call.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_set_up_pages_do_not_exist_for_editors_and_a_superuser(signed_in):
    call = ready_call()

    for role in ("editor", "superuser"):
        client = signed_in(_outsiders()[role])
        for url in _pages(call):
            assert client.get(url).status_code == 404, (role, url)
        assert client.post(f"{ADMIN}/publish/{call.pk}/").status_code == 404
        assert client.post(f"{ADMIN}/copy/{call.pk}/").status_code == 404

    call.refresh_from_db()
    assert call.state == CallState.DRAFT and Call.objects.count() == 1


def test_set_up_pages_keep_an_applicant_out(signed_in):
    call = ready_call()
    client = signed_in(_outsiders()["applicant"])

    for url in _pages(call):
        assert client.get(url).status_code in (302, 403, 404), url
    client.post(f"{ADMIN}/publish/{call.pk}/")

    call.refresh_from_db()
    assert call.state == CallState.DRAFT


def test_set_up_of_a_call_that_does_not_exist_is_404(staff):
    assert staff.get(f"{ADMIN}/edit/999999/").status_code == 404
    assert staff.get(f"{ADMIN}/edit/999999/rubric/").status_code == 404


# --- The steps -----------------------------------------------------------------------------


def test_a_new_call_starts_at_its_first_step_as_a_draft(staff):
    page = staff.get(f"{ADMIN}/add/").content.decode()
    data = querydict_from_html(page, form_id="w-editor-form")
    data["title_en"] = "Rural Health Scholarship 2028"
    data["slug"] = "rural-health-2028"
    data["time_zone"] = "Africa/Lagos"
    data.setlist("languages", ["en", "fr"])

    response = staff.post(f"{ADMIN}/add/", data)

    call = Call.objects.get()
    assert "1. Details and languages" in page and 'name="opens_at"' not in page
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}/edit/{call.pk}/eligibility/"
    assert (call.state, call.time_zone, call.languages) == ("draft", "Africa/Lagos", ["en", "fr"])
    assert call.closes_at <= timezone.now()
    assert AuditEntry.objects.filter(action="call.created", object_id=str(call.pk)).count() == 1


def test_each_step_leads_to_the_next_and_the_last_to_the_overview(staff):
    call = ready_call()

    for step, following in [
        ("details", "eligibility"),
        ("eligibility", "form"),
        ("form", "documents"),
        ("documents", "rubric"),
        ("rubric", "committee"),
        ("committee", "dates"),
        ("dates", ""),
    ]:
        url = f"{ADMIN}/edit/{call.pk}/{step}/"
        page = staff.get(url).content.decode()
        response = staff.post(url, querydict_from_html(page, form_id="w-editor-form"))
        assert response.status_code == 302, step
        assert response["Location"] == f"{ADMIN}/edit/{call.pk}/{following}".rstrip("/") + "/"


def test_the_committee_step_links_to_the_committee(staff):
    call = ready_call()

    page = staff.get(f"{ADMIN}/edit/{call.pk}/committee/").content.decode()

    assert f'href="/applications/calls/{call.pk}/' in page
    assert 'name="reviewers_per_application"' in page and 'name="opens_at"' not in page


def test_a_refused_documents_step_is_shown_again_as_typed(staff):
    call = ready_call()
    DocumentKindFactory(call=call, name="Transcript")
    url = f"{ADMIN}/edit/{call.pk}/documents/"
    data = querydict_from_html(staff.get(url).content.decode(), form_id="w-editor-form")
    data["document_kinds-0-name_en"] = ""

    response = staff.post(url, data)

    assert response.status_code == 200
    assert 'name="document_kinds-0-allowed_types" value="application/pdf"' in response.text
    assert call.document_kinds.get().name_en == "Transcript"


def test_the_list_of_calls_names_their_states(staff):
    ready_call(title="Draft call")
    CallFactory(title="Past call", closes_at=timezone.now() - timedelta(days=1))

    page = staff.get(f"{ADMIN}/").content.decode()

    assert "Draft" in page and "Closed" in page


def test_the_list_of_calls_makes_as_many_queries_for_three_calls_as_for_one(staff, count_queries):
    CallFactory()
    one = count_queries(staff, f"{ADMIN}/")
    CallFactory.create_batch(2)

    assert count_queries(staff, f"{ADMIN}/") == one


# --- The checklist and publishing ----------------------------------------------------------


def test_the_checklist_of_a_ready_call_is_complete():
    assert call_checklist(call=ready_call()).complete


def test_the_checklist_says_what_an_empty_call_lacks_and_where():
    call = CallFactory(draft=True, closes_at=timezone.now() - timedelta(minutes=1))

    checklist = call_checklist(call=call)

    assert [(check.step, check.label) for check in checklist.checks if not check.met] == [
        ("form", "At least one question"),
        ("rubric", "At least one criterion"),
        ("committee", "At least 3 reviewers on the committee, besides the chair"),
        ("dates", "The deadline is in the future"),
    ]
    assert "Committee: 0 reviewers on the committee; each application needs 3." in (
        checklist.missing
    )


def test_the_checklist_asks_for_texts_in_each_language_the_call_is_offered_in():
    call = ready_call(title="Rural Health", title_fr="Santé rurale", languages=["en", "fr"])
    EligibilityQuestionFactory(call=call, text="Are you in year 3?", text_fr="En 3e année ?")

    missing = call_checklist(call=call).missing

    assert missing == [
        "Eligibility: Question 1 (Are you in year 3?): the reason shown to those screened out "
        "in French.",
        "Application form: Question 1 (Why medicine?): the section in French.",
        "Application form: Question 1 (Why medicine?): the question in French.",
        "Rubric: Criterion 1 (Motivation): the criterion in French.",
    ]


def test_the_checklist_refuses_weights_that_are_all_zero():
    call = ready_call()
    call.criteria.update(weight=Decimal("0"))

    check = next(c for c in call_checklist(call=call).checks if "weights" in c.label)

    assert check.label == "The weights add up to more than zero"
    assert check.missing == ["Give at least one criterion a weight."]


def test_the_checklist_does_not_count_the_chair_as_a_reviewer():
    call = ready_call()
    call.memberships.filter(is_chair=False).first().delete()

    assert call_checklist(call=call).missing == [
        "Committee: 2 reviewers on the committee; each application needs 3."
    ]


def test_the_checklist_wants_the_reviews_due_after_the_deadline():
    call = ready_call()
    call.review_deadline = call.closes_at - timedelta(days=1)

    assert call_checklist(call=call).missing == [
        "Dates: Set the date reviews are due after the call's deadline."
    ]


def test_publish_is_refused_with_the_list_while_the_checklist_is_incomplete(staff):
    call = CallFactory(draft=True)

    response = staff.post(f"{ADMIN}/publish/{call.pk}/")

    call.refresh_from_db()
    assert response.status_code == 400
    assert "The call is not ready to publish" in response.text
    assert "Application form: Add a question to the application form." in response.text
    assert call.state == CallState.DRAFT and call.published_at is None


def test_staff_publish_a_ready_call_once(staff):
    call = ready_call()
    overview = staff.get(f"{ADMIN}/edit/{call.pk}/").content.decode()

    first = staff.post(f"{ADMIN}/publish/{call.pk}/")
    again = staff.post(f"{ADMIN}/publish/{call.pk}/")

    call.refresh_from_db()
    assert f'action="{ADMIN}/publish/{call.pk}/"' in overview
    assert (first.status_code, again.status_code) == (302, 302)
    assert call.state == CallState.PUBLISHED and call.published_at is not None
    entry = AuditEntry.objects.get(action="call.published")
    assert (entry.scope, entry.before, entry.after["state"]) == (
        "admin",
        {"state": "draft"},
        "published",
    )


def test_publish_refuses_in_the_service_with_a_code():
    call = CallFactory(draft=True)

    with pytest.raises(Refused, match="not ready to publish") as refusal:
        call_publish(call=call, actor=StaffFactory())

    assert refusal.value.code == "incomplete"


# --- Copying -------------------------------------------------------------------------------


def test_staff_copy_a_past_call_as_a_new_draft(staff):
    call = ready_call(
        title="Rural Health 2026",
        title_fr="Santé rurale 2026",
        slug="rural-health-2026",
        closes_at=timezone.now() - timedelta(days=200),
        opens_at=timezone.now() - timedelta(days=260),
        state=CallState.DECIDED,
        languages=["en", "fr"],
    )
    EligibilityQuestionFactory(call=call)
    DocumentKindFactory(call=call, name="Transcript", name_fr="Relevé de notes")
    ApplicationFactory(call=call)

    confirm = staff.get(f"{ADMIN}/copy/{call.pk}/")
    response = staff.post(f"{ADMIN}/copy/{call.pk}/")

    copy = Call.objects.exclude(pk=call.pk).get()
    assert confirm.status_code == 200 and "Copy" in confirm.text
    assert response["Location"] == f"{ADMIN}/edit/{copy.pk}/"
    assert (copy.state, copy.slug, copy.languages) == (
        "draft",
        "rural-health-2026-copy",
        call.languages,
    )
    assert copy.title_en == "Rural Health 2026 (copy)"
    assert copy.title_fr.startswith("Santé rurale 2026 (")  # "(copy)" in French
    assert [k.name_fr for k in copy.document_kinds.all()] == ["Relevé de notes"]
    assert (copy.questions.count(), copy.criteria.count(), copy.eligibility_questions.count()) == (
        1,
        1,
        1,
    )
    assert (copy.memberships.count(), copy.applications.count()) == (0, 0)
    assert call.questions.count() == 1 and call.state == CallState.DECIDED
    assert "Dates: Set a deadline that has not passed." in call_checklist(call=copy).missing
    assert AuditEntry.objects.get(action="call.copied").after == {
        "copied_from": call.pk,
        "state": "draft",
    }


def test_copying_twice_gives_two_slugs():
    call = CallFactory(slug="elective")
    staff = StaffFactory()

    slugs = [call_copy(call=call, actor=staff).slug for _n in range(2)]

    assert slugs == ["elective-copy", "elective-copy-2"]


def test_a_published_call_or_one_with_applications_is_not_deleted(staff):
    published = CallFactory(title="Published call")
    applied = CallFactory(draft=True, title="Applied draft")
    Application.objects.create(call=applied, applicant=UserFactory())
    draft = CallFactory(draft=True)

    for call in (published, applied):
        page = staff.get(f"{ADMIN}/delete/{call.pk}/", follow=True)
        response = staff.post(f"{ADMIN}/delete/{call.pk}/", follow=True)
        assert response.status_code == 200
        assert f"can be deleted; {call.title} stays." in page.content.decode()
    deleted = staff.post(f"{ADMIN}/delete/{draft.pk}/")

    assert Call.objects.filter(pk__in=[published.pk, applied.pk]).count() == 2
    assert deleted.status_code == 302 and not Call.objects.filter(pk=draft.pk).exists()
