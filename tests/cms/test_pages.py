"""The public site: demo pages in four languages, right to left in Arabic, light, accessible."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from cms.models import ProgrammeIndexPage, ProgrammeKind, ProgrammePage
from tests.factories.applications import CallFactory

pytestmark = pytest.mark.django_db


def test_home_page_lists_the_demo_programmes(client, demo):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    for title in ("Medical student scholarships", "Clinical exchange rotations", "Mentoring"):
        assert title in html


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "title"),
    [
        ("/fr/", "fr", "ltr", "Portail de santé mondiale"),
        ("/ar/", "ar", "rtl", "بوابة الصحة العالمية"),
        ("/es/", "es", "ltr", "Portal de Salud Global"),
    ],
)
def test_home_page_in_each_language(client, demo, prefix, lang, direction, title):
    html = client.get(prefix).content.decode()

    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f"<h1>{title}</h1>" in html


def test_language_switcher_links_to_the_translation_of_this_page(client, demo):
    html = client.get("/programmes/scholarship/").content.decode()
    switcher = html[html.index('class="language-switcher"') :]

    assert 'href="/ar/programmes/scholarship/" lang="ar" hreflang="ar"' in switcher
    assert 'href="/fr/programmes/scholarship/" lang="fr" hreflang="fr"' in switcher
    assert 'href="/programmes/scholarship/" lang="en" hreflang="en" aria-current="true"' in switcher


def test_language_switcher_on_an_app_page_keeps_the_path(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert 'href="/ar/accounts/login/" lang="ar"' in html


def test_programme_page_shows_open_call_deadline_and_apply(client, demo):
    html = client.get("/programmes/scholarship/").content.decode()

    assert '<span class="badge badge-open">Open</span>' in html
    assert "(Africa/Nairobi)" in html
    assert ">Apply</a>" in html


def test_programme_page_of_a_closed_call_has_no_apply_button(client, demo):
    page = ProgrammePage.objects.get(slug="scholarship", locale__language_code="en")
    page.call = CallFactory(closes_at=page.call.opens_at)
    page.save_revision().publish()

    html = client.get("/programmes/scholarship/").content.decode()

    assert '<span class="badge badge-closed">Closed</span>' in html
    assert ">Apply</a>" not in html


def test_faq_block_renders_as_disclosure_widgets(client, demo):
    html = client.get("/about/").content.decode()

    assert "<summary>Who can apply?</summary>" in html


def test_story_pages_render(client, demo):
    assert "From Dakar to Nairobi" in client.get("/stories/").content.decode()
    assert client.get("/stories/story/").status_code == 200


def test_every_page_has_landmarks_and_a_skip_link(client, demo):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<nav aria-label="Main"' in html
    assert '<nav aria-label="Language"' in html
    assert "<footer" in html


def test_pages_carry_no_inline_script_and_a_strict_csp(client, demo):
    response = client.get("/")

    assert "<script>" not in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_home_page_transfers_under_100_kb(client, demo):
    html = client.get("/").content
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html.decode())
    size = len(html) + sum(Path(finders.find(asset)).stat().st_size for asset in assets)

    assert assets == ["css/portal.css", "js/portal.js"]
    assert size < 100_000


def _add_programmes(index, numbers):
    for number in numbers:
        index.add_child(
            instance=ProgrammePage(
                title=f"Programme {number}",
                slug=f"programme-{number}",
                kind=ProgrammeKind.SCHOLARSHIP,
                summary="A programme.",
                call=CallFactory(),
            )
        )


def test_programme_index_queries_do_not_grow_with_programmes(client, demo, count_queries):
    programmes = ProgrammeIndexPage.objects.get(slug="programmes", locale__language_code="en")
    index = programmes.add_sibling(instance=ProgrammeIndexPage(title="Other", slug="other"))
    _add_programmes(index, [1])
    one = count_queries(client, "/other/")

    _add_programmes(index, [2, 3])
    three = count_queries(client, "/other/")

    assert one == three


def test_exchange_programme_page_links_to_the_catalogue_in_the_readers_language(client, demo):
    english = client.get("/programmes/exchange/").content.decode()
    french = client.get("/fr/programmes/exchange/").content.decode()

    assert 'href="/rotations/">Browse the rotations</a>' in english
    assert 'href="/exchanges/">My exchanges</a>' in english
    assert 'href="/fr/rotations/"' in french


def test_mentoring_programme_page_offers_both_ways_in(client, demo):
    html = client.get("/programmes/mentoring/").content.decode()

    assert 'href="/mentorship/my-mentor/request/">Ask for a mentor</a>' in html
    assert 'href="/mentorship/mentoring/profile/">Offer to mentor</a>' in html
