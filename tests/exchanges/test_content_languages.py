"""A rotation's texts in every language: the coordinator's form (a fieldset per language,
English required), the rotation's page in the reader's language with the English fallback
marked, and lists ordered by the title the reader reads."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from exchanges.models import Rotation
from exchanges.selectors.catalogue import rotation_list_published
from tests.factories.exchanges import CoordinatorFactory, CycleRotationFactory

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    return {
        "cycle": "",
        "title": "Tropical medicine",
        "specialty": "infectious_disease",
        "department": "Department of Medicine",
        "city": "Kampala",
        "country": "UG",
        "language": "en",
        "start_date": "2027-03-01",
        "end_date": "2027-03-28",
        "capacity": "2",
        "requirements": "Final-year students.",
        "fee_amount": "",
        "fee_currency": "USD",
        "fee_waiver": "",
        "deadline": "",
        "action": "publish",
        **changes,
    }


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


def test_the_rotation_form_offers_a_fieldset_per_language(coordinator, signed_in):
    client = signed_in(coordinator.user)

    html = client.get(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id])
    ).content.decode()

    assert '<legend lang="en">English (required)</legend>' in html
    assert '<details class="language-texts">' in html
    assert '<summary lang="fr">Français</summary>' in html
    assert 'name="title"' in html and 'name="title_fr"' in html and 'name="title_ar"' in html
    assert 'name="requirements_es"' in html
    assert 'lang="ar" dir="rtl"' in html


def test_the_coordinator_saves_the_texts_in_each_language(coordinator, signed_in):
    client = signed_in(coordinator.user)

    response = client.post(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id]),
        _form(
            title_fr="Médecine tropicale",
            title_ar="طب المناطق الحارة",
            requirements_es="Estudiantes de último año.",
        ),
    )

    rotation = Rotation.objects.get()
    assert response.status_code == 302
    assert (rotation.title_en, rotation.title_fr, rotation.title_ar, rotation.title_es) == (
        "Tropical medicine",
        "Médecine tropicale",
        "طب المناطق الحارة",
        None,
    )
    assert (rotation.requirements_en, rotation.requirements_es) == (
        "Final-year students.",
        "Estudiantes de último año.",
    )


def test_a_coordinator_reading_in_french_still_writes_english_in_the_english_fields(
    coordinator, signed_in
):
    client = signed_in(coordinator.user)

    client.post(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id]).replace(
            "/exchanges/", "/fr/exchanges/", 1
        ),
        _form(title_fr="Médecine tropicale"),
    )

    rotation = Rotation.objects.get()
    assert (rotation.title_en, rotation.title_fr) == ("Tropical medicine", "Médecine tropicale")


def test_the_english_title_is_required(coordinator, signed_in):
    client = signed_in(coordinator.user)

    response = client.post(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id]),
        _form(title="", title_fr="Médecine tropicale"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not Rotation.objects.exists()
    assert 'aria-describedby="id_title_error"' in html
    assert '<details class="language-texts" open>' in html
    assert 'value="Médecine tropicale"' in html


def test_editing_keeps_each_language_and_can_clear_one(coordinator, signed_in):
    rotation = CycleRotationFactory(
        institution=coordinator.institution, title="Surgery", title_fr="Chirurgie"
    )
    client = signed_in(coordinator.user)
    url = reverse("exchanges:rotation_edit", args=[rotation.pk])

    edit = client.get(url).content.decode()
    client.post(url, _form(title="General surgery", title_fr="", title_es="Cirugía general"))

    rotation.refresh_from_db()
    assert 'value="Chirurgie"' in edit
    assert (rotation.title_en, rotation.title_fr, rotation.title_es) == (
        "General surgery",
        None,
        "Cirugía general",
    )


def test_the_rotation_page_reads_in_the_readers_language_or_marks_the_english(client):
    rotation = CycleRotationFactory(
        title="Paediatrics, Dakar",
        title_fr="Pédiatrie, Dakar",
        requirements="Final-year students.",
        requirements_fr="Étudiants en dernière année.",
        department="Department of Paediatrics",
    )

    french = client.get(f"/fr/exchanges/rotations/{rotation.pk}/").content.decode()
    arabic = client.get(f"/ar/exchanges/rotations/{rotation.pk}/").content.decode()

    assert "<h1><bdi>Pédiatrie, Dakar</bdi></h1>" in french
    assert '<div class="prose" lang="fr" dir="auto"><p>Étudiants en dernière année.</p></div>' in (
        french
    )
    assert '<bdi><span lang="en">Department of Paediatrics</span></bdi>' in french
    assert '<h1><bdi><span lang="en" dir="ltr">Paediatrics, Dakar</span></bdi>' in arabic
    assert '<div class="prose" lang="en" dir="auto">' in arabic


def test_the_catalogue_orders_by_the_title_the_reader_reads(db):
    start = date(2030, 1, 5)
    zebra = CycleRotationFactory(title="Zebra", title_fr="Alpha", start_date=start)
    middle = CycleRotationFactory(title="Middle", start_date=start)

    english = list(rotation_list_published(today=date(2029, 1, 1)))
    with translation.override("fr"):
        french = list(rotation_list_published(today=date(2029, 1, 1)))

    assert english == [middle, zebra]
    assert french == [zebra, middle]
