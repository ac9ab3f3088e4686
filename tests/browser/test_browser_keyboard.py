"""A coach records a participant's whole path, studiebesök to avslut, by keyboard alone: Tab to a
field or button, type, Enter. No element is clicked. Each page on the way, a refused step
included, is checked with axe-core and at phone width."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import pages

NAME = "Tangent Tangentsson"


pytestmark = pytest.mark.browser


def step(driver, type_name: str, choices: dict[str, str] | None = None) -> None:
    """Fill the open form of `type_name` (its selects by typing a label) and save it with Enter."""
    assert driver.find_elements(By.CSS_SELECTOR, f"details#form-{type_name}[open]"), f"{type_name} is not open"
    for field, label in (choices or {}).items():
        pages.choose(driver, f"#{type_name}-{field}", label)
    pages.activate(driver, f"#form-{type_name} button[type=submit]")


def assert_saved(driver, label: str) -> None:
    assert driver.current_url.endswith("#tidslinje"), driver.current_url
    status = driver.find_element(By.CSS_SELECTOR, "#tidslinje [role=status]").text
    assert label in status, status


def test_a_coach_records_a_whole_path_by_keyboard(browser_for, demo_server, screenshots):
    base, _ = demo_server
    driver = browser_for("coach")  # signed in by keyboard, the code computed from the enrolment key
    folder = screenshots / "keyboard"
    problems: list[str] = []
    driver.get(base + "/teams")

    pages.activate(driver, 'main a[href$="/participants/new"]')
    pages.choose(driver, "#gender", "Kvinna")
    pages.type_into(driver, "#birth_year", "1987")
    pages.type_into(driver, "#support_months_before", "14")
    pages.type_into(driver, "#name", NAME)
    pages.type_into(driver, "#phone", "070-123 45 67")
    pages.tab_to(driver, "#step-0")  # Studiebesök: the first step, chosen by default
    assert driver.switch_to.active_element.is_selected()
    pages.activate(driver, "main form button[type=submit]")
    assert NAME in driver.find_element(By.TAG_NAME, "h1").text
    problems += pages.check_page(driver, folder / "1-study-visit")

    step(driver, "referral_received", {"referrer_org": "Försäkringskassan"})
    assert_saved(driver, "Remiss mottagen")
    step(driver, "enrolled")
    assert_saved(driver, "Inskrivning")
    step(driver, "trial_completed")
    assert_saved(driver, "Prövotid genomförd")
    step(driver, "follow_up", {"status": "Genomförd"})
    assert_saved(driver, "Uppföljning med remittent")

    # Avslut is not the likeliest step: open its form from its summary, then send it without a
    # category first: the summary takes the focus, the field is tied to its message.
    pages.tab_to(driver, "#form-exited > summary")
    pages.press(driver, Keys.ENTER)
    pages.activate(driver, "#form-exited button[type=submit]")
    assert pages.focused_matches(driver, "#form-exited .error-summary"), "the error summary has the focus"
    category = driver.find_element(By.ID, "exited-category")
    assert category.get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, category.get_attribute("aria-describedby")).text
    problems += pages.check_page(driver, folder / "2-exit-refused")
    pages.press(driver, Keys.TAB)  # the summary's link to the field
    assert pages.focused_matches(driver, '.error-summary a[href="#exited-category"]')
    pages.press(driver, Keys.ENTER)
    assert pages.focused_matches(driver, "#exited-category")
    step(driver, "exited", {"category": "Arbete"})
    assert_saved(driver, "Avslut")

    assert "Avslutad" in driver.find_element(By.CSS_SELECTOR, "dl.state").text
    timeline = driver.find_element(By.CSS_SELECTOR, "table.timeline").text
    for label in ("Studiebesök", "Remiss mottagen", "Inskrivning", "Prövotid genomförd", "Uppföljning med remittent",
                  "Avslut"):
        assert label in timeline
    problems += pages.check_page(driver, folder / "3-exited")
    assert not problems, "\n".join(problems)
