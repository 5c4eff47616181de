"""Typed errors of ingestion; each says whether to retry, back off or give up, and the runner decides."""

from __future__ import annotations

from enum import StrEnum

from kb.errors import KBError


class Action(StrEnum):
    """What the crawl runner should do about an error."""

    RETRY = "retry"  # transient: try again soon (timeouts, 5xx)
    BACK_OFF = "back_off"  # the server asked us to slow down (429, Retry-After)
    GIVE_UP = "give_up"  # retrying cannot help (4xx, robots.txt, unparseable content)


class IngestError(KBError):
    """Root of every error the indexer raises on purpose."""

    message_zh = "数据导入出错"
    action: Action = Action.GIVE_UP


class FetchError(IngestError):
    """A page could not be fetched."""

    message_zh = "页面抓取失败"

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class TransientFetchError(FetchError):
    """Timeout, connection reset or a 5xx: worth another try."""

    message_zh = "页面暂时无法访问，将重试"
    action = Action.RETRY


class RateLimitedError(FetchError):
    """HTTP 429 (or 503 with Retry-After): wait as long as the server says."""

    message_zh = "对方网站要求降低访问频率"
    action = Action.BACK_OFF

    def __init__(self, url: str, reason: str, *, status: int | None = 429, retry_after: float | None = None):
        super().__init__(url, reason, status=status)
        self.retry_after = retry_after


class PermanentFetchError(FetchError):
    """A 4xx (other than 429) or a bad URL: never retried."""

    message_zh = "页面不存在或拒绝访问"
    action = Action.GIVE_UP


class RobotsDisallowedError(FetchError):
    """robots.txt forbids this path for our user agent."""

    message_zh = "robots.txt 不允许抓取该页面"
    action = Action.GIVE_UP


class ContentError(IngestError):
    """The response arrived but cannot be used (empty, binary, too large, unparseable)."""

    message_zh = "页面内容无法解析"
    action = Action.GIVE_UP


class ProfileError(IngestError):
    """A site profile file is invalid; the message names the file and the field."""

    message_zh = "站点配置有误"


class MappingError(IngestError):
    """A column-mapping file is invalid; the message names the file and the field."""

    message_zh = "字段映射配置有误"


class DatasetError(IngestError):
    """A dataset path is missing or of an unknown kind."""

    message_zh = "数据集不存在或格式不支持"
