"""A coach records a group session by keyboard alone: the kind typed, the hours, the attendees
ticked with the space bar. The form (also in its error state), the session page and the list are
checked with axe-core and at phone width."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import pages

pytestmark = pytest.mark.browser
DAY = "2021-03-02"  # the Kraften example has participants enrolled then


def test_a_coach_records_a_group_session_by_keyboard(browser_for, demo_server, screenshots):
    base, _ = demo_server
    driver = browser_for("coach")
    folder = screenshots / "groups"
    problems: list[str] = []
    driver.get(f"{base}/group-sessions/new?date={DAY}")
    assert driver.find_elements(By.CSS_SELECTOR, "#attendees-1"), "nobody enrolled on the day is listed"

    pages.activate(driver, 'main button[value="record"]')  # nothing filled in: refused, fields tied
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    problems += pages.check_page(driver, folder / "1-refused")

    pages.choose(driver, "#kind", "Skogsgrupp")
    pages.type_into(driver, "#hours", "2")
    for box in ("#attendees-0", "#attendees-1"):
        pages.tab_to(driver, box)
        pages.press(driver, Keys.SPACE)
        assert driver.switch_to.active_element.is_selected()
    pages.activate(driver, 'main button[value="record"]')
    assert "Skogsgrupp" in driver.find_element(By.TAG_NAME, "h1").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "main ul li a[href*='/participants/']")) == 2
    problems += pages.check_page(driver, folder / "2-session")

    driver.get(f"{base}/group-sessions")
    assert DAY in driver.find_element(By.TAG_NAME, "main").text
    problems += pages.check_page(driver, folder / "3-list")
    assert not problems, "\n".join(problems)
