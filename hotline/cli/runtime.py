"""Telephony commands: the runtime, the ESL simulator, and a test call through both."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import click

from .context import CliContext, until_stopped, user_errors
from .ports import listening


@click.command("runtime")
@click.option("--stats-file", help="On exit, write decision latencies and memory samples here (JSON).")
@click.pass_obj
def runtime(obj: CliContext, stats_file: str | None) -> None:
    """Serve FreeSWITCH's outbound-socket connections (runs published IVRs)."""
    import logging

    from ..platform.prompt_tts import engine_from_settings
    from ..runtime.esl.switch_profile import SwitchProfile
    from ..runtime.server import Runtime, acd_options

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    s = obj.settings
    redis = obj.redis

    async def main() -> None:
        server = Runtime(obj.db, redis.new_async(), host=s.runtime_socket_host, port=s.runtime_socket_port,
                         esl=(s.esl_host, s.esl_port, s.esl_password),
                         switch=SwitchProfile.from_settings(s),
                         tts=engine_from_settings(s), **acd_options(s))
        with listening("runtime", "socket_port", s.runtime_socket_host, s.runtime_socket_port):
            await server.start()
        click.echo(f"runtime {server.runtime_id} on {s.runtime_socket_host}:{server.port} "
                   f"(ESL {s.esl_host}:{s.esl_port})")
        await until_stopped()
        # on SIGTERM calls in progress may run on for [runtime] shutdown_grace_seconds before they are cut
        await server.stop(grace_seconds=s.runtime_shutdown_grace_seconds)
        if stats_file:
            server.stats.write(stats_file)

    asyncio.run(main())


@click.command("simswitch", context_settings={"ignore_unknown_options": True})
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def simswitch(obj: CliContext, extra: tuple[str, ...]) -> None:
    """Run the ESL simulator (a fake FreeSWITCH) pointed at the runtime; extra options go to it."""
    from ..runtime.simswitch import main

    s = obj.settings
    with listening("esl", "port", s.esl_host, s.esl_port):
        code = main(["--socket", f"{s.runtime_socket_host}:{s.runtime_socket_port}",
                     "--esl", f"{s.esl_host}:{s.esl_port}", "--password", s.esl_password, *extra])
    raise SystemExit(code)


@click.command("call")
@click.option("--did", required=True, help="The dialled number (a tenant's DID).")
@click.option("--caller", default="13800000000", show_default=True, help="The calling number.")
@click.option("--press", "presses", default="", help="What the caller enters at each prompt, comma-separated: "
              "digits, '-' for silence, 'hangup'. Example: 1,7730012345601#")
@click.option("--agent", "agents", multiple=True, help="Log in a simulated agent with every skill (repeatable).")
@click.option("--at", "at", help="Pretend it is this time (ISO 8601 with zone), for business hours.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--live", is_flag=True, help="Place the call on the running stack's switch (hotline up / start.sh, "
              "or FreeSWITCH) at [esl] host:port, so it reaches the real queues and rings the agent desk.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the path a --live call took (node labels, branches, how it ended).")
@click.pass_obj
def call(obj: CliContext, did: str, caller: str, presses: str, agents: tuple[str, ...], at: str | None,
         as_json: bool, live: bool, lang: str) -> None:
    """Place a simulated call through the simulator and the real runtime, and show what happened."""
    from ..runtime.trial import report as trial_call

    if live:
        if presses or agents or at:
            raise click.UsageError("--live places a plain call on the running switch: --press, --agent and --at "
                                   "apply to a private test call only")
        from .live_call import place_live_call

        uuid = place_live_call(obj.settings, did, caller)
        click.echo(f"call {uuid} from {caller} to {did} placed on the switch at {obj.settings.esl_host}:"
                   f"{obj.settings.esl_port}; an agent who is available on the desk will be offered it")
        from .live_follow import follow

        with user_errors():  # then what became of it: path in words, bounded wait (tester's defect 3)
            for line in follow(obj.db, did, uuid, lang):
                click.echo(line)
        return

    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            raise click.BadParameter(f"{at!r} is not an ISO 8601 time", param_hint="--at") from None
        if moment.tzinfo is None:
            raise click.BadParameter("give the time zone, e.g. 2026-11-23T10:00+08:00", param_hint="--at")
    redis = obj.redis

    def starting(limit: int) -> None:
        if not agents:
            click.echo(f"no agent is logged in (--agent 1001 logs in a simulated one): a call that reaches a queue "
                       f"waits there until the queue's time-out, at most {limit} s in all", err=True)

    with user_errors():
        try:
            result = asyncio.run(trial_call.run(obj.db, redis, did, caller, trial_call.parse_presses(presses),
                                                at=moment, agents=agents, on_start=starting))
        except trial_call.TrialCallTimedOut as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        for line in result.lines():
            click.echo(line)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.pass_obj
def worker(obj: CliContext, burst: bool) -> None:
    """Run background jobs (notifications with retries; RQ with its scheduler) on the configured Redis."""
    import logging

    from rq import Worker

    from ..platform.jobs import queues_for

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    queues = queues_for(obj.redis)
    if obj.redis.embedded:
        raise click.ClickException(f"Redis at {obj.settings.redis_url} is not reachable: a separate worker cannot "
                                   "share the in-process stand-in (`hotline up` runs jobs itself)")
    if not burst:  # the SLA/call-back safety net, report e-mails, presence history for 考勤 (Redis-locked chains)
        from ..platform.jobs.periodic import schedule_periodic

        schedule_periodic(queues)
        # runtimes sweep each other's expired leases; this sweeps when none is left (a lone runtime that died)
        from ..runtime.acd.lease_sweep_job import schedule_lease_sweep

        schedule_lease_sweep(queues, max(1.0, obj.settings.runtime_lease_seconds / 2))
    Worker(queues.all(), connection=queues.connection).work(burst=burst, with_scheduler=True)


def answer_address(s: Any) -> tuple[str, int]:
    """Where answered campaign calls go: [runtime] advertised_socket, else socket_host:socket_port."""
    text = (s.runtime_advertised_socket or "").strip()
    if not text:
        return s.runtime_socket_host, s.runtime_socket_port
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.ClickException(f"[runtime] advertised_socket must be host:port, not {text!r}")
    return host, int(port)


@click.command("dialer")
@click.pass_obj
def dialer(obj: CliContext) -> None:
    """Dial the running campaigns: claim due entries, check the rules, originate through the switch (bgapi).

    Answered calls come back to the runtimes over the outbound socket at [runtime] socket_host:socket_port. Any
    number of dialers may run: they share the work through the database (leases) and Redis (lines in use).
    """
    import logging

    from ..runtime.dialer import Dialer
    from ..runtime.esl.inbound_link import InboundLink
    from ..runtime.esl.switch_profile import SwitchProfile

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    s = obj.settings

    async def main() -> None:
        link = InboundLink(s.esl_host, s.esl_port, s.esl_password)
        process = Dialer(obj.db, obj.redis.new_async(), link, switch=SwitchProfile.from_settings(s),
                         socket_address=answer_address(s))
        tasks = [asyncio.create_task(link.run()), asyncio.create_task(process.run())]
        host, port = answer_address(s)
        click.echo(f"dialer {process.owner}: ESL {s.esl_host}:{s.esl_port}, answered calls to the runtime at "
                   f"{host}:{port}")
        await until_stopped()
        await process.stop(grace_seconds=s.runtime_shutdown_grace_seconds)
        for task in tasks:
            task.cancel()

    asyncio.run(main())


runtime_commands = (runtime, simswitch, call, worker, dialer)
