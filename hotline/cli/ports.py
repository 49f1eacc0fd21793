"""A port another program already holds: one line naming the port and the setting to change, not a traceback."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..platform.settings import env_name

#: What listens on each configurable port, by (section, key) of config.toml.
LISTENERS = {
    ("web", "port"): "the web application",
    ("runtime", "socket_port"): "the runtime (FreeSWITCH's outbound-socket connections)",
    ("esl", "port"): "the ESL simulator",
}


class PortInUse(click.ClickException):
    """Exit 1 with the one line (click prints `Error: ...`)."""


def port_message(section: str, key: str, host: str, port: int) -> str:
    return (f"port {port} on {host} is already in use, so {LISTENERS[(section, key)]} cannot listen there: stop "
            f"the program holding it, or change [{section}] {key} in config.toml (or set {env_name(section, key)})")


@contextmanager
def listening(section: str, key: str, host: str, port: int) -> Iterator[None]:
    """Turns "address already in use" while starting a listener into PortInUse."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE or "address already in use" in str(exc).lower():
            raise PortInUse(port_message(section, key, host, port)) from None
        raise


def ensure_free(section: str, key: str, host: str, port: int) -> None:
    """Raises PortInUse when the port is taken, before anything starts: Werkzeug's server prints its own two
    lines and exits on a taken port instead of raising, so `listening` never sees it."""
    with listening(section, key, host, port), socket.socket(
            socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: TIME_WAIT is free
        probe.bind((host, port))
