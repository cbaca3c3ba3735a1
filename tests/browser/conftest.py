"""Fixtures of the browser tests: pages for other people, signing up, signing in past the
authenticator code, screenshots, and the links that emails carry."""

import re
import time
from pathlib import Path

import polib
import pypdfium2 as pdfium
import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings

from tests.factories.accounts import PASSWORD, TOTP_SECRET

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def new_page(browser):
    """``new_page(**context_options)``: a page in a browser context of its own (another
    person), closed after the test: a keep-alive connection closed later, during another test,
    would close the live server's database connection from the wrong thread."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(new_page, live_server):
    """``sign_in(email, totp=False, page=None, **context_options)``: signs in with the factories'
    password on `page` (else on a new page of its own), then with the current authenticator code
    when `totp`; returns the page, past the sign-in pages."""

    def sign_in(email: str, *, totp: bool = False, page=None, **context_options):
        page = page or new_page(**context_options)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if totp:
            code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
            page.get_by_label("Code").fill(code)
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_url(lambda url: "/2fa/" not in url)
        return page

    return sign_in


@pytest.fixture
def sign_up(live_server, email_link):
    """``sign_up(page, email, name=…, language="en", latin_name="")``: a new account with the
    factories' password, on the sign-up page in `language`, its address confirmed by the link
    in the email. Fields are found by their ids, which do not change with the language."""

    def sign_up(
        page, email: str, name: str = "Amina Diallo", language: str = "en", latin_name: str = ""
    ) -> None:
        prefix = "" if language == "en" else f"/{language}"
        page.goto(f"{live_server.url}{prefix}/accounts/signup/")
        page.locator("#id_full_name").fill(name)
        if latin_name:
            page.locator("#id_latin_name").fill(latin_name)
        page.locator("#id_email").fill(email)
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.locator("form:has(#id_email) [type=submit]").click()
        page.goto(email_link(r"http://\S+/accounts/confirm-email/\S+"))
        page.locator("main form [type=submit]").click()

    return sign_up


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: the whole page into test-results/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def pdf_screenshot():
    """``pdf_screenshot(data, name)``: the first page of a downloaded PDF as
    test-results/screenshots/<name>.png (Chromium shows no PDF when headless)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(data: bytes, name: str) -> None:
        document = pdfium.PdfDocument(data)
        document[0].render(scale=1.5).to_pil().save(SCREENSHOTS / f"{name}.png")
        document.close()

    return take


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings, live_server):
    """The portal's public address is the live server's: links in emails lead to it."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def email_link(mailoutbox):
    """``email_link(pattern)``: the first match of `pattern` in the latest email having one."""

    def find(pattern: str) -> str:
        for message in reversed(mailoutbox):
            found = re.search(pattern, message.body)
            if found:
                return found.group(0)
        raise AssertionError(f"no email matches {pattern}")

    return find


@pytest.fixture(scope="session")
def english_left():
    """``english_left(page, language)``: the interface messages of three words or more that
    `language`'s catalogue translates, found still in English in the page's visible text.

    Short messages ("Email", "Save") are left out: they also occur inside people's own words.
    """
    catalogues = {}

    def messages(language: str) -> list[str]:
        if language not in catalogues:
            path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
            catalogues[language] = sorted(
                {
                    entry.msgid
                    for entry in polib.pofile(str(path)).translated_entries()
                    if entry.msgstr
                    and entry.msgstr != entry.msgid
                    and len(entry.msgid.split()) >= 3
                    and "%" not in entry.msgid
                    and "{" not in entry.msgid
                    and "\n" not in entry.msgid
                }
            )
        return catalogues[language]

    def find(page, language: str) -> list[str]:
        text = " ".join(page.locator("body").inner_text().split())
        return [message for message in messages(language) if message in text]

    return find
