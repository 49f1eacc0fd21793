"""The one way the platform makes an HTTP request on a tenant's behalf (lookup webhooks, notification
webhooks, SMS/e-mail HTTP gateways).

A tenant types the URL; the platform's servers fetch it. `url_guard.check_url` decides whether an address
may be called at all; this module makes sure the request really goes to the address that was checked and
cannot be stretched into something else:

* **No redirects, ever.** A 3xx answer raises `RedirectRefused` naming the Location. Following a redirect
  would mean re-checking every hop and deciding which tenant headers may travel to the new host; a lookup
  or a delivery has no legitimate need for it, and an allowed host bouncing the platform to
  `http://169.254.169.254/` or `http://127.0.0.1:6379/` is exactly the attack (issue 10, item 4). Tenants
  configure the final URL instead.
* **Resolve once, connect to the checked address.** The host is resolved by the guard, and the socket is
  opened to that IP address; the Host header (and the TLS server name, so certificates are still checked
  against the name) stay the original host. A DNS answer that changes between check and connect (DNS
  rebinding) is never asked for.
* **Bounded answers.** The body is read up to `max_bytes` (a larger one raises `ResponseTooLarge`), and
  the whole exchange — connect, send, headers, body — must end within `timeout` seconds (`EgressTimeout`),
  however slowly a server trickles bytes.

Everything here is blocking; async callers run `fetch` in a thread (asyncio.to_thread).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .url_guard import AllowList, Resolver, UnsafeUrl, allow_list_from_env, check_url
from .url_guard import _resolve as _default_resolve

#: Default bounds: a lookup answers a small JSON object, a gateway a short status.
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 1024 * 1024
_CHUNK = 16 * 1024

__all__ = ["EgressError", "EgressTimeout", "RedirectRefused", "Response", "ResponseTooLarge", "UnsafeUrl",
           "fetch"]


class EgressError(Exception):
    """An outgoing request failed; the message says which URL and why, in words."""


class RedirectRefused(EgressError):
    """The server answered with a redirect, which the platform never follows."""


class ResponseTooLarge(EgressError):
    """The answer's body was larger than the caller's bound."""


class EgressTimeout(EgressError, TimeoutError):
    """The exchange did not finish within the caller's time bound."""


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    address: str = ""  # the IP address actually connected to

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline")
        return remaining


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to `address` that still says `Host: <host>`."""

    def __init__(self, host: str, port: int, address: str, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=deadline.left())
        self._address, self._deadline = address, deadline

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self._deadline.left())
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to `address`, with SNI and certificate checks for `host`."""

    def __init__(self, host: str, port: int, address: str, deadline: _Deadline,
                 context: ssl.SSLContext | None) -> None:
        super().__init__(host, port, timeout=deadline.left(), context=context or ssl.create_default_context())
        self._address, self._deadline = address, deadline

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self._deadline.left())
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def fetch(url: str, *, method: str = "GET", body: bytes | None = None, headers: Mapping[str, str] | None = None,
          allow: AllowList | None = None, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          resolve: Resolver = _default_resolve, ssl_context: ssl.SSLContext | None = None) -> Response:
    """One request to a tenant-supplied URL under the rules in the module docstring.

    Returns the response for any non-redirect status (callers decide what 404 or 500 mean). Raises
    UnsafeUrl when the guard refuses the URL, RedirectRefused on a 3xx, ResponseTooLarge, EgressTimeout,
    or EgressError when the server cannot be reached. `allow` None reads HOTLINE_URL_ALLOW.
    """
    allow = allow if allow is not None else allow_list_from_env()
    parts = urlsplit(url)
    addresses = check_url(url, allow, resolve)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not addresses:  # the host is allow-listed by name: resolve it here, once, and still pin
        addresses = resolve(host, port)
        if not addresses:
            raise UnsafeUrl(f"host {host!r} resolves to no address")
    address = addresses[0]
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    deadline = _Deadline(timeout)
    try:
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = _PinnedHTTPSConnection(host, port, address, deadline, ssl_context)
        else:
            conn = _PinnedHTTPConnection(host, port, address, deadline)
        try:
            conn.request(method, target, body=body, headers=dict(headers or {}))
            sock = conn.sock  # kept: http.client drops conn.sock when the server closes after the answer
            sock.settimeout(deadline.left())
            response = conn.getresponse()
            if 300 <= response.status < 400:
                location = response.getheader("Location", "")
                raise RedirectRefused(f"{url} answered HTTP {response.status} redirecting to {location!r}; the "
                                      "platform does not follow redirects (configure the final URL)")
            data = _read_bounded(sock, response, deadline, max_bytes, url)
            return Response(response.status, response.reason, dict(response.getheaders()), data, address)
        finally:
            conn.close()
    except TimeoutError:
        raise EgressTimeout(f"{url} did not answer completely within {timeout:g} s") from None
    except ssl.SSLError as exc:
        raise EgressError(f"{url}: TLS failed ({exc.reason or exc})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise EgressError(f"{url} unreachable: {exc or type(exc).__name__}") from None


def _read_bounded(sock: socket.socket, response: http.client.HTTPResponse, deadline: _Deadline,
                  max_bytes: int, url: str) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"{url} answered {int(declared):,} bytes; at most {max_bytes:,} are read")
    chunks, size = [], 0
    while True:
        sock.settimeout(deadline.left())
        chunk = response.read1(_CHUNK)
        deadline.left()  # a server trickling one byte at a time still ends at the deadline
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"{url} answered more than {max_bytes:,} bytes; the answer was cut off and "
                                   "refused")
        chunks.append(chunk)
