"""The portal in a real browser: Playwright driving the system's chromium
(scripts/install-system-deps installs it; `playwright install` is never
run) against `yusuan serve` in a subprocess. One server and one browser for
the module; each test gets a fresh browser context (its own cookies), and
every page it opens must fetch nothing from another host (the portal works
offline) and throw no script error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("uvicorn", reason="the portal needs the web extra: pip install -e '.[web]'")
httpx = pytest.importorskip("httpx", reason="the portal needs the web extra: pip install -e '.[web]'")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="browser tests need Playwright: pip install -e '.[browser]'")
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("browser tests need Debian's chromium: scripts/install-system-deps", allow_module_level=True)

from web_server import Portal  # noqa: E402

expect = sync_api.expect
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JINZHOU = EXAMPLES / "jinzhou-2026.txt"
DEPARTMENT = "晋州市医疗保障局"
# the T05 finding: the explanation says 三公 0万元, the 三公 table sums to 10.18
THREE_PUBLIC = "“三公”经费预算安排0万元"
PHONE = {"width": 390, "height": 844}
NAV = {"/": "首页", "/departments": "部门", "/bureau": "年度汇总", "/peers": "横向比较", "/compare": "对比", "/docs": "接口"}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with Portal(tmp_path_factory.mktemp("portal"), examples=False) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def jinzhou_id(portal) -> int:
    """晋州's document id. Stored through the API so the pages' tests do not
    hang on the upload page's; the same bytes uploaded again (by the
    upload test) are the same document."""
    with JINZHOU.open("rb") as f:
        r = httpx.post(f"{portal.url}/api/documents", params={"wait": "true"},
                       files=[("files", (JINZHOU.name, f, "text/plain"))], timeout=120)
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["errors"] == 0, job
    (document,) = job["document_ids"]
    return document


def _open(browser, portal, request, **context_options):
    context = browser.new_context(base_url=portal.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.foreign, page.script_errors = [], []
    origin = portal.url + "/"

    def seen(req):
        if not req.url.startswith((origin, "data:", "blob:")):
            page.foreign.append(req.url)

    context.on("request", seen)
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    request.addfinalizer(context.close)
    return page


def _checked(page):
    assert page.foreign == [], f"requests to another host: {page.foreign}"
    assert page.script_errors == [], f"script errors: {page.script_errors}"


@pytest.fixture
def page(browser, portal, request):
    opened = _open(browser, portal, request, viewport={"width": 1280, "height": 900})
    yield opened
    _checked(opened)


@pytest.fixture
def phone(browser, portal, request):
    opened = _open(browser, portal, request, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield opened
    _checked(opened)


def _finding(page):
    return page.locator('.finding[data-rule="T05"]', has_text=THREE_PUBLIC)


def _no_sideways_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: the page scrolls sideways ({widths[0]} px wide in {widths[1]})"


def test_upload_through_the_home_page_reaches_the_document_by_the_job_page(page):
    page.goto("/")
    page.locator('input[type="file"]').set_input_files(JINZHOU)
    page.locator('form:has(input[type="file"]) [type="submit"]').click()
    page.wait_for_url(re.compile(r"/jobs/[^/?#]+$"))
    # the job page links to the document once it is read
    link = page.locator('main a[href*="/documents/"]').first
    expect(link).to_be_visible(timeout=60_000)
    link.click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    expect(page.locator("main")).to_contain_text(DEPARTMENT)
    expect(_finding(page)).to_have_count(1)
    expect(page.locator("#count-error")).to_have_text("3")


def test_a_finding_links_to_its_cell_highlighted_in_the_table(page, jinzhou_id):
    page.goto(f"/documents/{jinzhou_id}")
    finding = _finding(page)
    expect(finding).to_have_attribute("data-severity", "error")
    expect(finding).to_have_attribute("data-status", "open")
    finding.locator("a.cell-link").click()
    page.wait_for_url(re.compile(rf"/documents/{jinzhou_id}/tables/[^/?]+\?.*row=.+"))
    assert "col=" in page.url
    cell = page.locator("td.highlight")
    expect(cell).to_have_count(1)
    expect(cell).to_be_visible()
    expect(cell).to_have_id("hl")
    expect(cell).to_be_in_viewport()
    expect(page.locator("tr.highlight-row")).to_have_count(1)
    expect(page.locator("tr.highlight-row td.highlight")).to_have_count(1)
    # the 三公 table's subtotal the explanation contradicts
    expect(page.locator("tr.highlight-row")).to_contain_text("10.18")


def test_dismissing_a_finding_with_a_note_leaves_it_out_of_the_counts_and_reopening_counts_it(page, portal, jinzhou_id):
    page.goto(f"/documents/{jinzhou_id}")
    finding = _finding(page)
    expect(page.locator("#count-error")).to_have_text("3")
    finding.locator("a.cell-link").click()
    page.wait_for_url(re.compile(r"/tables/"))
    page.go_back()
    page.wait_for_url(re.compile(rf"/documents/{jinzhou_id}$"))
    finding_id = finding.get_attribute("id")
    assert re.fullmatch(r"finding-\d+", finding_id), finding_id
    same = page.locator(f"#{finding_id}")  # htmx may swap the element: find it by id after each click

    same.locator('input[name="note"], textarea[name="note"]').fill("说明与表一致后再核")
    same.locator('button[name="status"][value="dismissed"]').click()
    expect(page.locator("#count-error")).to_have_text("2")
    expect(same).to_have_attribute("data-status", "dismissed")
    stored = _review(portal, jinzhou_id, finding_id)
    assert (stored["status"], stored["note"]) == ("dismissed", "说明与表一致后再核")

    same.locator('button[name="status"][value="open"]').click()
    expect(page.locator("#count-error")).to_have_text("3")
    expect(same).to_have_attribute("data-status", "open")
    page.reload()  # the state is the store's, not the page's
    expect(page.locator("#count-error")).to_have_text("3")
    expect(page.locator(f"#{finding_id}")).to_have_attribute("data-status", "open")


def _review(portal, document_id: int, finding_id: str) -> dict:
    findings = httpx.get(f"{portal.url}/api/documents/{document_id}/findings").json()
    return next(f["review"] for f in findings if f"finding-{f['id']}" == finding_id)


@pytest.mark.parametrize("where", ["home", "document", "table"])
def test_at_phone_width_the_page_does_not_scroll_sideways(phone, jinzhou_id, where):
    phone.goto("/" if where == "home" else f"/documents/{jinzhou_id}")
    if where == "table":
        href = _finding(phone).locator("a.cell-link").get_attribute("href")
        phone.goto(href)
        # a wide table scrolls in its own box, and the cell is brought into view there
        expect(phone.locator("td.highlight")).to_be_in_viewport()
    phone.wait_for_load_state("load")
    _no_sideways_scroll(phone)


def test_at_phone_width_the_nav_reaches_every_part(phone, jinzhou_id):
    phone.goto(f"/documents/{jinzhou_id}")
    for href, label in NAV.items():
        link = phone.locator(f'nav a[href="{href}"]')
        expect(link).to_have_count(1)
        expect(link).to_contain_text(label)
    link = phone.locator('nav a[href="/departments"]')
    if not link.is_visible():
        # a collapsed menu: its toggle is the one visible control in the nav
        phone.locator("nav button, nav summary, nav [aria-controls]").first.click()
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["height"] >= 24, f"a tap target {box['height']} px high"
    link.tap()
    phone.wait_for_url(re.compile(r"/departments$"))
    _no_sideways_scroll(phone)


def test_the_api_docs_load_from_the_portal_alone(page, portal):
    requested = []
    page.on("request", lambda req: requested.append(req.url))
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("yusuan")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert requested, "no request was recorded"
    assert all(url.startswith(portal.url + "/") for url in requested), requested


def test_the_departments_grid_leads_to_a_department_with_charts(page, jinzhou_id):
    page.goto("/departments")
    link = page.locator(f'main a[href="/departments/{quote(DEPARTMENT)}"], main a[href="/departments/{DEPARTMENT}"]')
    expect(link.first).to_be_visible()
    expect(page.locator("main")).to_contain_text("2026")
    link.first.click()
    page.wait_for_url(re.compile(r"/departments/[^/]+$"))
    expect(page.locator("main")).to_contain_text(DEPARTMENT)
    _has_a_chart(page)


def test_peers_chart_one_figure_across_departments(page, jinzhou_id):
    page.goto("/peers?year=2026")
    _has_a_chart(page)
    expect(page.locator("main table")).to_contain_text(DEPARTMENT)


def test_the_bureau_page_lists_the_year(page, jinzhou_id):
    page.goto("/bureau?year=2026")
    expect(page.locator("main")).to_contain_text(DEPARTMENT)


def test_compare_puts_two_documents_side_by_side(page, jinzhou_id):
    page.goto(f"/compare?a={jinzhou_id}&b={jinzhou_id}")
    expect(page.locator("main")).to_contain_text(DEPARTMENT)


def _has_a_chart(page):
    # ECharts marks the box it drew in and draws a canvas or an SVG (its renderer
    # is the page's choice) sized to that box: a zero-sized one is a chart nobody sees
    drawn = page.locator("main [_echarts_instance_] :is(canvas, svg)").first
    expect(drawn).to_be_visible()
    box = drawn.bounding_box()
    assert box["width"] > 100 and box["height"] > 100, box


def test_the_bureau_page_names_the_expected_departments_that_are_missing(page, jinzhou_id, tmp_path):
    listed = tmp_path / "名单.csv"
    listed.write_text(f"部门\n{DEPARTMENT}\n辛集市财政局\n", encoding="utf-8")
    page.goto("/bureau?year=2026")
    form = page.locator('form[action="/bureau/expected"]')
    form.locator('input[type="file"]').set_input_files(listed)
    form.locator('[type="submit"]').click()
    expect(page.locator("#missing")).to_contain_text("辛集市财政局")
    expect(page.locator("#missing")).not_to_contain_text(DEPARTMENT)


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_the_review_downloads_from_the_document_page(page, jinzhou_id, suffix):
    page.goto(f"/documents/{jinzhou_id}")
    with page.expect_download() as started:
        page.locator(f'a[href$="/documents/{jinzhou_id}/review.{suffix}"]').click()
    download = started.value
    assert download.suggested_filename.endswith(f".{suffix}"), download.suggested_filename
    assert Path(download.path()).read_bytes()[:2] == b"PK"  # both are zip packages
