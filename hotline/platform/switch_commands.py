"""One-shot commands to the switch's inbound Event Socket from synchronous code (the web app).

The web app has no standing ESL link (the runtime holds one); a supervisor's listen-in is rare, so each
command opens a connection, authenticates, sends one `bgapi` and reads the `+OK Job-UUID` reply. `bgapi`, not
`api`: an originate waits for the supervisor's phone to answer, which must not hold a web request. Wire
format as in tests/fixtures/freeswitch-esl/01-inbound-client (auth/request, command/reply, Reply-Text).
"""

from __future__ import annotations

import socket


class SwitchCommandError(Exception):
    """The switch could not be reached, refused the password, or refused the command."""


def _read(stream: socket.SocketIO | object) -> dict[str, str]:
    headers: dict[str, str] = {}
    while True:
        line = stream.readline()  # type: ignore[attr-defined]
        if not line:
            raise SwitchCommandError("the switch closed the event socket")
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if headers:
                break
            continue
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    length = int(headers.get("Content-Length", "0") or 0)
    if length:
        headers["_body"] = stream.read(length).decode("utf-8", "replace")  # type: ignore[attr-defined]
    return headers


def _authenticated(stream: socket.SocketIO | object, password: str) -> None:
    if _read(stream).get("Content-Type") != "auth/request":
        raise SwitchCommandError("the event socket did not ask for the password")
    stream.write(f"auth {password}\n\n".encode())  # type: ignore[attr-defined]
    stream.flush()  # type: ignore[attr-defined]
    reply = _read(stream).get("Reply-Text", "")
    if not reply.startswith("+OK"):
        raise SwitchCommandError(f"the switch refused the ESL password: {reply}")


def _one_line(command: str) -> None:
    if "\n" in command or "\r" in command:
        raise SwitchCommandError("a command is one line")


def bgapi(host: str, port: int, password: str, command: str, timeout: float = 5.0) -> str:
    """Runs `bgapi <command>`; returns the job uuid, or raises SwitchCommandError saying why."""
    _one_line(command)
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn, conn.makefile("rwb") as stream:
            _authenticated(stream, password)
            stream.write(f"bgapi {command}\n\n".encode())
            stream.flush()
            while True:
                frame = _read(stream)
                if frame.get("Content-Type") == "command/reply":
                    break
            reply = frame.get("Reply-Text", "")
            if not reply.startswith("+OK"):
                raise SwitchCommandError(f"the switch refused the command: {reply}")
            return frame.get("Job-UUID") or reply.removeprefix("+OK Job-UUID:").strip()
    except OSError as exc:
        raise SwitchCommandError(f"the switch's event socket {host}:{port} is not reachable: {exc}") from None


def api(host: str, port: int, password: str, commands: list[str], timeout: float = 5.0) -> list[str]:
    """Runs each `api <command>` on one connection and returns their bodies (quick commands only: `uuid_exists`,
    `uuid_setvar`, `uuid_recv_dtmf`; an originate goes through bgapi). Raises SwitchCommandError if the switch
    cannot be reached."""
    for command in commands:
        _one_line(command)
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn, conn.makefile("rwb") as stream:
            _authenticated(stream, password)
            bodies = []
            for command in commands:
                stream.write(f"api {command}\n\n".encode())
                stream.flush()
                while True:
                    frame = _read(stream)
                    if frame.get("Content-Type") == "api/response":
                        break
                bodies.append(frame.get("_body", "").strip())
            return bodies
    except OSError as exc:
        raise SwitchCommandError(f"the switch's event socket {host}:{port} is not reachable: {exc}") from None
