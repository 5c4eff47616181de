"""Retry decisions, Retry-After parsing, profile loading and the TRS pagination adapter."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from indexer.crawler.fetcher import parse_retry_after
from indexer.crawler.retrying import should_retry, with_retries
from indexer.errors import (
    ContentError,
    PermanentFetchError,
    RateLimitedError,
    RobotsDisallowedError,
    TransientFetchError,
)
from indexer.profiles import ProfileError, available_profiles, load_profile, with_start_urls
from indexer.profiles.beijing import parse_list
from indexer.profiles.generic import parse_detail as generic_detail
from indexer.profiles.model import FetchRules

RULES = FetchRules(
    attempts=3, backoff_initial_seconds=0.0, backoff_max_seconds=0.0, max_retry_after_seconds=2
)


def test_retry_after_seconds_and_http_dates() -> None:
    assert parse_retry_after("7") == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    assert 100 < (parse_retry_after(later) or 0) <= 120
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (TransientFetchError("u", "timeout"), True),
        (RateLimitedError("u", "429", retry_after=1), True),
        (PermanentFetchError("u", "HTTP 404", status=404), False),
        (RobotsDisallowedError("u", "robots"), False),
        (ContentError("binary"), False),
        (ValueError("a bug"), False),
    ],
)
def test_error_classes_say_whether_to_retry(error: Exception, retried: bool) -> None:
    assert should_retry(error) is retried


def _calls_until(errors: list[Exception]) -> tuple[int, object]:
    calls = 0

    async def call() -> str:
        nonlocal calls
        calls += 1
        if errors:
            raise errors.pop(0)
        return "ok"

    try:
        result: object = asyncio.run(with_retries(call, RULES))
    except Exception as exc:
        result = exc
    return calls, result


def test_transient_errors_are_retried_until_success() -> None:
    assert _calls_until([TransientFetchError("u", "HTTP 500"), TransientFetchError("u", "HTTP 502")]) == (
        3,
        "ok",
    )


def test_permanent_errors_are_never_retried() -> None:
    calls, result = _calls_until([PermanentFetchError("u", "HTTP 403", status=403)])
    assert calls == 1 and isinstance(result, PermanentFetchError)


def test_retry_after_beyond_the_cap_gives_up_at_once() -> None:
    calls, result = _calls_until([RateLimitedError("u", "429", retry_after=3600)])
    assert calls == 1 and isinstance(result, RateLimitedError)


def test_attempts_run_out_and_the_last_error_is_raised() -> None:
    calls, result = _calls_until([TransientFetchError("u", f"HTTP 50{i}") for i in range(5)])
    assert calls == 3 and isinstance(result, TransientFetchError) and result.reason == "HTTP 502"


def test_shipped_profiles_load_and_bad_ones_name_the_field(tmp_path: Path) -> None:
    assert {"govcn", "beijing", "generic"} <= set(available_profiles())
    for name in available_profiles():
        assert load_profile(name).start_urls
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nstart_urls: [http://x.gov.cn/]\nlist: {detail_links: []}\nfetch: {concurrency: 0}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="concurrency"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="no profile"):
        load_profile("nonexistent")


def test_generic_profile_started_elsewhere_allows_only_that_host() -> None:
    profile = with_start_urls(load_profile("generic"), ["https://fgw.example.gov.cn/zcfg/index.html"])
    assert profile.allowed_hosts == ["fgw.example.gov.cn"]


def test_beijing_list_pagination_from_create_page_html(fixtures_dir: Path) -> None:
    profile = load_profile("beijing")
    html = (fixtures_dir / "site" / "list_0.html").read_bytes()
    listing = parse_list(html, "https://www.beijing.gov.cn/zhengce/index.html", "text/html", profile)
    assert listing.next_urls == ["https://www.beijing.gov.cn/zhengce/index_1.html"]
    assert "https://www.beijing.gov.cn/zhengce/202501/t20250110_1001.html" in listing.detail_urls
    assert len(listing.attachment_urls) == 1 and listing.attachment_urls[0].endswith(".pdf")
    last = (fixtures_dir / "site" / "list_1.html").read_bytes()
    assert parse_list(last, "https://www.beijing.gov.cn/zhengce/index_1.html", None, profile).next_urls == []


def test_generic_profile_finds_title_date_and_body_by_heuristics() -> None:
    html = (
        "<html><head><title>关于开展2025年度专精特新企业认定的通知-某某市经济和信息化局</title></head><body>"
        "<div class='top'><a href='/'>首页</a><a href='/a'>机构</a></div>"
        "<div class='main'><h2>关于开展2025年度专精特新企业认定的通知</h2><p>发布时间：2025年04月03日</p>"
        "<p>各区县经信部门：</p><p>为培育优质中小企业，现组织开展2025年度专精特新企业认定工作，有关事项通知如下。</p>"
        "<p>一、申报条件。在本市注册满三年，主营业务收入占比不低于百分之七十。</p></div></body></html>"
    )
    detail = generic_detail(
        html.encode(), "https://jxj.example.gov.cn/tzgg/2025/0403/1.html", None, load_profile("generic")
    )
    assert detail.kind == "policy"
    assert detail.page.title == "关于开展2025年度专精特新企业认定的通知"
    assert detail.page.metadata.publish_date == "2025-04-03"
    assert "申报条件" in detail.page.text and "首页" not in detail.page.text


def test_govcn_crawled_pages_share_the_dataset_key() -> None:
    from indexer.profiles import govcn

    assert govcn.source_id("https://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm") == "5365945"
    assert load_profile("govcn").source_name == "govcn"
