"""The public rotation catalogue (a Wagtail page reading through exchanges.selectors)."""

from datetime import date, timedelta

import pytest
from wagtail.models import Locale, Page

from cms.models import RotationCatalogPage
from exchanges.enums import RotationStatus
from tests.factories.exchanges import CycleRotationFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    Locale.objects.get_or_create(language_code="ar")
    home = Page.objects.get(depth=2)
    return home.add_child(
        instance=RotationCatalogPage(title="Rotations", slug="rotations", intro="Find a rotation.")
    )


def _titles(html: str) -> list[str]:
    import re

    return re.findall(r'<h3><a href="/exchanges/rotations/\d+/"><bdi>([^<]+)</bdi></a></h3>', html)


def test_catalogue_lists_published_rotations_only(client, catalogue):
    CycleRotationFactory(title="Published")
    CycleRotationFactory(title="Draft", status=RotationStatus.DRAFT)
    CycleRotationFactory(title="Closed", status=RotationStatus.CLOSED)
    CycleRotationFactory(
        title="Over",
        start_date=date.today() - timedelta(days=40),
        end_date=date.today() - timedelta(days=1),
    )

    html = client.get("/rotations/").content.decode()

    assert _titles(html) == ["Published"]
    assert "1 rotation</p>" in html


def test_catalogue_filters_by_specialty_country_language_month_and_seats(client, catalogue):
    start = date(2027, 3, 1)
    CycleRotationFactory(
        title="Kampala paeds",
        specialty="pediatrics",
        country="UG",
        language="en",
        start_date=start,
        capacity=1,
    )
    CycleRotationFactory(
        title="Dakar paeds",
        specialty="pediatrics",
        country="SN",
        language="fr",
        start_date=start,
        capacity=4,
    )
    CycleRotationFactory(
        title="Dakar surgery",
        specialty="surgery",
        country="SN",
        language="fr",
        start_date=date(2027, 5, 3),
        capacity=2,
    )

    def titles(query):
        return sorted(_titles(client.get(f"/rotations/?{query}").content.decode()))

    assert titles("specialty=pediatrics") == ["Dakar paeds", "Kampala paeds"]
    assert titles("country=SN") == ["Dakar paeds", "Dakar surgery"]
    assert titles("language=en") == ["Kampala paeds"]
    assert titles("month=2027-05") == ["Dakar surgery"]
    assert titles("month=2027-03") == ["Dakar paeds", "Kampala paeds"]
    assert titles("seats=2") == ["Dakar paeds", "Dakar surgery"]
    assert titles("country=SN&specialty=pediatrics&seats=3") == ["Dakar paeds"]


def test_catalogue_offers_only_countries_and_languages_in_use(client, catalogue):
    CycleRotationFactory(country="SN", language="fr")

    html = client.get("/rotations/").content.decode()

    assert '<option value="SN">Senegal</option>' in html
    assert '<option value="UG">' not in html
    assert '<option value="fr">French</option>' in html


def test_catalogue_filter_form_works_without_javascript(client, catalogue):
    html = client.get("/rotations/").content.decode()

    assert '<form method="get" class="filters"' in html
    assert '<label for="id_specialty">Specialty:</label>' in html
    assert "<script>" not in html


def test_catalogue_says_when_nothing_matches(client, catalogue):
    CycleRotationFactory(specialty="pediatrics")

    html = client.get("/rotations/?specialty=oncology").content.decode()

    assert "No published rotation matches these filters." in html
    assert '<a href="/rotations/">Clear filters</a>' in html


def test_catalogue_paginates_and_keeps_the_filters(client, catalogue):
    institution = InstitutionFactory()
    for n in range(23):
        CycleRotationFactory(title=f"R{n:02}", institution=institution, specialty="cardiology")

    first = client.get("/rotations/?specialty=cardiology").content.decode()
    second = client.get("/rotations/?specialty=cardiology&page=2").content.decode()

    assert len(_titles(first)) == 20
    assert _titles(second) == ["R20", "R21", "R22"]
    assert 'href="?specialty=cardiology&amp;page=2" rel="next"' in first
    assert "Page 1 of 2" in first


def test_catalogue_in_arabic_is_right_to_left(client, catalogue):
    catalogue.copy_for_translation(
        Locale.objects.get(language_code="ar"), copy_parents=True
    ).save_revision().publish()
    CycleRotationFactory(title="Cairo surgery")

    html = client.get("/ar/rotations/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "Cairo surgery" in html


def test_catalogue_queries_do_not_grow_with_rotations(client, catalogue, count_queries):
    institution = InstitutionFactory()
    CycleRotationFactory(institution=institution)
    one = count_queries(client, "/rotations/")

    CycleRotationFactory(institution=InstitutionFactory())
    CycleRotationFactory(institution=institution, cycle=None)
    three = count_queries(client, "/rotations/")

    assert one == three


def test_rotation_page_shows_the_facts_and_documents(client, catalogue):
    rotation = CycleRotationFactory(
        title="Family medicine", fee_amount=120, fee_waiver="Partner schools"
    )

    html = client.get(f"/exchanges/rotations/{rotation.pk}/").content.decode()

    assert "<h1><bdi>Family medicine</bdi></h1>" in html
    assert "<bdi>USD\xa0120.00</bdi>" in html
    assert "waiver: <bdi>Partner schools</bdi>" in html
    assert "<li>Immunisation record</li>" in html
    assert "Sign in to rank this rotation" in html
