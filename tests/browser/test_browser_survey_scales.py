"""A team's own survey scales in a real browser: the lead names them on the settings page, the
survey page shows them (screenshots of both)."""

import re

import pytest
from selenium.webdriver.common.by import By

from tests.browser import pages

pytestmark = pytest.mark.browser
NAMES = ["inte alls", "lite", "en del", "ganska mycket", "mycket", "helt"]
STAIRS = ["Motivation", "Förberedelse", "Träning", "Praktik", "Arbete"]


def save_scales(driver, base: str, scales: dict[str, str]) -> dict[str, str]:
    """Type the scales into the team settings page and save; returns what the fields held before."""
    driver.get(f"{base}/teams/kraften-hedemora/settings")
    before = {}
    for field, text in scales.items():
        box = driver.find_element(By.ID, field)
        before[field] = box.get_property("value")
        box.clear()
        box.send_keys(text)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "button[name=save], input[name=save]").click()
    pages.wait_for_next_page(driver, old)
    assert "Teaminställningarna är sparade" in driver.page_source, driver.page_source[-3000:]
    return before


@pytest.fixture
def lead_with_own_scales(browser_for, demo_server):
    """The team lead's browser after naming the scales; the demo team's scales are put back afterwards,
    since the other browser tests share the demo server."""
    base, _ = demo_server
    driver = browser_for("team_lead")
    before = save_scales(driver, base, {"nns_scale": "\n".join(NAMES), "process_steps": "\n".join(STAIRS)})
    yield driver
    save_scales(driver, base, before)


def test_the_lead_names_the_scales_and_the_survey_page_shows_them(lead_with_own_scales, browser_for, demo_server,
                                                                   screenshots):
    base, _ = demo_server
    driver = lead_with_own_scales
    driver.find_element(By.ID, "scales").location_once_scrolled_into_view  # noqa: B018
    pages.screenshot(driver, screenshots / "survey-scales-settings.png", 1280)
    driver = browser_for("coach")
    driver.get(f"{base}/teams/kraften-hedemora/participants")
    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/participants/']")]
    link = next((h for h in hrefs if re.search(r"/participants/[0-9a-f-]{16,}$", h)), None)
    assert link, (hrefs[:20], driver.current_url, driver.page_source[-2000:])
    driver.get(f"{link}/surveys/nns_exit")
    scale = driver.find_element(By.ID, "scale").text
    assert "2 lite" in scale and "6 helt" in scale
    pages.screenshot(driver, screenshots / "survey-scales-nns-exit.png", 1280)
    driver.get(f"{link}/surveys/process_staircase")
    assert "5 Arbete" in driver.find_element(By.ID, "scale").text
    pages.screenshot(driver, screenshots / "survey-scales-staircase.png", 1280)
