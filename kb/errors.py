"""Typed errors of the knowledge base; the API turns them into HTTP statuses at the edge."""

from __future__ import annotations


class KBError(Exception):
    """Root of every error the knowledge base raises on purpose."""

    #: A short Chinese message for people reading the UI; the English text is ``str(error)``.
    message_zh: str = "知识库出错"

    def __init__(self, message: str, *, message_zh: str | None = None) -> None:
        super().__init__(message)
        if message_zh is not None:
            self.message_zh = message_zh


class NotFoundError(KBError):
    message_zh = "未找到该记录"


class ConflictError(KBError):
    """A concurrent change won: reload and try again (HTTP 409)."""

    message_zh = "记录已被他人修改，请刷新后重试"


class ValidationError(KBError):
    """Input that cannot be accepted; the message names the field and how to fix it."""

    message_zh = "输入有误"


class ConfigurationError(KBError):
    message_zh = "配置有误"


class StoreError(KBError):
    message_zh = "数据库出错"


class SearchError(KBError):
    message_zh = "检索出错"


class SearchUnavailableError(SearchError):
    """The search engine cannot be reached or did not answer in time (HTTP 503)."""

    message_zh = "检索服务暂不可用，请稍后再试"


class UnsupportedFeatureError(SearchError, NotImplementedError):
    """A backend that cannot do something says so loudly."""

    message_zh = "当前检索后端不支持该功能"


class QueryError(SearchError):
    """A query that is too long, too complex or names an unknown field/filter."""

    message_zh = "查询条件有误"


class PermissionDeniedError(KBError):
    message_zh = "没有权限执行该操作"


class AuthenticationError(KBError):
    message_zh = "缺少或无效的 API 密钥"
