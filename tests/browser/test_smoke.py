"""The foundation in a real browser: Debian's Chromium, headless, through Playwright."""

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_arabic_and_applicant_sign_in(page, live_server, demo, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Global Health Portal")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text("بوابة الصحة العالمية")
    screenshot(page, "foundation-home-ar")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("applicant@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(live_server.url + "/applications/")
    expect(page.locator("h1")).to_have_text("My applications")
    expect(page.get_by_text("Medical Student Scholarship 2027")).to_be_visible()
    screenshot(page, "foundation-applicant-dashboard")


def test_refused_login_moves_focus_to_the_error(page, live_server, db):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign In").click()

    focused = page.locator(":focus")
    expect(focused).to_have_class("errorlist nonfield")
    expect(focused).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value("nobody@example.org")
