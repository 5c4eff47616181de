"""Real-browser tests: search with suggestions and filters, a policy page, the agent console by keyboard."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from kb.store.tables import UnansweredQuestionRow
from tests.search_api.browser.conftest import LiveServer, screenshot
from tests.search_api.conftest import ApiHarness

pytestmark = pytest.mark.browser


def test_search_with_suggestions_then_results(page: Page, live: LiveServer) -> None:
    page.goto(live.url + "/")
    box = page.locator("#q")
    box.click()
    box.press_sequentially("测试市高校", delay=30)
    suggestion = page.locator("#suggestions li").first
    expect(suggestion).to_be_visible()
    expect(suggestion).to_contain_text("测试市高校毕业生创业补贴")
    box.fill("社保补贴")
    box.press("Enter")
    page.wait_for_url("**/?q=*")
    hits = page.locator("li.hit")
    expect(hits.first).to_contain_text("灵活就业人员社会保险工作的通知")
    expect(hits.first.locator(".hit-aside")).to_contain_text("关于灵活就业人员社保补贴政策的解读")
    expect(hits.first.locator(".hit-aside")).to_contain_text("灵活就业人员怎么申请社保补贴")
    expect(hits.first.locator("mark").first).to_be_visible()
    expect(page.locator(".glossary-box")).to_contain_text("社会保险")
    expect(page.locator(".understood")).to_contain_text("理解为")
    screenshot(page, "search-results")


def test_filter_by_validity_facet(page: Page, live: LiveServer) -> None:
    page.goto(live.url + "/?q=创业补贴")
    titles = page.locator("li.hit h3")
    expect(titles.first).to_be_visible()
    before = titles.count()
    assert before >= 2
    page.locator('details[data-facet="validity"] a', has_text="失效").click()
    expect(page.locator(".chip").first).to_contain_text("效力状态：失效")
    expect(titles).to_have_count(1)
    expect(titles.first).to_have_text("测试市高校毕业生创业补贴实施办法")
    expect(page.locator("li.hit .validity-bad")).to_have_text("失效")
    screenshot(page, "search-filtered")
    page.locator(".chip").first.click()  # removing the filter brings the others back
    expect(titles).to_have_count(before)


def test_open_a_policy_from_the_results(page: Page, live: LiveServer) -> None:
    page.goto(live.url + "/?q=中小企业发展条例 第十三条")
    clause = page.locator("li.hit blockquote.clause").first
    expect(clause).to_contain_text("第十三条")
    page.locator("li.hit h3 a", has_text="促进中小企业发展条例").first.click()
    expect(page.locator("h1")).to_have_text("测试市促进中小企业发展条例")
    expect(page.locator("#clause-13")).to_contain_text("贷款贴息补助")
    expect(page.locator(".policy-aside")).to_contain_text("图解《测试市促进中小企业发展条例》")
    screenshot(page, "policy-page")


def test_pages_escape_hostile_text(page: Page, live: LiveServer) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live.url + "/?q=标题转义检查")
    expect(page.locator("li.hit h3")).to_contain_text("<script>alert(1)</script>")
    page.locator("li.hit h3 a").first.click()
    expect(page.locator("h1")).to_contain_text("<script>")
    assert dialogs == []


def test_agent_console_keyboard_only(context: BrowserContext, live: LiveServer, harness: ApiHarness) -> None:
    page = context.new_page()
    page.goto(f"{live.url}/agent#key={harness.agent_key}")
    box = page.locator("#agent-q")
    expect(box).to_be_focused()  # focus on load, the key came from the URL fragment
    assert "key=" not in page.url
    page.keyboard.type("灵活就业的社保补贴怎么申请", delay=20)
    first = page.locator("#agent-results li").first
    expect(first).to_contain_text("灵活就业人员怎么申请社保补贴")
    expect(first).to_have_class("agent-result active")  # an answer, selected, not a dashed candidate
    detail = page.locator("#agent-detail")
    expect(detail.locator("#detail-answer")).to_contain_text("街道社区服务中心")
    expect(detail.locator("#detail-department")).to_contain_text("测试市人力资源和社会保障局")
    expect(detail.locator("#detail-validity")).to_have_text("有效")
    expect(detail.locator("#detail-clause-label")).to_have_text("第三条")
    page.keyboard.press("Alt+KeyC")
    expect(page.locator("#agent-status")).to_have_text("已复制答案")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("就业困难人员灵活就业后缴纳社会保险费的")
    screenshot(page, "agent-answer")

    # Arrows move the selection; Esc clears.
    page.keyboard.press("Escape")
    expect(page.locator("#agent-results li")).to_have_count(0)
    page.keyboard.type("创业补贴多少钱", delay=20)
    page.keyboard.press("Enter")
    expect(page.locator("#agent-results li").first).to_be_visible()
    # Answers come first, then the closest other entries: ArrowDown moves onto the second row.
    expect(page.locator("#agent-results li")).not_to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(page.locator("#agent-results li").nth(1)).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator("#agent-results li").first).not_to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("ArrowUp")
    expect(page.locator("#agent-results li").first).to_have_class(re.compile(r"\bactive\b"))

    # Nothing fits: the no-answer panel, and one key sends the question to the unanswered list.
    page.keyboard.press("Escape")
    page.keyboard.type("火星探测器的发射窗口是什么时候", delay=20)
    page.keyboard.press("Enter")
    expect(page.locator("#agent-none")).to_be_visible()
    with page.expect_request(lambda r: r.url.endswith("/api/consultations") and r.method == "POST") as sent:
        page.keyboard.press("Alt+KeyU")
    body = json.loads(sent.value.post_data or "{}")
    assert body == {"question": "火星探测器的发射窗口是什么时候", "channel": "hotline"}
    assert sent.value.headers["x-api-key"] == harness.agent_key
    assert sent.value.response() is not None and sent.value.response().status == 200
    expect(page.locator("#agent-status")).to_contain_text("已转入待答复清单（编号")
    # The question is now on the unanswered list, once; sending it again adds a count instead.
    with harness.store.read_session() as session:
        rows = (
            session.execute(
                select(UnansweredQuestionRow).where(
                    UnansweredQuestionRow.question == "火星探测器的发射窗口是什么时候"
                )
            )
            .scalars()
            .all()
        )
        assert len(rows) == 1 and "hotline" in rows[0].channels
    screenshot(page, "agent-no-answer")
    page.keyboard.press("Alt+KeyU")
    expect(page.locator("#agent-status")).to_contain_text("已并入相同的待答复问题")


def test_agent_console_asks_for_a_key(page: Page, live: LiveServer) -> None:
    page.goto(live.url + "/agent")
    expect(page.locator("#key-panel")).to_be_visible()
    expect(page.locator("#api-key")).to_be_focused()


def test_mobile_layout(browser, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = ctx.new_page()
    page.goto(live.url + "/?q=补贴")
    expect(page.locator("li.hit").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(page, "search-mobile")
    ctx.close()


def test_pagination(page: Page, live: LiveServer) -> None:
    page.goto(live.url + "/?q=&sort=newest&size=2")
    first_page = page.locator("li.hit h3").all_inner_texts()
    assert len(first_page) == 2
    page.locator(".pagination a[rel=next]").click()
    expect(page.locator(".pagination .current")).to_have_text("2")
    second_page = page.locator("li.hit h3").all_inner_texts()
    assert len(second_page) == 2 and not set(first_page) & set(second_page)
    expect(page.locator("#sort")).to_have_value("newest")  # the sort survives paging


def test_choose_a_suggestion_with_the_keyboard(page: Page, live: LiveServer) -> None:
    page.goto(live.url + "/")
    box = page.locator("#q")
    box.click()
    box.press_sequentially("测试市居住", delay=30)
    expect(page.locator("#suggestions li").first).to_contain_text("测试市居住证办理规定")
    box.press("ArrowDown")
    expect(page.locator("#suggestions li.active")).to_have_count(1)
    box.press("Enter")
    page.wait_for_url("**/?q=*")
    expect(box).to_have_value("测试市居住证办理规定")
    expect(page.locator("li.hit h3").first).to_have_text("测试市居住证办理规定")


def test_api_docs_render_without_internet(page: Page, live: LiveServer) -> None:
    hosts: set[str] = set()
    # Scripts, styles and data must come from this server (ReDoc's footer logo on its CDN is only an image,
    # and the content security policy blocks it).
    page.on(
        "request",
        lambda r: (
            hosts.add(r.url.split("/")[2])
            if r.resource_type in {"script", "stylesheet", "fetch", "xhr"}
            else None
        ),
    )
    page.goto(live.url + "/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/search").first).to_be_visible()
    page.goto(live.url + "/redoc")
    expect(page.locator("h2", has_text="Search policies").first).to_be_visible()
    assert hosts == {f"127.0.0.1:{live.port}"}, hosts  # no CDN
