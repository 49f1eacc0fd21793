"""Per-tenant quotas and sign-in throttling for the web app, on the shared rate-limit module.

`enforce(kind)` is called where a tenant spends something shared (a test call, an SMS or e-mail from the
desk, an import, an export, an API request); over the quota it answers 429 with what ran out and when to
try again — JSON under /api, the error page with the message elsewhere. The limits are settings
(`[limits]` in config.toml), per tenant, so one busy tenant cannot starve the others.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

from ..platform import rate_limits
from ..platform.settings import Settings
from .i18n import current_locale, extend, translate
from .redis_access import SETTINGS, redis_connections
from .sessions import now

QUOTA_MESSAGE = "Your organisation has used its %(limit)s %(what)s; try again in %(seconds)s seconds."
THROTTLE_MESSAGE = "Too many failed sign-ins; wait %(seconds)s seconds before trying again."
BUSY_MESSAGE = ("Your organisation already has %(places)s large document(s) being checked or saved; "
                "try again in %(seconds)s seconds.")
STRINGS = {
    QUOTA_MESSAGE: {"zh_CN": "贵单位的%(what)s配额（%(limit)s）已用完，请 %(seconds)s 秒后再试。"},
    THROTTLE_MESSAGE: {"zh_CN": "登录失败次数过多，请等待 %(seconds)s 秒后再试。"},
    "test calls per hour": {"zh_CN": "每小时测试呼叫"},
    "SMS and e-mail sends per minute": {"zh_CN": "每分钟短信和邮件发送"},
    "imports per hour": {"zh_CN": "每小时导入"},
    "exports per hour": {"zh_CN": "每小时导出"},
    "API requests per minute": {"zh_CN": "每分钟 API 请求"},
    BUSY_MESSAGE: {"zh_CN": "贵单位已有 %(places)s 份大型文档正在校验或保存，请 %(seconds)s 秒后再试。"},
    "document bytes checked per minute": {"zh_CN": "每分钟文档校验字节数"},
}
extend(STRINGS)


def _say(message: str, **values: object) -> str:
    """English for the API (clients parse it), the user's language on pages."""
    locale = "en" if request.path == "/api" or request.path.startswith("/api/") else current_locale()
    values = {k: translate(v, locale) if isinstance(v, str) else v for k, v in values.items()}
    return translate(message, locale) % values

#: kind → (settings attribute, window in seconds, what the user ran out of).
KINDS: dict[str, tuple[str, int, str]] = {
    "test_call": ("limits_test_calls_per_tenant_per_hour", 3600, "test calls per hour"),
    "desk_send": ("limits_desk_sends_per_tenant_per_minute", 60, "SMS and e-mail sends per minute"),
    "import": ("limits_imports_per_tenant_per_hour", 3600, "imports per hour"),
    "export": ("limits_exports_per_tenant_per_hour", 3600, "exports per hour"),
    "api": ("limits_api_requests_per_tenant_per_minute", 60, "API requests per minute"),
}


class QuotaExceeded(TooManyRequests):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _settings() -> Settings:
    return current_app.extensions[SETTINGS]


def _namespace() -> str:
    """Keeps apps sharing one Redis apart (tests give each app its own); empty in production."""
    return str(current_app.config.get("HOTLINE_LIMITS_NAMESPACE", ""))


def enforce(kind: str, tenant_id: int) -> None:
    """Counts one `kind` for the tenant; raises QuotaExceeded (429) when its quota is used up."""
    attribute, window, what = KINDS[kind]
    limit = int(getattr(_settings(), attribute))
    verdict = rate_limits.fixed_window(redis_connections().sync, f"{_namespace()}{kind}:{tenant_id}", limit, window,
                                       now().timestamp())
    if not verdict.allowed:
        raise QuotaExceeded(_say(QUOTA_MESSAGE, limit=limit, what=what, seconds=verdict.retry_after),
                            verdict.retry_after)


def login_throttle() -> rate_limits.LoginThrottle:
    s = _settings()
    return rate_limits.LoginThrottle(redis_connections().sync, s.limits_login_failures, s.limits_login_lockout_seconds,
                                     namespace=_namespace())


def client_address() -> str:
    return request.remote_addr or "unknown"


class SignInThrottled(TooManyRequests):
    def __init__(self, wait: int) -> None:
        super().__init__(_say(THROTTLE_MESSAGE, seconds=wait))
        self.retry_after = wait


#: A large document's slot is given back when its check ends; this bounds how long a dead process holds it.
DOCUMENT_SLOT_SECONDS = 60


@contextmanager
def document_work(tenant_id: int, size: int) -> Iterator[None]:
    """Bounds what validating, saving or publishing documents may cost one tenant (issue 10).

    Checking a 4 MB draft takes seconds of a web worker's CPU. Every document counts its size against the
    tenant's per-minute byte budget (`limits.document_bytes_per_tenant_per_minute`); a large one
    (`limits.large_document_bytes` and up) also needs one of the tenant's few concurrent places
    (`limits.large_documents_per_tenant`), so one tenant can never occupy more than that many workers with
    document checks while another tenant's save goes through. Over either: 429 with `Retry-After`.
    """
    s = _settings()
    redis, key, at = redis_connections().sync, f"{_namespace()}{tenant_id}", now().timestamp()
    token = None
    if size >= s.limits_large_document_bytes:
        token = secrets.token_hex(8)
        places = s.limits_large_documents_per_tenant
        slot = rate_limits.acquire_slot(redis, f"docs:{key}", places, DOCUMENT_SLOT_SECONDS, token, at)
        if not slot.allowed:
            # The holder usually finishes within seconds: suggest a short wait, not the hold's deadline.
            wait = min(slot.retry_after, 5)
            raise QuotaExceeded(_say(BUSY_MESSAGE, places=places, seconds=wait), wait)
    try:
        budget = s.limits_document_bytes_per_tenant_per_minute
        verdict = rate_limits.spend(redis, f"docbytes:{key}", size, budget, 60, at)
        if not verdict.allowed:
            raise QuotaExceeded(_say(QUOTA_MESSAGE, limit=f"{budget // (1024 * 1024)} MB",
                                     what="document bytes checked per minute", seconds=verdict.retry_after),
                                verdict.retry_after)
        yield
    finally:
        if token is not None:
            rate_limits.release_slot(redis, f"docs:{key}", token)
