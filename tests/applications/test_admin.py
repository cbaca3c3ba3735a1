"""Programme staff configure a call in the one admin."""

import pytest

from tests.factories.accounts import StaffFactory
from tests.factories.applications import full_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, signed_in):
    return signed_in(StaffFactory(totp=True), client)


def test_call_set_up_has_every_part_of_a_call_in_its_steps(staff):
    call = full_call()
    base = f"/admin/snippets/applications/call/edit/{call.pk}"

    pages = {
        step: staff.get(f"{base}/{step}/").content.decode()
        for step in ("eligibility", "form", "documents", "rubric")
    }

    assert 'name="eligibility_questions-TOTAL_FORMS"' in pages["eligibility"]
    assert 'name="questions-TOTAL_FORMS"' in pages["form"]
    assert "Required documents" in pages["documents"] and "Referees" in pages["documents"]
    assert 'name="criteria-TOTAL_FORMS"' in pages["rubric"]
    assert 'name="questions-TOTAL_FORMS"' not in pages["rubric"]


def test_call_editor_shows_allowed_types_as_checkboxes(staff):
    call = full_call()

    url = f"/admin/snippets/applications/call/edit/{call.pk}/documents/"
    html = staff.get(url).content.decode()

    assert 'type="checkbox" name="document_kinds-0-allowed_types" value="application/pdf"' in html
    assert "checked" in html


def test_call_list_links_to_its_applications(staff):
    call = full_call()

    html = staff.get("/admin/snippets/applications/call/").content.decode()

    assert f'href="/applications/calls/{call.pk}/applications/"' in html
