"""Outgoing requests on a tenant's behalf: no redirects, the checked address pinned, bounded size and time.

Real HTTP servers on loopback ports. Loopback is allowed here only as the single network 127.0.0.1/32 (as
the suite's HOTLINE_URL_ALLOW does), so a redirect to 169.254.169.254 or a name resolving to 10.x is still
refused by the guard, and a redirect to another loopback port proves the hop itself is refused: the second
server counts its requests and must see none.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hotline.platform import egress
from hotline.platform.url_guard import AllowList, UnsafeUrl

LOOPBACK = AllowList.parse(["127.0.0.1/32"])


class _Server:
    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.redirect_to = ""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                owner.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                if self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", owner.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/big":
                    self.send_response(200)
                    self.end_headers()  # no Content-Length: the size shows only while reading
                    for _ in range(64):
                        self.wfile.write(b"x" * 32 * 1024)
                elif self.path == "/slow":
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    try:
                        for _ in range(1000):  # one byte every 50 ms: each read is quick, the whole is not
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.05)
                    except OSError:
                        pass
                else:
                    body = json.dumps({"host": self.headers.get("Host")}).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    first, second = _Server(), _Server()
    yield first, second
    first.close()
    second.close()


def test_a_redirect_to_another_internal_port_is_refused_and_never_followed(servers) -> None:
    first, second = servers
    first.redirect_to = f"{second.url}/secret"
    with pytest.raises(egress.RedirectRefused, match=r"HTTP 302 redirecting to .*/secret.*does not follow"):
        egress.fetch(f"{first.url}/redirect", headers={"X-Token": "tenant-secret"}, allow=LOOPBACK)
    assert len(first.requests) == 1
    assert second.requests == []  # the hop was not made, so the tenant's header went nowhere else


def test_a_redirect_to_the_metadata_address_is_refused(servers) -> None:
    first, _ = servers
    first.redirect_to = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(egress.RedirectRefused, match=r"169\.254\.169\.254"):
        egress.fetch(f"{first.url}/redirect", allow=LOOPBACK)


def test_an_oversized_body_is_cut_off_with_a_clear_error(servers) -> None:
    first, _ = servers
    started = time.monotonic()
    with pytest.raises(egress.ResponseTooLarge, match=r"more than 65,536 bytes"):
        egress.fetch(f"{first.url}/big", allow=LOOPBACK, max_bytes=64 * 1024)
    assert time.monotonic() - started < 5


def test_a_declared_oversized_body_is_refused_before_reading(servers) -> None:
    first, _ = servers
    with pytest.raises(egress.ResponseTooLarge, match=r"1,000 bytes; at most 100"):
        egress.fetch(f"{first.url}/slow", allow=LOOPBACK, max_bytes=100)


def test_a_server_trickling_bytes_times_out_at_the_total_bound(servers) -> None:
    first, _ = servers
    started = time.monotonic()
    with pytest.raises(egress.EgressTimeout, match=r"within 0.5 s"):
        egress.fetch(f"{first.url}/slow", allow=LOOPBACK, timeout=0.5)
    assert time.monotonic() - started < 10  # the whole exchange is bounded (the server would trickle for 50 s)


def test_a_host_resolving_to_a_private_address_is_refused_without_a_request(servers) -> None:
    first, _ = servers
    with pytest.raises(UnsafeUrl, match="loopback"):  # real resolution: localhost is 127.0.0.1 here
        egress.fetch(f"http://localhost:{first.port}/", allow=AllowList())
    with pytest.raises(UnsafeUrl, match="private"):
        egress.fetch("http://partner.example/x", allow=LOOPBACK, resolve=lambda _h, _p: ["10.0.0.7"])
    assert first.requests == []


def test_the_checked_address_is_the_one_connected_to_and_the_host_header_is_kept(servers) -> None:
    first, _ = servers
    answers = iter([["127.0.0.1"], ["10.0.0.7"]])  # a rebinding name: a second lookup would go inside
    calls: list[str] = []

    def rebinding(host: str, _port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    response = egress.fetch(f"http://partner.example:{first.port}/who", allow=LOOPBACK, resolve=rebinding)
    assert response.ok and response.address == "127.0.0.1"
    assert json.loads(response.body) == {"host": f"partner.example:{first.port}"}
    assert calls == ["partner.example"]  # resolved once


def test_an_ivr_lookup_webhook_redirect_is_refused(servers, monkeypatch: pytest.MonkeyPatch) -> None:
    from hotline.runtime.flow.services import _http_webhook_blocking

    monkeypatch.setenv("HOTLINE_URL_ALLOW", "127.0.0.1/32")
    first, second = servers
    first.redirect_to = f"{second.url}/internal"
    with pytest.raises(egress.RedirectRefused):
        _http_webhook_blocking(f"{first.url}/redirect", "GET", "k", 1000, {"Authorization": "Bearer t"})
    assert second.requests == []


def test_a_webhook_notification_redirect_is_a_failed_delivery(servers) -> None:
    from hotline.platform.models import Notification
    from hotline.platform.services.notifications import DeliveryError, HttpProvider

    first, second = servers
    first.redirect_to = f"{second.url}/internal"
    provider = HttpProvider(allow=LOOPBACK)
    notification = Notification(id=1, tenant_id=1, channel="webhook", to=f"{first.url}/redirect",
                                subject="", body="x", status="queued", provider="webhook", attempts=0)
    with pytest.raises(DeliveryError, match="does not follow redirects"):
        provider.send(notification)
    assert second.requests == []


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on loopback with a certificate for partner.example (made by the openssl CLI)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=partner.example",
                    "-addext", "subjectAltName=DNS:partner.example"], check=True, capture_output=True)
    server = _Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    yield server, ssl.create_default_context(cafile=str(cert))
    server.close()


def test_https_connects_to_the_pinned_address_with_the_host_name_for_sni_and_the_certificate(tls_server) -> None:
    server, trust = tls_server
    pinned = lambda _h, _p: ["127.0.0.1"]  # noqa: E731
    response = egress.fetch(f"https://partner.example:{server.port}/who", allow=LOOPBACK, resolve=pinned,
                            ssl_context=trust)
    assert response.ok and response.address == "127.0.0.1"
    assert json.loads(response.body) == {"host": f"partner.example:{server.port}"}
    # The certificate is checked against the URL's host, not the address connected to.
    with pytest.raises(egress.EgressError, match="TLS failed"):
        egress.fetch(f"https://elsewhere.example:{server.port}/who", allow=LOOPBACK, resolve=pinned,
                     ssl_context=trust)
