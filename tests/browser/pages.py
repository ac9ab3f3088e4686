"""What the browser tests do to a page: keyboard moves, the axe-core check, the width check,
screenshots, and a crawler that follows every same-site link a role can see."""

import re
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyotp
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = files("axe_core_python").joinpath("axe.min.js")  # axe-core 4.x, as the package ships it
DESKTOP, PHONE, NARROWEST = 1280, 390, 360
PAGE_HEIGHT = 900
SCREENSHOT_MAX_HEIGHT = 6000
TAB_LIMIT = 250
# A path segment that names a record (uuid, number, token) rather than a page.
RECORD_SEGMENT = re.compile(r"^(?=.*\d)[0-9A-Za-z_-]{6,}$|^\d+$")


# --- keyboard -------------------------------------------------------------------------------------

def press(driver, *keys) -> None:
    """Keys sent to whatever has the focus, as a keyboard would (no element is clicked)."""
    ActionChains(driver).send_keys(*keys).perform()


def focused_matches(driver, css: str) -> bool:
    return driver.execute_script("return document.activeElement && document.activeElement.matches(arguments[0])", css)


def tab_to(driver, css: str) -> None:
    """Press Tab until the focus is on the element `css` matches."""
    for _ in range(TAB_LIMIT):
        if focused_matches(driver, css):
            return
        press(driver, Keys.TAB)
    raise AssertionError(f"Tab never reached {css} on {driver.current_url}")


def type_into(driver, css: str, text: str) -> None:
    tab_to(driver, css)
    press(driver, text)


def choose(driver, css: str, option_text: str) -> None:
    """Pick a select's option by typing its label, as a keyboard user does."""
    tab_to(driver, css)
    press(driver, option_text)
    chosen = driver.execute_script("const s = document.activeElement; return s.options[s.selectedIndex].text", )
    assert chosen.startswith(option_text), f"typing {option_text!r} chose {chosen!r}"


def activate(driver, css: str) -> None:
    """Tab to a link or button and press Enter; waits for the next page when it navigates."""
    tab_to(driver, css)
    old = driver.find_element(By.TAG_NAME, "html")
    press(driver, Keys.ENTER)
    wait_for_next_page(driver, old)


def wait_for_next_page(driver, old_html) -> None:
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(old_html))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in_by_keyboard(driver, base: str, email: str, password: str) -> None:
    """Password, then the authenticator code (the first sign-in sets the app up: the key is read
    from the page and the code computed here), then past the recovery codes."""
    driver.get(base + "/login")
    type_into(driver, "#email", email)
    type_into(driver, "#password", password)
    old = driver.find_element(By.TAG_NAME, "html")
    press(driver, Keys.ENTER)
    wait_for_next_page(driver, old)
    if driver.current_url.endswith("/login/enrol"):
        secret = driver.find_element(By.CSS_SELECTOR, "main code").text.strip()
        type_into(driver, "#code", pyotp.TOTP(secret).now())
        old = driver.find_element(By.TAG_NAME, "html")
        press(driver, Keys.ENTER)
        wait_for_next_page(driver, old)
        activate(driver, "main a")
    assert "/login" not in urlsplit(driver.current_url).path, driver.current_url


# --- checks ----------------------------------------------------------------------------------------

