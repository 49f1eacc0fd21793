"""Configuration dataclasses for the simulator (routing, agents, timing).

They are plain data so tests can build them inline and the CLI can build them from flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .callees import CalleeProfile

__all__ = ["AgentBehavior", "Extension", "SimSwitchConfig", "SocketTarget"]

#: Version string reported by ``api version`` (byte-exact from the fixtures).
FS_VERSION = (
    "FreeSWITCH Version 1.10.12-release+git~20240802T210227Z~a88d069d6f~64bit "
    "(git a88d069 2024-08-02 21:02:27Z 64bit)"
)


@dataclass(frozen=True)
class SocketTarget:
    """Where the ``socket`` dialplan application connects, like ``socket 127.0.0.1:8084 async full``."""

    host: str
    port: int
    mode: str = "async full"

    @property
    def app_data(self) -> str:
        return f"{self.host}:{self.port} {self.mode}".strip()

    @property
    def is_async(self) -> bool:
        return "async" in self.mode.split()

    @classmethod
    def parse(cls, text: str) -> SocketTarget:
        """Parse ``host:port [async] [full]`` (the ``socket`` application's argument)."""
        addr, _, mode = text.strip().partition(" ")
        host, _, port = addr.rpartition(":")
        return cls(host or "127.0.0.1", int(port), mode.strip())


@dataclass(frozen=True)
class Extension:
    """A dialplan extension: either an outbound-socket target or inline ``(app, arg)`` actions."""

    socket: SocketTarget | None = None
    actions: tuple[tuple[str, str], ...] = ()

    def steps(self) -> list[tuple[str, str]]:
        if self.socket is not None:
            return [("socket", self.socket.app_data)]
        return list(self.actions)


@dataclass(frozen=True)
class AgentBehavior:
    """How a simulated endpoint (``user/<id>``, ``sofia/.../<id>``) reacts when bridged to.

    ``answer_after_ms=None`` means it never answers (the bridge fails with ``NO_ANSWER`` after
    ``ring_timeout_ms``); ``reject_cause`` makes it fail immediately with that cause;
    ``talk_ms`` makes the agent hang up that long after answering (``None`` = stay until the
    caller side ends the bridge).
    """

    answer_after_ms: int | None = 100
    talk_ms: int | None = None
    reject_cause: str | None = None
    ring_timeout_ms: int = 30_000


def default_dialplan() -> dict[str, Extension]:
    """Extension 5000 of the recorded FreeSWITCH: answer, ~3 s of tone, NORMAL_CLEARING hangup."""
    return {
        "5000": Extension(
            actions=(
                ("answer", ""),
                ("playback", "tone_stream://%(400,200,523);loops=5"),
                ("hangup", "NORMAL_CLEARING"),
            )
        )
    }


@dataclass
class SimSwitchConfig:
    """Everything a :class:`~hotline.runtime.simswitch.server.SimSwitch` needs.

    ``socket`` is the default outbound-socket address for any DID without its own entry in
    ``dids``; ``dialplan`` holds extra extensions (bridge targets such as ``loopback/5000``).
    ``time_scale`` multiplies every simulated duration (prompts, timeouts, linger, agent
    delays): 1.0 is real time, the default 0.01 makes a 5 s prompt take 50 ms of wall time.
    """

    socket: SocketTarget | None = None
    dids: dict[str, SocketTarget] = field(default_factory=dict)
    dialplan: dict[str, Extension] = field(default_factory=default_dialplan)
    esl_host: str = "127.0.0.1"
    esl_port: int = 0
    password: str = "ClueCon"
    #: The directory's users that are registered, with how each phone behaves when bridged to.
    agents: dict[str, AgentBehavior] = field(default_factory=dict)
    #: Users the directory knows that are not registered: ``user/<id>`` fails USER_NOT_REGISTERED.
    directory: frozenset[str] = frozenset()
    #: How any other ``user/<id>`` behaves. None (the default) is the real switch: a user the directory does
    #: not know fails SUBSCRIBER_ABSENT at once (04-bridge-failures). A behaviour here answers them all.
    default_agent: AgentBehavior | None = None
    time_scale: float = 0.01
    hostname: str = "simswitch"
    ipv4: str = "127.0.0.1"
    ipv6: str = "::1"
    default_file_ms: int = 1000
    tts_ms_per_char: int = 60
    max_linger_s: float = 30.0
    context: str = "default"
    #: Dialplan contexts the switch defines: a ``loopback/<exten>/<context>`` into any other fails
    #: NO_ROUTE_DESTINATION, as on the real switch (QA 12.4: docs/freeswitch/conf has only public and agents).
    contexts: tuple[str, ...] = ("default", "public", "agents")
    #: Speech modules loaded (a stock switch loads none; ``say:`` and ``speak`` with another engine fail).
    tts_engines: tuple[str, ...] = ("tts_commandline",)
    #: tts_engine of a channel that sets none (a global variable in the switch's vars.xml).
    global_tts_engine: str = "tts_commandline"
    #: Prompt files the switch cannot open (playback answers FILE NOT FOUND).
    missing_files: frozenset[str] = frozenset()
    #: SIP gateways configured; ``sofia/gateway/<other>/...`` fails with INVALID_GATEWAY (04-bridge-failures).
    gateways: tuple[str, ...] = ("pstn",)
    #: Simulated callees behind the gateways the profile names (callees.py); None: gateway legs are agent phones.
    callees: CalleeProfile | None = None
    #: Modules loaded beyond the switch built from docs/freeswitch (mod_amd, a third-party module FreeSWITCH's
    #: tree does not hold): their applications exist only when listed here.
    extra_modules: tuple[str, ...] = ()
    #: Wall-clock milliseconds of one media frame of a parked channel: FreeSWITCH's park loop (the outbound
    #: socket app) reads a 20 ms frame, then parses the queued private events (sendmsg), so an application sent
    #: to an idle channel starts up to a frame later, and a `uuid_break ... all` in that window flushes it
    #: (QA 12.3). 0 (the default, for speed) runs a queued message at once; 20 is the real switch.
    frame_ms: float = 0.0

    def extension(self, number: str) -> Extension | None:
        """Route a destination number: DID map, then extra dialplan, then the default socket."""
        if number in self.dids:
            return Extension(socket=self.dids[number])
        if number in self.dialplan:
            return self.dialplan[number]
        if self.socket is not None:
            return Extension(socket=self.socket)
        return None

    def modules(self) -> set[str]:
        """The modules loaded: the recorded switch's, plus mod_tts_commandline when it is a TTS engine."""
        loaded = {"mod_console", "mod_logfile", "mod_event_socket", "mod_sofia", "mod_loopback", "mod_commands",
                  "mod_dptools", "mod_db", "mod_hash", "mod_expr", "mod_spandsp", "mod_dialplan_xml",
                  "mod_sndfile", "mod_native_file", "mod_tone_stream", "mod_say_en"}
        return loaded | {f"mod_{engine}" for engine in self.tts_engines} | set(self.extra_modules)

    def agent(self, name: str) -> AgentBehavior:
        """The phone behind a SIP target (a gateway or profile rings whatever number it is given)."""
        return self.agents.get(name) or self.default_agent or AgentBehavior()

    def directory_user(self, name: str) -> AgentBehavior:
        """The phone behind ``user/<name>``; raises LookupError with the switch's cause when there is none."""
        if name in self.agents:
            return self.agents[name]
        if name in self.directory:
            raise LookupError("USER_NOT_REGISTERED")
        if self.default_agent is not None:
            return self.default_agent
        raise LookupError("SUBSCRIBER_ABSENT")

    def knows_user(self, name: str) -> bool:
        """Whether the directory holds the user (``user_exists``), registered or not."""
        return name in self.agents or name in self.directory or self.default_agent is not None
