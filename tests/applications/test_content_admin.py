"""Staff give a call's texts in every language in the admin (a staff member, not a
superuser): one group of fields per language, English required."""

from html.parser import HTMLParser

import pytest

from tests.factories.accounts import StaffFactory
from tests.factories.applications import CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The named fields of the page's edit form, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, object] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and not self.data:
            self._in_form = True
        if not self._in_form or "__prefix__" in (attrs.get("name") or ""):
            return
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, [])
                    self.data[name].append(attrs.get("value", "on"))
            elif attrs.get("type") not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False


def _post_as_typed(admin, url, changes):
    fields = _FormFields()
    page = admin.get(url).content.decode()
    fields.feed(page)
    return page, admin.post(url, {**fields.data, **changes})


def test_staff_save_a_calls_texts_per_language_in_the_admin(client, signed_in):
    call = CallFactory(title="Rural Health Scholarship")
    question = QuestionFactory(call=call, label="Why medicine?")
    staff = StaffFactory(totp=True)
    admin = signed_in(staff, client)
    base = f"/admin/snippets/applications/call/edit/{call.pk}"

    page, details = _post_as_typed(
        admin,
        f"{base}/details/",
        {"title_fr": "Bourse de santé rurale", "title_ar": "منحة الصحة الريفية"},
    )
    _page, form = _post_as_typed(
        admin, f"{base}/form/", {"questions-0-label_es": "¿Por qué medicina?"}
    )

    call.refresh_from_db()
    question.refresh_from_db()
    assert not staff.is_superuser
    assert "English (required)" in page and "Français" in page and "العربيّة" in page
    assert (details.status_code, details["Location"]) == (302, f"{base}/eligibility/")
    assert (form.status_code, form["Location"]) == (302, f"{base}/documents/")
    assert (call.title_en, call.title_fr, call.title_ar, call.title_es) == (
        "Rural Health Scholarship",
        "Bourse de santé rurale",
        "منحة الصحة الريفية",
        None,
    )
    assert (question.label_en, question.label_es) == ("Why medicine?", "¿Por qué medicina?")


def test_the_admin_refuses_a_call_without_its_english_title(client, signed_in):
    call = CallFactory(title="Rural Health Scholarship")
    admin = signed_in(StaffFactory(totp=True), client)
    url = f"/admin/snippets/applications/call/edit/{call.pk}/details/"

    _page, response = _post_as_typed(admin, url, {"title_en": "", "title_fr": "Bourse"})

    call.refresh_from_db()
    assert response.status_code == 200
    assert call.title_en == "Rural Health Scholarship" and call.title_fr is None
