"""Fixtures of the browser tests: pages for other people, signing up, signing in past the
authenticator code, screenshots, and the links that emails carry."""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

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
    """``sign_up(page, email)``: a new account with the factories' password, its address
    confirmed by the link in the email."""

    def sign_up(page, email: str) -> None:
        page.goto(f"{live_server.url}/accounts/signup/")
        page.get_by_label("Email").fill(email)
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.get_by_role("button", name="Sign Up").click()
        page.goto(email_link(r"http://\S+/accounts/confirm-email/\S+"))
        page.get_by_role("button", name="Confirm").click()

    return sign_up


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: the whole page into test-results/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


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
