"""The gov.cn profile crawls saved State Council pages served on loopback; records match the importer's."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.crawler.runner import crawl
from indexer.html.page import parse_page
from indexer.importers.pages import policy_from_page
from indexer.profiles import load_profile
from indexer.profiles.model import SiteProfile
from kb.store import Store
from tests.indexer.crawler.site import FixtureSite, Route, SiteServer

PAGES = 12


def _site(shared: Path) -> tuple[FixtureSite, list[dict[str, str]]]:
    rows = [
        json.loads(line)
        for line in (shared / "govcn_pages" / "expected_metadata.jsonl").open(encoding="utf-8")
    ]
    rows = rows[:PAGES]
    site = FixtureSite()
    items = []
    for row in rows:
        path = row["url"].removeprefix("http://www.gov.cn")
        site.routes[path] = Route((shared / "govcn_pages" / row["html_file"]).read_bytes())
        items.append(
            f'<li><h4><a href="{path}">{row["title"]}</a></h4><span>{row["publish_date"]}</span></li>'
        )
    listing = f"<html><body><div class='list'><ul>{''.join(items)}</ul></div></body></html>"
    site.routes["/zhengce/zuixin/home.htm"] = Route(listing.encode())
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /search/\n", "text/plain")
    return site, rows


def test_govcn_profile_crawl_keys_pages_like_the_dataset(tmp_path: Path, shared_data_dir: Path) -> None:
    site, rows = _site(shared_data_dir)
    with SiteServer(site) as server:
        data = load_profile("govcn").model_dump()
        data.update(start_urls=[f"{server.base_url}/zhengce/zuixin/home.htm"], allowed_hosts=[])
        data["fetch"].update(requests_per_second=50, timeout_seconds=5)
        profile = SiteProfile.model_validate(data)
        store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
        summary = crawl(profile, store, state_path=tmp_path / "state.sqlite")
    assert summary.new == PAGES and not summary.failed, summary
    for row in rows:
        crawled = store.get_policy_by_key("govcn", row["id"])
        assert crawled is not None, row["id"]
        page = parse_page((shared_data_dir / "govcn_pages" / row["html_file"]).read_bytes(), row["url"])
        imported = policy_from_page(page, "govcn", row["id"], row["url"])
        fields = (
            "title",
            "doc_number",
            "doc_number_key",
            "issuing_bodies",
            "index_number",
            "written_date",
            "publish_date",
            "subject_category",
            "keywords",
            "text",
        )
        assert {f: getattr(crawled, f) for f in fields} == {f: getattr(imported, f) for f in fields}
        assert crawled.level == "国家" and crawled.region == "全国"
