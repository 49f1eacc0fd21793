"""A supervisor listens in, whispers to the agent, or barges into an agent's call (FreeSWITCH eavesdrop).

The switch rings the supervisor's own extension and, on answer, runs `eavesdrop <caller's channel uuid>`. In
switch_ivr_eavesdrop_session (switch_ivr_async.c) the supervisor's voice is mixed into the target's *read* stream
(ED_MUX_READ: what the caller's channel sends on, so the agent bridged to it hears) or its *write* stream
(ED_MUX_WRITE: the caller hears): `eavesdrop_whisper_aleg=true` sets the first, `eavesdrop_whisper_bleg=true` the
second, both is a three-way barge. With `eavesdrop_enable_dtmf=true` the eavesdropper's DTMF switch them while
joined: 0 listen, 1 talk to the agent (MUX_READ), 2 talk to the caller (MUX_WRITE), 3 three way, * leave. The
`three_way` application sets no ED_DTMF (its keys do nothing), so barge is eavesdrop with both whisper flags.

One eavesdrop session per supervisor per call (QA of issue 15, task E item 3): a second mode on the same call is
not a second phone call but that session switching mode, by the same DTMF sent with `uuid_recv_dtmf` (plus the
whisper variables set with `uuid_setvar`, for a session still ringing whose eavesdrop has not started). The
session's leg uuid (`origination_uuid`) is kept in Redis under the tenant, the supervisor and the call.

The agent's call is read from the ACD presence in Redis, and only when it is a call of the supervisor's tenant;
every use is audited by the web layer.
"""

from __future__ import annotations

import re
from typing import Any

from ..acd.keys import AcdKeys

#: mode → (eavesdrop_whisper_aleg, eavesdrop_whisper_bleg, the DTMF that switches a running eavesdrop to it)
MODES: dict[str, tuple[bool, bool, str]] = {
    "listen": (False, False, "0"),
    "whisper": (True, False, "1"),
    "barge": (True, True, "3"),
}
#: How long a supervisor's session is remembered; a session that ended sooner is noticed by `uuid_exists`.
SESSION_SECONDS = 4 * 3600
_UUID = re.compile(r"[0-9A-Za-z-]{8,64}")
_EXTENSION = re.compile(r"[A-Za-z0-9_.+-]{1,64}")


def on_call(redis: Any, prefix: str, tenant_id: int, agent: str) -> dict[str, str] | None:
    """The agent's presence fields (call, queue…) while on a call of this tenant, else None."""
    keys = AcdKeys(prefix)
    tenant = str(tenant_id)
    if not redis.sismember(keys.tenant_agents(tenant), agent):
        return None
    fields = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
              for k, v in (redis.hgetall(keys.agent(agent)) or {}).items()}
    if fields.get("state") != "on_call" or fields.get("call_tenant") != tenant:
        return None
    call = fields.get("call") or ""
    return fields if _UUID.fullmatch(call) else None


def current_call(redis: Any, prefix: str, tenant_id: int, agent: str) -> str | None:
    """The uuid of the call the agent is on for this tenant, or None (not on a call, or another tenant's)."""
    fields = on_call(redis, prefix, tenant_id, agent)
    return fields["call"] if fields else None


def _whisper_variables(mode: str) -> list[tuple[str, str]]:
    aleg, bleg, _digit = MODES[mode]
    return [(name, "true") for name, on in (("eavesdrop_whisper_aleg", aleg), ("eavesdrop_whisper_bleg", bleg)) if on]


def originate(dial_string: str, extension: str, call_uuid: str, mode: str, caller_name: str,
              leg_uuid: str | None = None) -> str:
    """The `originate` arguments that ring the supervisor and join the call in `mode` (the supervisor's leg gets
    `leg_uuid`, so that a later mode change can find it)."""
    if mode not in MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    if not _EXTENSION.fullmatch(extension):
        raise ValueError(f"not an extension: {extension!r}")
    if not _UUID.fullmatch(call_uuid):
        raise ValueError(f"not a call uuid: {call_uuid!r}")
    if leg_uuid is not None and not _UUID.fullmatch(leg_uuid):
        raise ValueError(f"not a leg uuid: {leg_uuid!r}")
    name = re.sub(r"[^0-9A-Za-z_\-]", "", caller_name)[:32] or "supervisor"
    variables = [*([("origination_uuid", leg_uuid)] if leg_uuid else []), ("eavesdrop_enable_dtmf", "true"),
                 *_whisper_variables(mode), ("origination_caller_id_name", name)]
    spec = ",".join(f"{k}={v}" for k, v in variables)
    return f"{{{spec}}}{dial_string.format(extension=extension)} &eavesdrop({call_uuid})"


def switch_commands(leg_uuid: str, mode: str) -> list[str]:
    """The `api` commands that switch the supervisor's running (or still ringing) session to `mode`."""
    if mode not in MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    if not _UUID.fullmatch(leg_uuid):
        raise ValueError(f"not a leg uuid: {leg_uuid!r}")
    aleg, bleg, digit = MODES[mode]
    return [f"uuid_setvar {leg_uuid} eavesdrop_whisper_aleg {str(aleg).lower()}",
            f"uuid_setvar {leg_uuid} eavesdrop_whisper_bleg {str(bleg).lower()}",
            f"uuid_recv_dtmf {leg_uuid} {digit}"]


def session_key(prefix: str, tenant_id: int, user_id: int, call_uuid: str) -> str:
    """The Redis key that holds the supervisor's eavesdrop leg on this call."""
    return f"{prefix}:live:{tenant_id}:{user_id}:{call_uuid}"
