"""The SSRF guard for tenant-configured URLs: only public http(s) addresses, after DNS resolution."""

from __future__ import annotations

import pytest

from hotline.platform.url_guard import AllowList, UnsafeUrl, allow_list_from_env, check_url, is_safe


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise UnsafeUrl(f"host {host!r} cannot be resolved")
        return table[host]

    return resolve


DNS = resolver({"api.example.com": ["93.184.216.34"], "sneaky.example.com": ["93.184.216.34", "10.0.0.5"],
                "rebind.example.com": ["127.0.0.1"], "v6.example.com": ["2606:2800:220:1::1"],
                "lookup.corp": ["10.20.3.4"]})


@pytest.mark.parametrize("url", ["http://api.example.com/waybill", "https://api.example.com:8443/x?y=1",
                                 "https://v6.example.com/", "http://93.184.216.34/"])
def test_public_http_urls_pass(url: str) -> None:
    assert check_url(url, resolve=DNS)


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://api.example.com/", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("http:///nohost", "names no host"),
    ("http://127.0.0.1:6379/", "loopback"),
    ("http://localhost/", "cannot be resolved"),
    ("http://rebind.example.com/", "loopback"),
    ("http://sneaky.example.com/", "private"),
    ("http://10.1.2.3/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://100.64.0.1/", "not publicly routable"),
    ("http://api.example.com:99999/", "not a valid URL"),
])
def test_internal_or_odd_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrl, match=reason):
        check_url(url, resolve=DNS)
    assert not is_safe(url, resolve=DNS)


def test_operators_may_allow_list_internal_hosts_and_networks() -> None:
    allow = AllowList.parse(["lookup.corp", "192.168.50.0/24", " "])
    assert check_url("http://lookup.corp/x", allow, resolve=DNS) == []
    assert check_url("http://192.168.50.7/", allow, resolve=DNS) == ["192.168.50.7"]
    with pytest.raises(UnsafeUrl):
        check_url("http://192.168.51.7/", allow, resolve=DNS)
    from_env = allow_list_from_env({"HOTLINE_URL_ALLOW": "lookup.corp,10.20.0.0/16"})
    assert from_env.allows_host("LOOKUP.corp.") and from_env.networks


def test_real_resolution_of_localhost_is_refused() -> None:
    with pytest.raises(UnsafeUrl, match="loopback"):
        check_url("http://localhost:8080/")


def test_a_webhook_notification_to_an_internal_address_is_refused_with_the_reason() -> None:
    from hotline.platform.models import Notification
    from hotline.platform.services.notifications import DeliveryError, HttpProvider

    provider = HttpProvider(allow=AllowList())  # no operator allow-list: internal addresses are refused
    notification = Notification(id=1, tenant_id=1, channel="webhook", to="http://127.0.0.1:9/hook",
                                subject="", body="x", status="queued", provider="webhook", attempts=0)
    with pytest.raises(DeliveryError, match=r"refused: .*loopback"):
        provider.send(notification)


def test_an_ivr_lookup_webhook_to_an_internal_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from hotline.runtime.flow.services import _http_webhook_blocking

    monkeypatch.delenv("HOTLINE_URL_ALLOW", raising=False)
    with pytest.raises(UnsafeUrl, match=r"link-local|not publicly routable|internal"):
        _http_webhook_blocking("http://169.254.169.254/latest/meta-data", "GET", "k", 500, {})
