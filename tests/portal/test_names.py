"""Names as people write them: asked at sign-up and on the profile page, shown everywhere in
place of the email address (which is contact information, never a name), and isolated from
the sentence around them for right-to-left pages."""

import io
import re
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Assignment
from applications.pdf import application_pdf
from applications.selectors.board import board_rows
from applications.services.applications import application_start, application_submit
from applications.services.committee import reviewers_assign
from portal.accounts.models import User
from portal.accounts.services import user_mfa_reset
from portal.audit import audit_record
from tests.factories.accounts import PASSWORD, StaffFactory, UserFactory
from tests.factories.applications import (
    CommitteeMembershipFactory,
    candidate,
    complete,
    full_call,
    make_committee,
)
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def _signup(client, **fields):
    data = {"email": "layla@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **fields})


def _pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", text)


# --- The user model ---------------------------------------------------------------------------


def test_display_name_is_the_name_or_a_placeholder_never_the_address():
    named = User(email="layla@example.org", full_name="Layla Haddad")
    unnamed = User(email="someone@example.org")

    assert (named.display_name, str(named), named.get_full_name()) == ("Layla Haddad",) * 3
    assert (unnamed.display_name, str(unnamed), unnamed.get_full_name()) == ("Name not given",) * 3
    assert "someone@example.org" not in (unnamed.get_short_name(), unnamed.salutation)


def test_salutation_puts_the_form_of_address_before_the_whole_name():
    assert User(full_name="ليلى حداد", form_of_address="prof").salutation == "Prof. ليلى حداد"
    assert User(full_name="Kwame Mensah").get_short_name() == "Kwame Mensah"
    assert User(form_of_address="dr").salutation == ""  # no name: a greeting says "Hello,"


def test_saving_tidies_the_name():
    user = UserFactory(full_name="  Awa \t Ndiaye ", latin_name=" Awa  Ndiaye")

    user.refresh_from_db()
    assert (user.full_name, user.latin_name) == ("Awa Ndiaye", "Awa Ndiaye")


def test_factories_give_every_person_a_name():
    assert UserFactory().full_name


# --- Sign-up ----------------------------------------------------------------------------------


def test_signup_asks_the_name_first_and_the_language(client):
    html = client.get("/fr/accounts/signup/").content.decode()

    fields = re.findall(r'<(?:input|select)[^>]* name="(\w+)"', html)
    assert [f for f in fields if f != "csrfmiddlewaretoken"][:4] == [
        "full_name",
        "latin_name",
        "form_of_address",
        "email",
    ]
    assert re.search(r'<option value="fr"[^>]* selected>français</option>', html)


def test_signup_requires_a_name(client):
    response = _signup(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    assert re.search(r'<input[^>]*name="full_name"[^>]*aria-invalid="true"', html)
    assert re.search(r'aria-describedby="[^"]*id_full_name_error', html)
    assert 'class="error-summary"' in html


def test_signup_stores_the_name_latin_name_form_of_address_and_language(client):
    response = _signup(
        client,
        full_name=" ليلى   حداد ",
        latin_name="Layla Haddad",
        form_of_address="prof",
        preferred_language="ar",
    )

    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert (user.full_name, user.latin_name) == ("ليلى حداد", "Layla Haddad")
    assert (user.form_of_address, user.preferred_language) == ("prof", "ar")


def test_signup_accepts_a_single_word_name_in_arabic_script(client):
    assert _signup(client, full_name="ليلى").status_code == 302

    assert get_user_model().objects.get().full_name == "ليلى"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"full_name": "layla@example.org"}, "full_name", "not your email address"),
        ({"full_name": "..."}, "full_name", "with letters"),
        ({"full_name": "ليلى", "latin_name": "ليلى"}, "latin_name", "Latin letters only"),
    ],
)
def test_signup_refuses_what_is_not_a_name(client, fields, field, message):
    response = _signup(client, **fields)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not get_user_model().objects.exists()


def test_a_latin_name_may_carry_accents_hyphens_and_apostrophes(client):
    _signup(client, full_name="N'Golo Kanté", latin_name="N'Golo Kanté-Traoré")

    assert get_user_model().objects.get().latin_name == "N'Golo Kanté-Traoré"


# --- Profile ----------------------------------------------------------------------------------


def test_profile_needs_a_signed_in_person(client):
    assert client.get(PROFILE)["Location"].startswith("/accounts/login/")


def test_profile_edits_name_latin_name_form_of_address_language_and_time_zone(client, signed_in):
    person = UserFactory(full_name="", preferred_language="en")
    signed_in(person, client)
    assert 'value="fr"' in client.get(PROFILE).content.decode()

    response = client.post(
        PROFILE,
        {
            "full_name": "فاطمة الزهراء",
            "latin_name": "Fatima Zahra",
            "form_of_address": "dr",
            "preferred_language": "fr",
            "time_zone": "Africa/Casablanca",
        },
    )

    assert response["Location"] == PROFILE
    person.refresh_from_db()
    assert (person.full_name, person.latin_name, person.form_of_address) == (
        "فاطمة الزهراء",
        "Fatima Zahra",
        "dr",
    )
    assert (person.preferred_language, person.time_zone) == ("fr", "Africa/Casablanca")


def test_profile_refuses_a_blank_name_and_keeps_what_was_typed(client, signed_in):
    person = UserFactory(full_name="Awa Ndiaye")
    signed_in(person, client)

    response = client.post(PROFILE, {"full_name": "  ", "latin_name": "Awa"})

    assert response.status_code == 200
    assert 'value="Awa"' in response.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Awa Ndiaye"


