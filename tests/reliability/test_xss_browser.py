"""XSS payloads planted in a policy, a Q&A pair and an unanswered question stay text on every page.

Real Chromium (Playwright, /usr/bin/chromium) against a live server. Each payload would set
``window.__xss`` or open a dialog if it ran; on /, /policies/{id} (with highlights), /agent (Q&A results and
detail), /staff and /department the flag stays unset, no dialog opens, no planted element exists, and the
payload is shown as the literal text it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Dialog, Page, expect

from indexer.index_sync import sync_index
from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from kb.models import Policy, Provenance, QAPair, Validity
from tests.search_api.browser import conftest as browser_fixtures
from tests.search_api.browser.conftest import LiveServer
from tests.search_api.conftest import ApiHarness, make_settings

pytestmark = pytest.mark.browser

# The browser fixtures of the page tests, over this module's own harness (the planted payloads).
browser = browser_fixtures.browser
context = browser_fixtures.context
page = browser_fixtures.page
live = browser_fixtures.live

DEPT = "市住房和城乡建设委员会"
IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SVG = '<svg onload="window.__xss=2;alert(2)">'
SCRIPT = "<script>window.__xss=3;alert(3)</script>"
TITLE = f"关于{IMG}发放住房租赁补贴的通知"
QUESTION = f"住房租赁补贴{SVG}怎么申请？"
#: Its own payload words: sharing "window.__xss" with the Q&A answer lets the matcher answer it instead.
DETAILS = '<details open ontoggle="top.pwned=4;confirm(4)">'
UNANSWERED = f"{DETAILS}城市道路井盖破损应该向哪个部门反映？"


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiHarness]:
    h = ApiHarness(make_settings(tmp_path_factory.mktemp("xss"), "sqlite", search_timeout_seconds=20))
    h.store.upsert_policies(
        [
            Policy(
                provenance=Provenance(source="xss", source_id="p"),
                title=TITLE,
                text=f"第一条 住房租赁补贴按月发放。{SCRIPT}\n第二条 申请住房租赁补贴{IMG}应当提交材料。",
                keywords=[f"住房租赁补贴{SVG}"],
                issuing_bodies=[f"市住建委{IMG}"],
                validity=Validity.VALID,
                publish_date=date(2024, 3, 1),
            )
        ]
    )
    h.store.upsert_qa_pairs(
        [
            QAPair(
                provenance=Provenance(source="xss", source_id="q"),
                question=QUESTION,
                answer=f"住房租赁补贴{IMG}向街道提交申请{SCRIPT}。",
                policy_key="xss:p",
            )
        ]
    )
    assert sync_index(h.store, h.backend).ok
    yield h
    h.close()


def _watch(page: Page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _assert_inert(page: Page, dialogs: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[window.__xss, window.pwned]") == [None, None], page.url
    assert dialogs == [], page.url
    assert (
        page.locator("img[src='x'], svg[onload], details[ontoggle], script:has-text('__xss')").count() == 0
    ), page.url


def test_public_pages_and_highlights(page: Page, live: LiveServer, harness: ApiHarness) -> None:
    dialogs = _watch(page)
    page.goto(live.url + "/?q=住房租赁补贴")
    hit = page.locator("li.hit").first
    expect(hit).to_contain_text("onerror=")  # the title, shown as text
    _assert_inert(page, dialogs)
    page.goto(live.url + "/?q=申请住房租赁补贴 提交材料")  # a body highlight around the payload
    expect(page.locator("li.hit").first).to_contain_text("提交材料")
    _assert_inert(page, dialogs)
    page.locator("li.hit h3 a").first.click()
    expect(page.locator("h1")).to_contain_text("onerror=")
    expect(page.locator("body")).to_contain_text("<script>window.__xss=3")
    _assert_inert(page, dialogs)


def test_agent_console(page: Page, live: LiveServer, harness: ApiHarness) -> None:
    dialogs = _watch(page)
    page.goto(f"{live.url}/agent#key={harness.agent_key}")
    page.locator("#agent-q").fill("住房租赁补贴怎么申请")
    page.keyboard.press("Enter")
    expect(page.locator("#agent-results li").first).to_contain_text("住房租赁补贴")
    page.locator("#agent-results li").first.click()
    expect(page.locator("#agent-detail")).to_contain_text("向街道提交申请")
    _assert_inert(page, dialogs)


def test_staff_and_department_pages(page: Page, live: LiveServer, harness: ApiHarness) -> None:
    r = harness.client.post(
        "/api/consultations",
        json={"question": UNANSWERED, "channel": "hotline"},
        headers={"X-API-Key": harness.agent_key},
    )
    assert r.status_code == 200 and r.json()["outcome"] == "created", r.text
    qid = r.json()["question"]["id"]
    sent = harness.client.post(
        f"/api/questions/{qid}/send", json={"department": DEPT}, headers={"X-API-Key": harness.staff_key}
    )
    assert sent.status_code == 200, sent.text
    dept_key = (
        ApiKeyService(SqlApiKeyRepository(harness.store), harness.settings)
        .create(Role.DEPARTMENT, department=DEPT)
        .key
    )
    dialogs = _watch(page)
    for path, key in (("/staff", harness.staff_key), ("/department", dept_key)):
        page.goto(f"{live.url}{path}#key={key}")
        row = page.locator(f"#wf-table tr[data-id='{qid}']")
        expect(row).to_contain_text("<details open ontoggle=")
        row.click()
        _assert_inert(page, dialogs)
