"""``SimSwitch``: the simulator as one object (in-process for tests) and as a CLI process.

In-process use::

    sim = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", app_port)))
    await sim.start()                       # inbound ESL on sim.esl_address
    record = await sim.place_call(CallerScript(did="4008001234", presses=["1"]))
    print(record.summary())
    await sim.stop()

As a process: ``python -m hotline.runtime.simswitch --socket 127.0.0.1:8084 --esl 127.0.0.1:8021``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from typing import Any

from . import apps as _apps  # noqa: F401  (registers the dialplan applications)
from . import callees as _callees  # noqa: F401  (registers mod_amd's amd application)
from . import eavesdrop as _eavesdrop  # noqa: F401  (eavesdrop, three_way)
from . import outbound as _outbound  # noqa: F401  (registers the socket application)
from . import uuid_record as _uuid_record  # noqa: F401  (the uuid_record api command)
from .api import run_api
from .callees import CalleeProfile
from .caller import CallerScript, ScriptedCaller
from .channel import CallRecord, Channel
from .config import AgentBehavior, Extension, SimSwitchConfig, SocketTarget
from .conn import EventConnection
from .core import Switch
from .inbound import InboundServer
from .legs import OriginateError
from .originate import OriginateRequest, originate

__all__ = ["SimSwitch", "main"]

log = logging.getLogger(__name__)


class SimSwitch:
    """A fake FreeSWITCH: inbound ESL server + outbound-socket calls + scripted callers."""

    def __init__(self, config: SimSwitchConfig | None = None, **overrides: Any) -> None:
        config = config or SimSwitchConfig()
        for key, value in overrides.items():
            setattr(config, key, value)
        self.config = config
        self.switch = Switch(config)
        self.inbound = InboundServer(self.switch)
        self.esl_address: tuple[str, int] | None = None
        self.records: list[CallRecord] = []

    async def __aenter__(self) -> SimSwitch:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def files(self) -> dict[str, int]:
        """Files the ``record`` application "wrote": path -> recorded milliseconds."""
        return self.switch.files

    @property
    def esl_port(self) -> int:
        if self.esl_address is None:
            raise RuntimeError("SimSwitch not started")
        return self.esl_address[1]

    async def start(self) -> None:
        """Start the inbound ESL listener (``esl_port=0`` picks a free port)."""
        self.esl_address = await self.inbound.start(self.config.esl_host, self.config.esl_port)
        log.info("simswitch inbound ESL listening on %s:%s", *self.esl_address)

    async def stop(self) -> None:
        """Hang up every channel, close every socket, stop listening."""
        sw = self.switch
        sw.closing = True
        for ch in list(sw.channels.values()):
            if ch.is_up:
                sw.hangup(ch, "MANAGER_REQUEST")
        for listener in list(sw.listeners):
            if isinstance(listener, EventConnection):
                await listener.close()
        await self.inbound.stop()
        tasks = [t for t in sw.tasks if not t.done()]
        for ch in list(sw.channels.values()):
            tasks += [t for t in ch.tasks if not t.done()]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=1.0)
            for task in pending:
                task.cancel()
            for task in pending:
                with contextlib.suppress(BaseException):
                    await task

    async def api(self, command: str) -> str:
        """Run an ``api`` command in-process (same code path as the ESL ``api`` command)."""
        return await run_api(self.switch, command)

    def start_call(self, script: CallerScript, *, timeout: float = 60.0) -> asyncio.Task[CallRecord]:
        """Start a scripted call in the background (for concurrent calls)."""
        return asyncio.get_running_loop().create_task(self.place_call(script, timeout=timeout))

    async def place_call(self, script: CallerScript, *, timeout: float = 60.0) -> CallRecord:
        """Dial ``script.did`` as ``script.caller`` and return the call's record once it is over.

        The call is a ``loopback/<did>`` pair exactly like the recorded ``bgapi originate``:
        the ``-b`` leg runs the DID's dialplan (``socket`` to the application) and is the
        controlled channel; the ``-a`` leg is the caller's phone, driven by the script.
        ``timeout`` is wall-clock seconds for the whole call.
        """
        record, req, created, holder = self._prepare_call(script, ScriptedCaller(self.switch, script), timeout)
        try:
            await asyncio.wait_for(self._run_call(req, created, holder, record), timeout)
        except TimeoutError:
            record.add("note", text=f"place_call timed out after {timeout}s")
            b = holder.get("b")
            if b is not None and b.is_up:
                self.switch.hangup(b, "RECOVERY_ON_TIMER_EXPIRE")
            raise
        return record

    def _prepare_call(self, script: CallerScript, caller: ScriptedCaller, timeout: float
                      ) -> tuple[CallRecord, OriginateRequest, Callable[[Channel], None], dict[str, Channel]]:
        """The record, the ``loopback/<did>`` originate and its on-created hook for one call whose ``-a`` leg
        `caller` drives (run them with `_run_call`); the hook puts the legs in the returned dict ("a", "b").

        The caller keeps ringing as long as the call may take in wall-clock time (``timeout``): the
        application's own latency is real time, not simulated time.
        """
        sw = self.switch
        record = CallRecord(uuid="", did=script.did, caller=script.caller)
        holder: dict[str, Channel] = {}

        def created(a: Channel) -> None:
            b = a.partner
            assert b is not None
            record.uuid = b.uuid
            b.record = record
            b.controlled = True
            sw.records[b.uuid] = record
            caller.attach(a)
            holder["a"], holder["b"] = a, b

        cid = f"{{origination_caller_id_number={script.caller}"
        if script.caller_name:
            cid += f",origination_caller_id_name={script.caller_name}"
        ring_s = timeout / max(self.config.time_scale, 1e-6)
        req = OriginateRequest(f"{cid}}}loopback/{script.did}/{self.config.context}", "&park()", timeout_s=ring_s)
        self.records.append(record)
        return record, req, created, holder

    async def _run_call(
        self,
        req: OriginateRequest,
        created: Any,
        holder: dict[str, Channel],
        record: CallRecord,
    ) -> None:
        try:
            await originate(self.switch, req, on_created=created)
        except OriginateError as exc:
            record.add("note", text=f"originate failed: {exc.cause}")
            if record.hangup_cause is None:
                record.hangup_cause = exc.cause
        for leg in ("b", "a"):
            ch = holder.get(leg)
            if ch is not None:
                await ch.destroyed.wait()


def _hostport(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def _build_config(args: argparse.Namespace) -> SimSwitchConfig:
    cfg = SimSwitchConfig(password=args.password, time_scale=args.time_scale)
    cfg.esl_host, cfg.esl_port = _hostport(args.esl)
    if args.socket:
        host, port = _hostport(args.socket)
        cfg.socket = SocketTarget(host, port, args.mode)
    for item in args.did or []:
        did, _, addr = item.partition("=")
        host, port = _hostport(addr)
        cfg.dids[did] = SocketTarget(host, port, args.mode)
    for item in args.agent or []:
        name, _, spec = item.partition("=")
        if spec == "never":
            cfg.agents[name] = AgentBehavior(answer_after_ms=None)
        elif spec.isdigit():
            cfg.agents[name] = AgentBehavior(answer_after_ms=int(spec))
        else:
            cfg.agents[name] = AgentBehavior(reject_cause=spec.upper())
    cfg.directory = frozenset(u for item in args.directory or [] for u in item.split(",") if u)
    if args.any_user:
        cfg.default_agent = AgentBehavior()
    for item in args.extension or []:
        number, _, actions = item.partition("=")
        steps = tuple(tuple(a.split(":", 1)) if ":" in a else (a, "") for a in actions.split(","))
        cfg.dialplan[number] = Extension(actions=steps)  # type: ignore[arg-type]
    if args.callees is not None:
        cfg.callees = parse_callees(args.callees)
    cfg.extra_modules = tuple(args.module or ())
    return cfg


def parse_callees(spec: str) -> CalleeProfile:
    """``answer=0.3,busy=0.1,seed=7,talk_ms=60000-240000``: a callee profile from the command line."""
    values: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, _, value = item.partition("=")
        if key in ("answer", "no_answer", "busy", "invalid", "machine"):
            values[key] = float(value)
        elif key in ("seed", "machine_ms"):
            values[key] = int(value)
        elif key in ("ring_ms", "busy_after_ms", "talk_ms"):
            low, _, high = value.partition("-")
            values[key] = (int(low), int(high or low))
        else:
            raise ValueError(f"--callees: unknown setting {key!r}")
    return CalleeProfile(**values)


def main(argv: list[str] | None = None) -> int:
    """Run the simulator until interrupted.  ``originate`` calls via ESL to place calls."""
    parser = argparse.ArgumentParser(prog="simswitch", description="Fake FreeSWITCH speaking ESL.")
    parser.add_argument("--socket", help="default outbound-socket target host:port (the runtime)")
    parser.add_argument("--mode", default="async full", help="socket mode, e.g. 'async full' or 'full'")
    parser.add_argument("--did", action="append", help="DID=host:port socket target (repeatable)")
    parser.add_argument("--esl", default="127.0.0.1:8021", help="inbound ESL listen host:port")
    parser.add_argument("--password", default="ClueCon")
    parser.add_argument("--time-scale", type=float, default=1.0, help="1.0 = real time")
    parser.add_argument("--agent", action="append", help="NAME=<answer ms>|never|<REJECT_CAUSE>")
    parser.add_argument("--directory", action="append",
                        help="users the directory knows but that are not registered (bridging them fails "
                             "USER_NOT_REGISTERED), comma-separated; users neither here nor --agent fail "
                             "SUBSCRIBER_ABSENT as on a real switch")
    parser.add_argument("--any-user", action="store_true", help="answer a bridge to any user/<id> (not realistic)")
    parser.add_argument("--extension", action="append", help="NUM=app:arg,app:arg inline dialplan")
    parser.add_argument("--module", action="append", choices=["mod_amd"],
                        help="load a module beyond the documented build (mod_amd: answering machine detection)")
    parser.add_argument("--callees", help="simulated callees on gateway pstn: answer=0.3,busy=0.1,seed=7,...")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)

    async def run() -> None:
        sim = SimSwitch(_build_config(args))
        await sim.start()
        print(f"simswitch: ESL on {sim.esl_address[0]}:{sim.esl_port}, password {args.password}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await sim.stop()

    asyncio.run(run())
    return 0
