"""The crawl runner: walks list and detail pages of a profile, decides retries, writes only what changed."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from indexer.crawler.fetcher import Fetcher, FetchResult
from indexer.crawler.report import CrawlSummary, FailedPage
from indexer.crawler.retrying import with_retries
from indexer.crawler.state import CrawlState, FrontierItem, PageState
from indexer.errors import Action, FetchError, IngestError, RobotsDisallowedError
from indexer.html.attachments import file_type_of
from indexer.importers.base import RecordSink
from indexer.importers.convert import parse_date
from indexer.importers.linking import PolicyIndex, link_interpretation
from indexer.importers.pages import interpretation_from_page, policy_from_page
from indexer.profiles import adapter_module
from indexer.profiles.common import DetailPage
from indexer.profiles.model import SiteProfile
from kb.models import Policy, Provenance
from kb.settings import get_settings


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, no fragment: one spelling per page."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


class CrawlRun:
    """One crawl of one profile; built by ``crawl``."""

    def __init__(
        self,
        profile: SiteProfile,
        sink: RecordSink,
        state: CrawlState,
        client: httpx.AsyncClient,
        *,
        since: date | None,
        max_pages: int | None,
        progress: Any | None,
    ) -> None:
        self.profile = profile
        self.adapter: ModuleType = adapter_module(profile)
        self.sink = sink
        self.state = state
        self.fetcher = Fetcher(client, profile.fetch, profile.allowed_hosts)
        self.since = since
        self.max_pages = max_pages
        self.progress = progress
        self.summary = CrawlSummary(profile=profile.name)
        self.queue: asyncio.Queue[FrontierItem] = asyncio.Queue()
        self.budget_used = 0
        self.deferred: list[tuple[str, DetailPage, str]] = []  # (url, 解读 page, source_id)
        self.index = PolicyIndex()

    def source_id(self, url: str) -> str:
        custom = getattr(self.adapter, "source_id", None)
        return str(custom(url)) if callable(custom) else canonical_url(url)

    def enqueue(self, url: str, kind: str, depth: int) -> None:
        if not self.fetcher.host_allowed(url):
            self.summary.skip("off-site link")
            return
        if self.state.add(FrontierItem(url=url, kind=kind, depth=depth)):
            self.queue.put_nowait(FrontierItem(url=url, kind=kind, depth=depth))

    async def run(self) -> CrawlSummary:
        seeds = [FrontierItem(url=u, kind="list") for u in self.profile.start_urls]
        self.state.begin(seeds)
        self.summary.run_id, self.summary.resumed = self.state.run_id, self.state.resumed
        if self.state.reset:
            self.summary.warnings.append("crawl state belonged to another store: starting afresh")
        for known in self.state.known_policies():
            self._index_known(known)
        for item in self.state.pending():
            self.queue.put_nowait(item)
        if self.progress is not None:
            self.progress.start(f"crawl {self.profile.name}", None)
        workers = [asyncio.create_task(self._worker()) for _ in range(self.profile.fetch.concurrency * 2)]
        await self.queue.join()
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        self._write_interpretations()
        self.summary.warnings.extend(self.fetcher.robots.notes)
        if self.budget_exhausted():
            self.summary.budget_exhausted = True
        else:
            self.state.finish()
        return self.summary

    def budget_exhausted(self) -> bool:
        return self.max_pages is not None and self.budget_used >= self.max_pages

    async def _worker(self) -> None:
        while True:
            item = await self.queue.get()
            try:
                if not self.budget_exhausted():
                    self.budget_used += 1
                    await self._process(item)
            finally:
                self.queue.task_done()
                if self.progress is not None:
                    self.progress.update(self.summary.fetched)

    async def _process(self, item: FrontierItem) -> None:
        known = self.state.page(item.url) if item.kind == "detail" else None
        try:
            result = await with_retries(
                lambda: self.fetcher.fetch(
                    item.url,
                    etag=known.etag if known else None,
                    last_modified=known.last_modified if known else None,
                ),
                self.profile.fetch,
                on_retry=self._count_retry,
            )
            self.summary.fetched += 1
            if item.kind == "list":
                self._handle_list(item, result)
            else:
                self._handle_detail(item, result, known)
        except RobotsDisallowedError as exc:
            self.summary.skip(exc.reason)
            self.state.mark(item.url, "skipped", exc.reason)
        except FetchError as exc:
            self._fail(item.url, exc.reason, exc.action)
        except IngestError as exc:
            self._fail(item.url, str(exc), exc.action)
        except Exception as exc:  # one bad page must never end the crawl; it is reported, not swallowed
            self._fail(item.url, f"unexpected {type(exc).__name__}: {exc}", Action.GIVE_UP)

    def _count_retry(self, error: BaseException) -> None:
        self.summary.retries += 1

    def _fail(self, url: str, reason: str, action: Action) -> None:
        self.summary.failed.append(FailedPage(url=url, reason=reason, action=action.value))
        self.state.mark(url, "failed", reason)

    def _handle_list(self, item: FrontierItem, result: FetchResult) -> None:
        self.summary.list_pages += 1
        listing = self.adapter.parse_list(result.content, result.url, result.content_type, self.profile)
        for url in listing.detail_urls:
            self.enqueue(url, "detail", item.depth + 1)
        self.summary.attachments += len(listing.attachment_urls)
        if item.depth + 1 < self.profile.list.max_list_pages:
            for url in listing.next_urls:
                self.enqueue(url, "list", item.depth + 1)
        self.state.mark(item.url, "done")

    def _handle_detail(self, item: FrontierItem, result: FetchResult, known: PageState | None) -> None:
        if result.url != item.url:
            # Redirected: remember the alias and never fetch the target a second time in this run.
            self.state.add(FrontierItem(url=result.url, kind="detail", depth=item.depth))
            self.state.mark(result.url, "done", f"redirect target of {item.url}")
        if result.not_modified:
            self.summary.not_modified += 1
            self.summary.unchanged += 1
            self.state.mark(item.url, "done", "304")
            return
        body_hash = hashlib.sha256(result.content).hexdigest()
        if known and known.body_hash == body_hash and known.kind == "policy":
            self.summary.unchanged += 1
            self._remember(item.url, result, known.model_copy(update={}), body_hash)
            self.state.mark(item.url, "done", "same content")
            return
        if file_type_of(result.url):
            self.summary.attachments += 1
            self.state.mark(item.url, "done", "attachment")
            return
        detail: DetailPage = self.adapter.parse_detail(
            result.content, result.url, result.content_type, self.profile
        )
        self.summary.warnings.extend(f"{item.url}: {w}" for w in detail.page.warnings)
        self.summary.attachments += len(detail.page.attachments)
        published = parse_date(detail.page.metadata.publish_date)
        if self.since and published and published < self.since:
            self.summary.skip("published before --since")
            self.state.mark(item.url, "done", "older than --since")
            return
        if not detail.page.title:
            self._fail(item.url, "no title found on the page", Action.GIVE_UP)
            return
        source_id = self.source_id(result.url)
        if detail.kind == "interpretation":
            self.deferred.append((item.url, detail, source_id))
            self._remember(
                item.url,
                result,
                PageState(
                    url=item.url,
                    kind="interpretation",
                    title=detail.page.title,
                    record_hash=known.record_hash if known else None,
                ),
                body_hash,
            )
            return  # stays 'pending' until linked and written, so an interrupted crawl fetches it again
        policy = policy_from_page(detail.page, self.profile.source_name, source_id, result.url)
        policy = policy.model_copy(
            update={
                "level": policy.level or self.profile.level,
                "region": policy.region or self.profile.region,
            }
        )
        self.index.add(policy)
        record_hash = policy.content_hash()
        self._write_policy(policy, record_hash, known)
        self._remember(
            item.url,
            result,
            PageState(
                url=item.url,
                kind="policy",
                title=policy.title,
                doc_number_key=policy.doc_number_key,
                record_key=f"{policy.provenance.source}:{source_id}",
                record_hash=record_hash,
            ),
            body_hash,
        )
        self.state.mark(item.url, "done")

    def _write_policy(self, policy: Policy, record_hash: str, known: PageState | None) -> None:
        if known and known.record_hash == record_hash:
            self.summary.unchanged += 1  # same record from new bytes (e.g. a changed counter): no write
            return
        report = self.sink.upsert_policies([policy])
        self._count(report.inserted, report.updated, report.unchanged, report.failed, policy.provenance)

    def _count(
        self, inserted: int, updated: int, unchanged: int, failed: list[Any], provenance: Provenance
    ) -> None:
        self.summary.new += inserted
        self.summary.changed += updated
        self.summary.unchanged += unchanged
        for failure in failed:
            self._fail(
                provenance.url or provenance.source_id, f"store refused: {failure.reason}", Action.GIVE_UP
            )

    def _remember(self, url: str, result: FetchResult, page: PageState, body_hash: str) -> None:
        self.state.save_page(
            page.model_copy(
                update={
                    "final_url": result.url,
                    "etag": result.etag,
                    "last_modified": result.last_modified,
                    "body_hash": body_hash,
                }
            )
        )

    def _index_known(self, known: PageState) -> None:
        if known.record_key and known.title:
            source, _, source_id = known.record_key.partition(":")
            self.index.add(
                Policy(
                    provenance=Provenance(source=source, source_id=source_id),
                    title=known.title,
                    doc_number_key=known.doc_number_key,
                )
            )

    def _policy_key_for(self, url: str) -> str | None:
        known = self.state.page(url) or self.state.page(canonical_url(url))
        return known.record_key if known and known.kind == "policy" else None

    def _write_interpretations(self) -> None:
        """Link each 解读 (explicit 原文 link first, then 文号 / 《title》) and write the changed ones."""
        for url, detail, source_id in self.deferred:
            explicit = [k for u in detail.policy_urls if (k := self._policy_key_for(u))]
            link = link_interpretation(detail.page.title, detail.page.text, self.index, explicit=explicit)
            if link.policy_keys:
                self.summary.interpretations_linked += 1
            else:
                self.summary.interpretations_unlinked += 1
            item = interpretation_from_page(
                detail.page, self.profile.source_name, source_id, detail.page.url, link.policy_keys
            )
            record_hash = item.content_hash()
            known = self.state.page(url)
            if known and known.record_hash == record_hash:
                self.summary.unchanged += 1
            else:
                report = self.sink.upsert_interpretations([item])
                self._count(report.inserted, report.updated, report.unchanged, report.failed, item.provenance)
            if known:
                self.state.save_page(
                    known.model_copy(
                        update={
                            "record_hash": record_hash,
                            "record_key": f"{item.provenance.source}:{source_id}",
                        }
                    )
                )
            self.state.mark(url, "done")


def default_state_path(profile: SiteProfile) -> Path:
    return get_settings().data_dir / "crawl" / f"{profile.name}.sqlite"


def crawl(
    profile: SiteProfile,
    sink: RecordSink,
    *,
    since: date | None = None,
    max_pages: int | None = None,
    state_path: Path | None = None,
    progress: Any | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CrawlSummary:
    """Crawl ``profile`` into ``sink``; incremental and resumable through the state file."""
    # The store's URL (when it has one) ties the incremental state to the store it describes.
    state = CrawlState(state_path or default_state_path(profile), profile.name, str(getattr(sink, "url", "")))

    async def main() -> CrawlSummary:
        async with httpx.AsyncClient(follow_redirects=False, transport=transport) as client:
            run = CrawlRun(profile, sink, state, client, since=since, max_pages=max_pages, progress=progress)
            return await run.run()

    try:
        return asyncio.run(main())
    finally:
        state.close()
