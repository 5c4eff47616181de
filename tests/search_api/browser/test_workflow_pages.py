"""/staff and /department in real Chromium: list, counts, bulk send, answer, review and publish, export."""


from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from tests.search_api.browser.conftest import LiveServer, screenshot
from tests.search_api.conftest import ApiHarness

pytestmark = pytest.mark.browser

QUESTION = "本市中小学春季开学后课后服务如何收费？"


def test_staff_sends_department_answers_staff_publishes(
    page: Page, live: LiveServer, harness: ApiHarness
) -> None:
    dept_key = (
        ApiKeyService(SqlApiKeyRepository(harness.store), harness.settings)
        .create(Role.DEPARTMENT, department="市教育局")
        .key
    )
    r = harness.client.post(
        "/api/consultations",
        json={"question": QUESTION, "channel": "hotline"},
        headers={"X-API-Key": harness.agent_key},
    )
    assert r.status_code == 200 and r.json()["outcome"] in {"created", "merged"}, r.text
    qid = r.json()["question"]["id"]

    page.goto(f"{live.url}/staff#key={harness.staff_key}")
    row = page.locator(f"#wf-table tr[data-id='{qid}']")
    expect(row).to_contain_text(QUESTION)
    expect(row).to_contain_text("待处理")
    expect(page.locator("#wf-counts")).to_contain_text("超期合计")
    row.locator("input.pick").check()
    page.fill("#bulk-department", "市教育局")
    page.click("#bulk-send")
    expect(page.locator("#wf-status")).to_contain_text("已转办 1 条")
    expect(row).to_contain_text("已转办")
    expect(row).to_contain_text("市教育局")
    expect(page.locator("#wf-counts")).to_contain_text("市教育局：在办")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "staff-list")

    dept = page.context.new_page()
    dept.goto(f"{live.url}/department#key={dept_key}")
    drow = dept.locator(f"#wf-table tr[data-id='{qid}']")
    expect(drow).to_contain_text(QUESTION)
    drow.click()
    expect(dept.locator("#d-title")).to_contain_text(QUESTION)
    dept.fill("#a-text", "课后服务按市发展改革委、市教育局的收费通知执行，家长自愿参加。")
    dept.fill("#a-clause", "第三条")
    dept.click("#answer-form button[type=submit]")
    expect(dept.locator("#wf-status")).to_contain_text("答复已提交")
    expect(drow).to_contain_text("已答复待审核")
    screenshot(dept, "department-answer")

    page.reload()
    row = page.locator(f"#wf-table tr[data-id='{qid}']")
    row.click()
    expect(page.locator("#d-answer")).to_contain_text("课后服务按")
    page.click("#d-accept")
    expect(page.locator("#wf-status")).to_contain_text("已发布为问答")
    expect(page.locator("#d-history")).to_contain_text("published")
    expect(row).to_contain_text("已发布")


def test_staff_page_without_a_key_asks_for_one(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/staff")
    expect(page.locator("#key-panel")).to_be_visible()
    page.fill("#api-key", "pk_wrong_wrong_wrong_wrong_wrong")
    page.click("#save-key")
    expect(page.locator("#wf-status")).to_contain_text("API 密钥无效")


def test_staff_promotes_a_zero_result_search(page: Page, live: LiveServer, harness: ApiHarness) -> None:
    query = "外星人落户积分怎么算"
    assert harness.client.get("/api/search", params={"q": query}).json()["total"] == 0
    page.goto(f"{live.url}/staff#key={harness.staff_key}")
    page.click("#load-gaps")
    item = page.locator("#wf-gaps li", has_text=query)
    expect(item).to_contain_text("无结果")
    item.locator("button.promote").click()
    expect(page.locator("#wf-status")).to_contain_text("已转入待答复")
    expect(page.locator("#wf-table tbody")).to_contain_text(query)