def test_the_dashboard_asks_an_account_without_a_name_to_add_it(client, signed_in):
    signed_in(UserFactory(full_name=""), client)
    unnamed = client.get("/applications/").content.decode()
    signed_in(UserFactory(full_name="Awa Ndiaye"), client)
    named = client.get("/applications/").content.decode()

    assert "Please add your name" in unnamed and f'href="{PROFILE}"' in unnamed
    assert "Please add your name" not in named and f'href="{PROFILE}"' in named


# --- Where names are shown --------------------------------------------------------------------


def test_the_application_pdf_names_the_applicant_with_the_address_beside_it():
    applicant = UserFactory(full_name="Amina Diallo", email="amina@example.org")
    unnamed = UserFactory(full_name="", email="someone@example.org")
    call = full_call()

    named_text = _pdf_text(application_pdf(candidate(call, "", applicant=applicant)))
    unnamed_text = _pdf_text(application_pdf(candidate(call, "", applicant=unnamed)))

    assert "Amina Diallo <amina@example.org>" in named_text
    assert "Name not given <someone@example.org>" in unnamed_text


def _reviewed(*, blind: bool):
    call = full_call(blind_review=blind, reviewers_per_application=1)
    chair = CommitteeMembershipFactory(call=call, is_chair=True)
    reviewer = CommitteeMembershipFactory(call=call)
    applicant = UserFactory(full_name="ليلى حداد", email="layla@example.org")
    application_submit(application=complete(application_start(call=call, applicant=applicant)))
    reviewers_assign(call=call, actor=chair.user)
    assignment = Assignment.objects.get(membership=reviewer)
    return reviewer.user, f"/applications/review/{assignment.pk}/"


def test_the_reviewer_page_names_the_applicant_in_an_open_call(client, signed_in):
    reviewer, url = _reviewed(blind=False)

    html = signed_in(reviewer, client).get(url).content.decode()

    assert "<p><bdi>ليلى حداد</bdi> · <bdi>layla@example.org</bdi></p>" in html


def test_a_blind_call_still_hides_the_applicant(client, signed_in):
    reviewer, url = _reviewed(blind=True)

    html = signed_in(reviewer, client).get(url).content.decode()

    for secret in ("ليلى حداد", "layla@example.org", "Name not given"):
        assert secret not in html


def test_the_board_shows_the_placeholder_never_the_address():
    committee = make_committee()
    application = candidate(committee.call, "")

    (row,) = board_rows(call=committee.call)

    assert (row.name, row.email) == ("Name not given", application.applicant.email)


def test_the_coordinator_dossier_names_the_student_and_their_latin_name(client, signed_in):
    rotation = CycleRotationFactory(cycle=CycleFactory())
    coordinator = CoordinatorFactory(institution=rotation.institution).user
    student = UserFactory(full_name="نور السيد", latin_name="Nour El-Sayed")
    rank_list = ranked(RankListFactory(cycle=rotation.cycle, student=student), [rotation])
    school_ranks(rotation, [rank_list])
    url = reverse("exchanges:dossier", args=[rotation.pk, rank_list.pk])

    html = signed_in(coordinator, client).get(url).content.decode()

    assert "<h1><bdi>نور السيد</bdi></h1>" in html
    assert "<dd><bdi>Nour El-Sayed</bdi></dd>" in html


def test_the_audit_log_names_the_person_and_shows_the_address_beside_it(client, signed_in):
    staff = StaffFactory(full_name="Grace Njeri")
    unnamed = UserFactory(full_name="", email="someone@example.org")
    audit_record(
        actor=unnamed, action="test.named", obj=staff, scope="accounts", before=None, after=None
    )

    html = signed_in(staff, client).get("/dashboard/staff/audit/").content.decode()

    assert (
        '<td><bdi>Name not given</bdi><br><span class="meta"><bdi>someone@example.org</bdi>'
        "</span></td>" in html
    )


def test_emails_greet_with_the_form_of_address_and_name_or_plainly(
    mailoutbox, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    named = UserFactory(full_name="ليلى حداد", form_of_address="dr", totp=True)
    unnamed = UserFactory(full_name="", email="someone@example.org", totp=True)

    with django_capture_on_commit_callbacks(execute=True):
        user_mfa_reset(actor=staff, user=named)
        user_mfa_reset(actor=staff, user=unnamed)

    assert mailoutbox[0].body.startswith("Hello Dr ليلى حداد,\n")
    assert mailoutbox[1].body.startswith("Hello,\n")
    assert "someone@example.org" not in mailoutbox[1].body


# --- Isolation of user text -------------------------------------------------------------------


def test_the_bidi_filters_escape_and_isolate():
    template = Template("{% load bidi %}{{ person|person_name }} · {{ title|bdi }}{{ empty|bdi }}")
    person = User(full_name="<b>Awa</b> & co")

    html = template.render(Context({"person": person, "title": "ليلى's <i>", "empty": ""}))

    assert html == "<bdi>&lt;b&gt;Awa&lt;/b&gt; &amp; co</bdi> · <bdi>ليلى&#x27;s &lt;i&gt;</bdi>"


def test_person_name_of_nobody_is_empty_and_of_the_unnamed_is_the_placeholder():
    template = Template("{% load bidi %}[{{ a|person_name }}][{{ b|person_name }}]")

    html = template.render(Context({"a": None, "b": User(email="x@example.org")}))

    assert html == "[][<bdi>Name not given</bdi>]"
