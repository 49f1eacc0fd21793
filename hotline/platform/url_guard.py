"""A guard against server-side request forgery for URLs tenants configure (lookup webhooks, notify webhooks).

A tenant's analyst types the URL; the platform's servers fetch it. Without a check, `http://127.0.0.1:6379/`
or `http://169.254.169.254/` would let a tenant reach the platform's own Redis or the cloud metadata service
from inside. So a URL is refused unless it is http(s) and *every* address its host resolves to is a public
unicast address: no loopback, private, link-local, multicast, reserved, unspecified or shared (CGNAT) ranges,
including IPv4 addresses hidden in IPv6 (::ffff:10.0.0.1). The check runs on the resolved addresses, so a
public name pointing at an internal address is refused too. Operators who really host a data source inside
their network list it in the allow-list (host names or networks in CIDR notation), e.g. from the environment
variable HOTLINE_URL_ALLOW="lookup.corp.example,10.20.0.0/16".

Resolution happens at check time: a caller that checks and later fetches should fetch the address it checked
(or check right before fetching) to keep DNS rebinding out.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOW_ENV = "HOTLINE_URL_ALLOW"


class UnsafeUrl(ValueError):
    """The URL may not be fetched by the platform; the message says why, in words. For an internal address,
    `address` and `kind` (why_internal's word) are set too, so a page can word the reason in its reader's
    language (task 15d item 2a)."""

    def __init__(self, message: str, address: str | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.address = address
        self.kind = kind


@dataclass(frozen=True)
class AllowList:
    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        hosts, networks = set(), []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


def allow_list_from_env(environ: dict[str, str] | None = None) -> AllowList:
    """The operators' allow-list from HOTLINE_URL_ALLOW (comma-separated host names and CIDR networks)."""
    value = (os.environ if environ is None else environ).get(ALLOW_ENV, "")
    return AllowList.parse(value.split(","))


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl(f"host {host!r} cannot be resolved ({exc})") from None
    return sorted({str(info[4][0]) for info in infos})


def why_internal(address: IPAddress) -> str | None:
    """Why an address is not a public unicast one (None when it is)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return why_internal(address.ipv4_mapped)
    checks = (("loopback", address.is_loopback), ("link-local", address.is_link_local),
              ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
              ("private", address.is_private), ("reserved", address.is_reserved))
    for name, hit in checks:
        if hit:
            return name
    if not address.is_global:
        return "not publicly routable"
    return None


def check_url(url: str, allow: AllowList | None = None, resolve: Resolver = _resolve) -> list[str]:
    """The addresses a safe URL resolves to; raises UnsafeUrl with the reason for anything else."""
    allow = allow or AllowList()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl(f"{url!r}: only http and https URLs may be called, not {parts.scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise UnsafeUrl(f"{url!r} names no host")
    if allow.allows_host(host):
        return []
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
    if not addresses:
        raise UnsafeUrl(f"host {host!r} resolves to no address")
    for address in addresses:
        reason = why_internal(address)
        if reason is not None and not allow.allows_address(address):
            raise UnsafeUrl(f"{url!r}: host {host!r} is {address} ({reason} address); the platform calls only "
                            "public addresses unless an operator allow-lists it", str(address), reason)
    return [str(a) for a in addresses]


def is_safe(url: str, allow: AllowList | None = None, resolve: Resolver = _resolve) -> bool:
    try:
        check_url(url, allow, resolve)
    except UnsafeUrl:
        return False
    return True