def set_width(driver, width: int, height: int = PAGE_HEIGHT) -> None:
    """The viewport exactly `width` CSS pixels wide (a phone honours the viewport meta tag)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < DESKTOP})
    settle(driver)


def settle(driver) -> None:
    """Wait two frames, so that layout and the page's resize handlers have run."""
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
    """)


def axe_violations(driver) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds on the page as it is now, one line each."""
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
          .then(r => done({violations: r.violations.map(v => ({id: v.id, help: v.help,
                                                               targets: v.nodes.slice(0, 5).map(n => n.target)}))}),
                e => done({error: String(e)}));
    """, WCAG_TAGS)
    assert "error" not in results, f"axe-core failed: {results.get('error')}"
    return [f"{v['id']}: {v['help']} at {v['targets']}" for v in results["violations"]]


def sideways_overflow(driver, width: int) -> str | None:
    """None when nothing scrolls sideways at `width`; else the page's width and the elements to blame.

    Compared with the emulated width itself: on a phone the browser widens the layout viewport
    (and `innerWidth`) to fit a page that is too wide, so `innerWidth` alone could hide it.
    """
    return driver.execute_script("""
        const width = arguments[0], doc = document.documentElement;
        const page = Math.max(doc.scrollWidth, window.innerWidth);
        if (page <= width) return null;
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('table, .report-table'))
          .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''));
        return page + ' > ' + width + ': ' + wide.join(', ');
    """, width)


def menu_states(driver):
    """The page with its menu as it is, then opened (the state a phone user reaches to sign out)."""
    yield "menu closed"
    if driver.execute_script("const m = document.querySelector('details.menu'); if (m) { m.open = true; } return !!m"):
        yield "menu open"
        driver.execute_script("document.querySelector('details.menu').open = false")


def screenshot(driver, path: Path, width: int) -> None:
    """The whole page (up to a limit) at `width`."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    set_width(driver, width, min(max(height, PAGE_HEIGHT), SCREENSHOT_MAX_HEIGHT))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    set_width(driver, width)


def check_page(driver, screenshot_path: Path | None = None) -> list[str]:
    """Axe at desktop and phone width, and nothing scrolling sideways at 390 and 360 px (the
    narrowest screen the pages are made for): the problems found."""
    problems = []
    for width in (DESKTOP, PHONE):
        set_width(driver, width)
        problems += [f"{width}px {v}" for v in axe_violations(driver)]
        if width == PHONE:
            problems += [f"{width}px {state} scrolls sideways: {overflow}" for state in menu_states(driver)
                         if (overflow := sideways_overflow(driver, width))]
        if screenshot_path is not None:
            screenshot(driver, screenshot_path.with_name(f"{screenshot_path.name}-{width}.png"), width)
    set_width(driver, NARROWEST)
    problems += [f"{NARROWEST}px {state} scrolls sideways: {overflow}" for state in menu_states(driver)
                 if (overflow := sideways_overflow(driver, NARROWEST))]
    set_width(driver, DESKTOP)
    return [f"{urlsplit(driver.current_url).path}: {p}" for p in problems]


# --- crawling ---------------------------------------------------------------------------------------

def page_kind(url: str) -> str:
    """What kind of page a URL is: its path with record ids masked and its query's keys, so a list
    of 60 participants is visited once, not 60 times."""
    parts = urlsplit(url)
    path = "/".join("{id}" if RECORD_SEGMENT.match(s) else s for s in parts.path.split("/"))
    keys = sorted({k for k, _ in parse_qsl(parts.query)})
    return path + ("?" + "&".join(keys) if keys else "")


def links_on_page(driver, origin: str) -> list[str]:
    """Every same-site link of the page (navigation and content), without fragments."""
    hrefs = driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
    return [h.split("#")[0] for h in hrefs if h.startswith(origin + "/")]


def is_html_page(driver, url: str) -> bool:
    """Asked with a HEAD request from the page (the session's cookie goes with it): downloads such
    as CSV, XLSX, JSON or calendar feeds are not pages to check."""
    kind = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {method: 'HEAD', credentials: 'same-origin', redirect: 'follow'})
          .then(r => done(r.ok ? (r.headers.get('content-type') || '') : 'status ' + r.status))
          .catch(e => done('error ' + e));
    """, url)
    return kind.startswith("text/html")


def crawl(driver, origin: str, start: str, visit, limit: int = 60) -> list[str]:
    """Visit `start` and every page of a kind not seen yet that its links lead to, breadth first;
    `visit(driver, kind)` checks each page. Returns the kinds visited."""
    queue, seen = [start], {page_kind(start)}
    visited = []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        if url != start and not is_html_page(driver, url):
            continue
        driver.get(url)
        kind = page_kind(url)
        visited.append(kind)
        visit(driver, kind)
        for link in links_on_page(driver, origin):
            if (link_kind := page_kind(link)) not in seen:
                seen.add(link_kind)
                queue.append(link)
    return visited


def file_name(kind: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", kind).strip("-") or "start"
