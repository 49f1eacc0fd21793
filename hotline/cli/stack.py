"""`hotline up`: the web application, the runtime and the ESL simulator in one process.

The embedded default for a fresh machine: one command, nothing else to start. Production runs each as
its own process (`hotline serve`, `hotline runtime`, FreeSWITCH instead of the simulator).
"""

from __future__ import annotations

import asyncio
import threading

import click
from sqlalchemy import select
from werkzeug.serving import make_server

from ..platform.jobs import queues_for
from ..platform.jobs.queues import Queues, WorkerThread
from ..platform.models import Skill
from ..platform.services.tenants import get_tenant
from .context import CliContext, until_stopped
from .ports import ensure_free, listening
from .shutdown import SHUTDOWN_SECONDS, exit_by, restore_default_signals, stop_all

#: Simulated agents of the demo tenant: logged in with every skill, they answer after two seconds.
DEMO_AGENTS = ("1001", "1002")


def start_job_worker(queues: Queues) -> WorkerThread:
    """Background jobs (notifications, dispatch, SLA timers) always run in the demo, in a worker thread.

    With the embedded stand-in nothing else could run them; with a reachable Redis the demo used to count on
    `hotline worker` processes that nobody had started, so tickets were never dispatched. A worker here does
    no harm beside others: RQ hands each job to one worker. It schedules the periodic chains too (each
    Redis-locked, so one chain per deployment however many workers schedule it).
    """
    from ..platform.jobs.periodic import schedule_periodic

    schedule_periodic(queues)  # as `hotline worker` does: the SLA sweep, report e-mails, attendance
    worker = queues.worker_thread()
    worker.start()
    return worker


def run_stack(obj: CliContext, demo_tenant: str) -> None:
    from ..designer import create_app
    from ..platform.prompt_tts import engine_from_settings
    from ..runtime.dialer import Dialer
    from ..runtime.esl.inbound_link import InboundLink
    from ..runtime.esl.switch_profile import SwitchProfile
    from ..runtime.server import Runtime, acd_options
    from ..runtime.simswitch import AgentBehavior, CalleeProfile, SimSwitch, SimSwitchConfig, SocketTarget

    s = obj.settings
    redis = obj.redis
    ensure_free("web", "port", s.web_host, s.web_port)  # before any thread starts: one line and exit 1
    worker = start_job_worker(queues_for(redis))
    # The desk, wallboard and test calls use the same Redis as the runtime (the embedded stand-in included).
    app = create_app(s, obj.db, redis)
    with listening("web", "port", s.web_host, s.web_port):
        web = make_server(s.web_host, s.web_port, app, threaded=True)
    threading.Thread(target=web.serve_forever, name="web", daemon=True).start()
    with obj.db.platform() as session:
        tenant_id = get_tenant(session, demo_tenant).id
    with obj.db.tenant(tenant_id) as session:
        skills = {name: 1 for name in session.scalars(select(Skill.name))}

    async def main() -> None:
        runtime = Runtime(obj.db, redis.new_async(), host=s.runtime_socket_host, port=s.runtime_socket_port,
                          esl=(s.esl_host, s.esl_port, s.esl_password) if not s.runtime_simulator else None,
                          switch=SwitchProfile.from_settings(s),
                          tts=None if s.runtime_simulator else engine_from_settings(s), **acd_options(s))
        with listening("runtime", "socket_port", s.runtime_socket_host, s.runtime_socket_port):
            await runtime.start()
        switch = None
        if s.runtime_simulator:
            switch = SimSwitch(SimSwitchConfig(
                socket=SocketTarget(s.runtime_socket_host, runtime.port), esl_host=s.esl_host, esl_port=s.esl_port,
                password=s.esl_password, time_scale=1.0,
                agents={a: AgentBehavior(answer_after_ms=2000, talk_ms=30_000) for a in DEMO_AGENTS},
                # the demo has no SIP phones: the simulator answers for any agent who signs in on the desk (a real
                # switch refuses a user its directory does not know, and so does the simulator by default)
                default_agent=AgentBehavior(answer_after_ms=2000, talk_ms=30_000),
                callees=CalleeProfile(seed=1)))  # campaigns reach simulated people (answer, busy, machine…)
            try:
                with listening("esl", "port", s.esl_host, s.esl_port):
                    await switch.start()
            except BaseException:
                await runtime.stop()
                raise
            for agent in DEMO_AGENTS:
                await runtime.acd.presence.login(agent, {str(tenant_id): skills})
        # The dialer places the running campaigns' calls through the switch's inbound ESL (the simulator's here).
        link = InboundLink(s.esl_host, s.esl_port, s.esl_password)
        dialer = Dialer(obj.db, redis.new_async(), link, switch=SwitchProfile.from_settings(s),
                        socket_address=(s.runtime_socket_host, runtime.port))
        dialing = [asyncio.create_task(link.run()), asyncio.create_task(dialer.run())]
        click.echo(f"Hotline is up: web http://{s.web_host}:{s.web_port}/  runtime {s.runtime_socket_host}:"
                   f"{runtime.port}" + (f"  simulator ESL {s.esl_host}:{s.esl_port}" if switch else ""))
        click.echo("Place a test call: .venv/bin/hotline call --did 4008001234 --press 1,7730012345601#")
        await until_stopped()
        restore_default_signals()  # a second Ctrl-C ends the process at once
        exit_by(SHUTDOWN_SECONDS + 2)  # the backstop, should anything below, asyncio's teardown or exit block
        # The runtime and the simulator get half of the shutdown; the web server and the worker the rest.
        try:
            await asyncio.wait_for(_stop_calls(runtime, switch, dialer, dialing), SHUTDOWN_SECONDS / 2)
        except TimeoutError:
            click.echo(f"warning: the runtime did not stop within {SHUTDOWN_SECONDS / 2:.0f} s", err=True)

    async def _stop_calls(runtime: Runtime, switch: SimSwitch | None, dialer: Dialer,
                          dialing: list[asyncio.Task[None]]) -> None:
        await dialer.stop(grace_seconds=1.0)
        for task in dialing:
            task.cancel()
        if switch is not None:
            await switch.stop()
        await runtime.stop()

    try:
        asyncio.run(main())
    finally:
        share = SHUTDOWN_SECONDS / 2
        stop_all([("web server", web.shutdown), ("job worker", lambda: worker.stop(timeout=share - 0.5))], share)
