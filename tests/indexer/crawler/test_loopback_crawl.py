"""A real crawl over loopback against the fixture site: politeness, retries, increments, broken pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.crawler.runner import crawl
from indexer.profiles import load_profile
from indexer.profiles.model import SiteProfile
from kb.models import InterpretationKind
from kb.store import Store
from tests.indexer.crawler.site import Route, SiteServer, build_site

pytestmark = pytest.mark.slow
POLICY = "/zhengce/202501/t20250110_1001.html"


def local_profile(base_url: str) -> SiteProfile:
    """The shipped beijing profile pointed at the fixture site, with short timeouts and back-offs."""
    beijing = load_profile("beijing")
    data = beijing.model_dump()
    data.update(start_urls=[f"{base_url}/zhengce/index.html"], allowed_hosts=[])
    data["fetch"].update(
        requests_per_second=50,
        concurrency=2,
        timeout_seconds=1.0,
        attempts=3,
        backoff_initial_seconds=0.05,
        backoff_max_seconds=0.2,
        max_retry_after_seconds=5,
    )
    return SiteProfile.model_validate(data)


def key(base_url: str, path: str) -> tuple[str, str]:
    return "beijing", f"{base_url}{path}"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'kb.db'}")


def test_crawl_gets_what_is_allowed_retries_what_it_should_and_skips_what_it_must(
    tmp_path: Path, store: Store
) -> None:
    site = build_site()
    with SiteServer(site) as server:
        base, state = server.base_url, tmp_path / "state.sqlite"
        profile = local_profile(base)
        summary = crawl(profile, store, state_path=state)
        failed = {f.url.removeprefix(base): f.reason for f in summary.failed}

        # Both list pages (TRS createPageHTML pagination), seven policies and the 解读 were written.
        assert summary.list_pages == 2
        assert summary.new == 8, summary
        for path in (
            POLICY,
            "/zhengce/202501/t20250112_1002.html",
            "/flaky/t20250116_1003.html",
            "/zhengce/t20250118_1005.html",
            "/busy/t20250120_1006.html",
            "/bad/t20250123_1105.html",
        ):
            assert store.get_policy_by_key(*key(base, path)) is not None, path

        policy = store.get_policy_by_key(*key(base, POLICY))
        assert policy is not None
        assert policy.doc_number == "京政办发〔2025〕3号" and policy.issuing_bodies == [
            "北京市人民政府办公厅"
        ]
        assert str(policy.publish_date) == "2025-01-10" and policy.validity.value == "有效"
        assert [c.label for c in policy.clauses if c.number] == ["第一条", "第二条", "第三条"]
        assert [a.file_type for a in policy.attachments] == ["pdf"]
        assert "分享到" not in policy.text and "扫一扫" not in policy.text

        gbk = store.get_policy_by_key(*key(base, "/zhengce/202501/t20250112_1002.html"))
        assert (
            gbk is not None and gbk.title == "北京市老旧小区综合整治工作实施办法" and "失养失修" in gbk.text
        )
        mislabelled = store.get_policy_by_key(*key(base, "/bad/t20250123_1105.html"))
        assert mislabelled is not None and mislabelled.title == "北京市政务服务事项告知承诺办法"
        assert "审批部门可以当场作出决定" in mislabelled.text

        interpretation = store.get_interpretation_by_key(*key(base, "/zcjd/202501/t20250115_2001.html"))
        assert interpretation is not None and interpretation.kind is InterpretationKind.GRAPHIC
        assert interpretation.policy_keys == [f"beijing:{base}{POLICY}"]
        assert summary.interpretations_linked == 1

        # Retries: 500 twice then OK; one 429 honoured; timeouts retried until attempts ran out; 404 never.
        assert site.hits["/flaky/t20250116_1003.html"] == 3
        assert site.hits["/busy/t20250120_1006.html"] == 2
        assert (
            site.hits["/slow/t20250121_1007.html"] == 3 and "timeout" in failed["/slow/t20250121_1007.html"]
        )
        assert site.hits["/gone/t20250122_1008.html"] == 1 and "404" in failed["/gone/t20250122_1008.html"]
        # Skipped: robots.txt path never requested; the redirect followed once; the PDF not downloaded.
        assert site.hits["/private/t20250117_1004.html"] == 0
        assert summary.skipped.get("robots.txt disallowed") == 1
        assert site.hits["/old/t20250118_1005.html"] == 1 and site.hits["/zhengce/t20250118_1005.html"] == 1
        assert site.hits["/files/P020250110_稳岗扩岗申报表.pdf"] == 0
        # Broken pages are reported with a reason and never stop the crawl.
        assert "empty" in failed["/bad/t20250123_1102.html"]
        assert "too large" in failed["/bad/t20250123_1103.html"]
        assert "binary" in failed["/bad/t20250123_1104.html"]
        truncated = store.get_policy_by_key(*key(base, "/bad/t20250123_1101.html"))
        assert truncated is not None and truncated.text == "第一条 公共图书馆、文化馆每周开放"
        assert any("1105" in w and "declared charset utf-8" in w for w in summary.warnings)
        assert all("policykb" in agent for agent in site.user_agents)

        # A second crawl sends conditional requests and writes nothing.
        revision = store.current_revision()
        again = crawl(profile, store, state_path=state)
        assert (again.new, again.changed) == (0, 0), again
        assert store.current_revision() == revision
        assert site.not_modified[POLICY] == 1 and again.not_modified >= 6

        # A changed page is picked up, and only that one is written.
        changed = (Path(__file__).parents[1] / "fixtures" / "site" / "policy_1003.html").read_text(
            encoding="utf-8"
        )
        site.set_page("/flaky/t20250116_1003.html", changed.replace("五十六小时", "六十小时"))
        third = crawl(profile, store, state_path=state)
        assert (third.new, third.changed) == (0, 1), third
        updated = store.get_policy_by_key(*key(base, "/flaky/t20250116_1003.html"))
        assert updated is not None and "六十小时" in updated.text


def test_interrupted_crawl_resumes_without_duplicates(tmp_path: Path, store: Store) -> None:
    site = build_site()
    with SiteServer(site) as server:
        profile, state = local_profile(server.base_url), tmp_path / "state.sqlite"
        first = crawl(profile, store, state_path=state, max_pages=4)
        assert first.budget_exhausted
        rest = crawl(profile, store, state_path=state)
        assert rest.resumed and not rest.budget_exhausted
        assert first.new + rest.new == 8
        # Each list page was fetched exactly once across the interrupted run and its resumption.
        assert site.hits["/zhengce/index.html"] == 1 and site.hits["/zhengce/index_1.html"] == 1
        assert store.counts()["policies"] == 7


def test_state_of_another_store_is_not_trusted(tmp_path: Path, store: Store) -> None:
    site = build_site()
    with SiteServer(site) as server:
        profile, state = local_profile(server.base_url), tmp_path / "state.sqlite"
        crawl(profile, store, state_path=state)
        other = Store(f"sqlite:///{tmp_path / 'other.db'}")
        again = crawl(profile, other, state_path=state)
        assert again.new == 8 and "another store" in " ".join(again.warnings)
        assert other.counts()["policies"] == 7


def test_robots_txt_answering_5xx_skips_the_host(tmp_path: Path, store: Store) -> None:
    site = build_site()
    site.routes["/robots.txt"] = Route(b"down", "text/plain", status=503)
    with SiteServer(site) as server:
        summary = crawl(local_profile(server.base_url), store, state_path=tmp_path / "state.sqlite")
    assert summary.skipped == {"robots.txt answered HTTP 503": 1}
    assert summary.new == 0 and site.hits["/zhengce/index.html"] == 0 and site.hits["/robots.txt"] == 1
