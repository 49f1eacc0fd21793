"""`hotline dialer`: where answered campaign calls are sent ([runtime] advertised_socket, else the runtime's own
socket address), and a bad address refused with the setting's name before anything starts."""

from __future__ import annotations

from types import SimpleNamespace

import click
import pytest

from hotline.cli.runtime import answer_address


def _settings(advertised: str) -> SimpleNamespace:
    return SimpleNamespace(runtime_advertised_socket=advertised, runtime_socket_host="127.0.0.1",
                           runtime_socket_port=8084)


def test_answered_calls_go_to_the_advertised_socket_or_the_runtimes_own() -> None:
    assert answer_address(_settings("")) == ("127.0.0.1", 8084)
    assert answer_address(_settings("10.0.0.5:9084")) == ("10.0.0.5", 9084)
    for bad in ("10.0.0.5", "host:port", ":9084", "h:70000"):
        with pytest.raises(click.ClickException, match=r"\[runtime\] advertised_socket"):
            answer_address(_settings(bad))
