"""The public site in every language: editors (not superusers) translate and publish pages
through the admin; the language switcher offers the languages a page exists in."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.html import escape
from wagtail.models import GroupPagePermission, Locale, Page, Site
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from cms.editors import EDITORS_GROUP
from cms.models import HomePage, StandardPage
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    """An English home page, the default site's root, with one page under it."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="portal-home"))
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    about = home.add_child(instance=StandardPage(title="About us", slug="about-us"))
    about.save_revision().publish()
    return home


@pytest.fixture
def editor(signed_in):
    """A member of Wagtail's Editors group with a second factor, and nothing more."""
    person = UserFactory(full_name="Omar Farouk", totp=True)
    person.groups.add(Group.objects.get(name=EDITORS_GROUP))
    assert not (person.is_superuser or person.is_staff)
    return signed_in(person)


def test_every_content_language_has_its_locale():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "fr", "ar", "es"}


def test_editors_may_translate_and_publish_on_every_languages_tree():
    group = Group.objects.get(name=EDITORS_GROUP)

    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    on_root = set(
        GroupPagePermission.objects.filter(group=group, page__depth=1).values_list(
            "permission__codename", flat=True
        )
    )
    assert {("simple_translation", "submit_translation"), ("wagtailadmin", "access_admin")} <= held
    assert {"add_page", "change_page", "publish_page"} <= on_root


def _translate(client, page: Page, language: str) -> Page:
    """The editor asks the admin's "Translate" view for a copy of `page` in `language`; the
    admin answers with the copy's editor."""
    locale = Locale.objects.get(language_code=language)
    url = f"/admin/translation/submit/page/{page.pk}/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"locales": [locale.pk]})

    copy = page.get_translation(locale)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{copy.pk}/edit/"
    return copy


def _publish(client, page: Page, **changes) -> None:
    """The editor changes fields on the page's edit form and presses "Publish"."""
    url = f"/admin/pages/{page.pk}/edit/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    # The body's blocks are drawn by the admin's script; these pages have none.
    data.update(nested_form_data({"body": streamfield([])}))
    for name, value in changes.items():
        data[name] = value
    data["action-publish"] = "action-publish"

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_editor_translates_a_page_into_arabic_and_publishes_it(home, editor):
    about = StandardPage.objects.get(slug="about-us")

    arabic_home = _translate(editor, home, "ar")
    _publish(editor, arabic_home, title="الصفحة الرئيسية")
    arabic_about = _translate(editor, about, "ar")
    _publish(editor, arabic_about, title="من نحن", intro="نحن شبكة من الأطباء.")

    arabic_about.refresh_from_db()
    assert arabic_about.live
    html = editor.get("/ar/about-us/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>من نحن</h1>" in html
    assert "نحن شبكة من الأطباء." in html
    english = editor.get("/about-us/").content.decode()
    assert "<h1>About us</h1>" in english
    assert 'href="/ar/about-us/" lang="ar" hreflang="ar">العربيّة</a>' in english


@pytest.fixture
def only_english(demo):
    """A page of the demo site written in English only."""
    home = HomePage.objects.get(locale__language_code="en")
    page = home.add_child(instance=StandardPage(title="Only in English", slug="only-english"))
    page.save_revision().publish()
    return page


def test_the_switcher_offers_a_translation_where_there_is_one(client, demo):
    html = client.get("/about/").content.decode()
    switcher = html[html.index('class="language-switcher"') :]

    assert 'href="/ar/about/" lang="ar" hreflang="ar">العربيّة</a>' in switcher
    assert "language-note" not in switcher


def test_the_switcher_sends_to_the_home_page_where_a_page_is_not_translated(client, only_english):

    html = client.get("/only-english/").content.decode()
    switcher = html[html.index('class="language-switcher"') :]

    assert 'href="/only-english/" lang="en" hreflang="en" aria-current="true">English</a>' in (
        switcher
    )
    assert '<a href="/fr/" lang="fr" hreflang="fr">français <small class="language-note"' in (
        switcher
    )
    assert (
        '<a href="/ar/" lang="ar" hreflang="ar">العربيّة <small class="language-note" dir="rtl">'
        in (switcher)
    )
    assert switcher.count('class="language-note"') == 3


def test_the_note_is_written_in_the_language_it_leads_to(client, only_english):

    html = client.get("/only-english/").content.decode()

    for code in ("fr", "ar", "es"):
        with translation.override(code):
            note = translation.gettext("home page — this page is not translated")
        assert f"({escape(note)})</small>" in html


def test_pages_of_the_portal_keep_their_path_in_every_language(client, db):
    html = client.get("/accounts/login/").content.decode()
    switcher = html[html.index('class="language-switcher"') :]

    assert 'href="/fr/accounts/login/" lang="fr"' in switcher
    assert 'href="/es/accounts/login/" lang="es"' in switcher
    assert "language-note" not in switcher


def test_the_demo_faq_is_written_in_every_language(client, demo):
    for prefix, question in [
        ("", "Who can apply?"),
        ("/fr", "Qui peut candidater ?"),
        ("/ar", "من يمكنه التقدّم؟"),
        ("/es", "¿Quién puede presentar una solicitud?"),
    ]:
        html = client.get(f"{prefix}/about/").content.decode()
        assert f"<summary>{question}</summary>" in html, prefix
