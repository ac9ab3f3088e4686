"""Every page and state each role reaches: no WCAG 2.1 A/AA violation (axe-core) at desktop and
phone width, and nothing scrolls sideways at 390 px. Pages are found by following the links of
the navigation and the pages themselves, so pages added later are covered without a list here;
the main forms' error states are added by submitting them with bad input."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import pages
from tests.browser.conftest import new_driver

ROLES = ("coach", "team_lead", "referrer", "analyst", "auditor", "admin")


pytestmark = pytest.mark.browser


def submit_form(driver, form_css: str, values: dict[str, str]) -> None:
    """Fill the form's fields by name and send it, the browser's own checks off (bad input on purpose)."""
    form = driver.find_element(By.CSS_SELECTOR, form_css)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("""
        const form = arguments[0], values = arguments[1];
        for (const [name, value] of Object.entries(values)) { form.elements[name].value = value; }
        form.noValidate = true;
        form.requestSubmit();
    """, form, values)
    pages.wait_for_next_page(driver, old)


def open_first_link(driver, css: str) -> bool:
    links = driver.find_elements(By.CSS_SELECTOR, css)
    if not links:
        return False
    driver.get(links[0].get_attribute("href"))
    return True


def password_error(driver, base):
    driver.get(base + "/account")
    submit_form(driver, 'form[action$="/account/password"]', {"current": "inte-mitt-losenord", "password": "x",
                                                              "repeated": "y"})


def coach_errors(driver, base):
    """The registration, a step and a correction, each refused."""
    driver.get(base + "/teams")
    assert open_first_link(driver, 'a[href$="/participants/new"]')
    submit_form(driver, "main form", {"birth_year": "tusen", "date": "2021-13-45"})
    yield "register-refused"
    driver.get(base + "/teams")
    assert open_first_link(driver, 'table a[href*="/participants/"]')
    form_id = driver.execute_script("return document.querySelector('details.event-form[open]').id")
    kind = form_id.removeprefix("form-")
    submit_form(driver, f"#{form_id} form", {f"{kind}-date": "2021-13-45"})
    yield "step-refused"
    assert open_first_link(driver, 'a[href*="/correct"]')
    submit_form(driver, "main form", {"reason": ""})
    yield "correction-refused"


def team_lead_errors(driver, base):
    driver.get(base + "/teams")
    assert open_first_link(driver, 'table a[href*="/participants/"]')
    if open_first_link(driver, 'a[href*="/protection/participants/"]'):
        submit_form(driver, 'form[action$="/erase"]', {"reason": "", "confirm": "fel"})
        yield "erase-refused"


def referrer_errors(driver, base):
    driver.get(base + "/schedule")
    forms = driver.find_elements(By.CSS_SELECTOR, 'form[action$="/book"]')
    if forms:
        submit_form(driver, 'form[action$="/book"]', {"scheduled_for": "2001-01-01"})
        yield "booking-refused"


def analyst_errors(driver, base):
    driver.get(base + "/reports/?from=2021-13-01&to=2021-01-01")
    yield "report-bad-period"


def auditor_errors(driver, base):
    driver.get(base + "/protection/access-log?from=2021-13-01")
    yield "access-log-bad-date"


ERROR_STATES = {"coach": coach_errors, "team_lead": team_lead_errors, "referrer": referrer_errors,
                "analyst": analyst_errors, "auditor": auditor_errors}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_passes_axe_and_fits_a_phone(browser_for, demo_server, screenshots, role):
    base, _ = demo_server
    driver = browser_for(role)
    problems: list[str] = []

    def visit(page_driver, kind):
        problems.extend(pages.check_page(page_driver, screenshots / role / pages.file_name(kind)))

    visited = pages.crawl(driver, base, driver.current_url if driver.current_url.startswith(base) else base + "/",
                          visit)
    assert len(visited) >= 2, visited
    password_error(driver, base)
    problems.extend(pages.check_page(driver, screenshots / role / "password-refused"))
    for state in ERROR_STATES.get(role, lambda d, b: iter(()))(driver, base):
        if state.endswith("-refused"):
            assert driver.find_elements(By.CSS_SELECTOR, ".error-summary, .flash.error, .error"), state
        problems.extend(pages.check_page(driver, screenshots / role / state))
    assert not problems, "\n".join(problems)


def test_the_sign_in_page_and_its_error_pass_axe_and_fit_a_phone(demo_server, screenshots):
    base, accounts = demo_server
    driver = new_driver()
    try:
        driver.get(base + "/login")
        problems = pages.check_page(driver, screenshots / "signed-out" / "login")
        submit_form(driver, "main form", {"email": accounts["coach"][0], "password": "fel-losenord"})
        assert driver.find_elements(By.CSS_SELECTOR, ".error-summary, .error")
        problems += pages.check_page(driver, screenshots / "signed-out" / "login-refused")
    finally:
        driver.quit()
    assert not problems, "\n".join(problems)
